"""Who may do what: bearer tokens resolved to a role and scope, and the rules of API.md's table.

    role            reads                                   writes
    (public)        public data (no notes, no drafts)       nothing (401)
    police,         everything of their municipalities,     dialogues, issues, promises of
    municipality    public data of others                   their municipalities (403 elsewhere)
    auditor         everything                              nothing (403)
    admin           everything                              everything, and tokens

A write to an existing promise needs one of its municipalities in scope; creating
one needs all of them. Signatures: a police token signs only for the police, a
municipality token only for a municipality of its scope; either may register a
partner's signature. What a reader may not see at all (a draft promise of another
municipality) is answered 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from api.errors import ApiProblem
from domain.values import Actor, Party, Role
from infra.tokens import Token, TokenStore
from workflow.signing import signing_refusal

PUBLIC = Token(role=Role.PUBLIC, municipalities=frozenset(), label="public")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="loften"'}


def authenticate(authorization: str | None, store: TokenStore, today: date) -> Token:
    """The token the header names; no header is the public; an unknown, revoked or
    expired one is 401 with a detail that says which."""
    if authorization is None:
        return PUBLIC
    scheme, _, secret = authorization.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise ApiProblem(
            401, "unauthenticated", "Send the header `Authorization: Bearer <token>`.", _CHALLENGE
        )
    token = store.find(secret, today)
    if token is None:
        raise ApiProblem(401, "unauthenticated", "The bearer token is not known.", _CHALLENGE)
    if token.revoked_at is not None:
        raise ApiProblem(
            401,
            "token-revoked",
            f"The bearer token was revoked on {token.revoked_at:%Y-%m-%d %H:%M} UTC; "
            "ask an administrator for a new one.",
            _CHALLENGE,
        )
    if token.expired(today):
        assert token.expires_on is not None
        raise ApiProblem(
            401,
            "token-expired",
            f"The bearer token expired: its last day was {token.expires_on.isoformat()}; "
            "ask an administrator for a new one.",
            _CHALLENGE,
        )
    return token


def actor_of(token: Token) -> Actor:
    """The actor every event records: the token's label and role."""
    return Actor(label=token.label, role=token.role)


def require_writer(token: Token) -> Token:
    """Only police, municipality and admin tokens write."""
    if token.role is Role.PUBLIC:
        raise ApiProblem(
            401,
            "unauthenticated",
            "Writing needs a bearer token of a role that writes.",
            _CHALLENGE,
        )
    if token.role not in (Role.POLICE, Role.MUNICIPALITY, Role.ADMIN):
        raise ApiProblem(403, "forbidden", f"A {token.role.value} token may only read.")
    return token


def require_admin(token: Token) -> Token:
    if token.role is Role.PUBLIC:
        raise ApiProblem(401, "unauthenticated", "This needs an admin token.", _CHALLENGE)
    if token.role is not Role.ADMIN:
        raise ApiProblem(403, "forbidden", "Only an admin token may do this.")
    return token


def reads_everything(token: Token) -> bool:
    return token.role in (Role.ADMIN, Role.AUDITOR)


def reads_internal(token: Token, municipalities: Collection[str]) -> bool:
    """Whether the token sees internal data (notes, drafts) of something of these kommuner."""
    return reads_everything(token) or (
        token.role in (Role.POLICE, Role.MUNICIPALITY)
        and not token.municipalities.isdisjoint(municipalities)
    )


def require_scope(token: Token, municipalities: Collection[str], *, every: bool = False) -> None:
    """The token must act for one (or, with `every`, each) of these municipalities."""
    if token.role is Role.ADMIN:
        return
    outside = sorted(set(municipalities) - token.municipalities)
    inside = token.municipalities & set(municipalities)
    if (every and outside) or not inside:
        raise ApiProblem(
            403,
            "forbidden",
            f"This token does not act for municipality {', '.join(outside)}.",
        )


def require_signing_right(token: Token, party: Party, municipality: str | None) -> None:
    """A police token signs for the police, a municipality token for its own municipality."""
    refusal = signing_refusal(token.role, token.municipalities, party, municipality)
    if refusal is not None:
        raise ApiProblem(403, "forbidden", refusal)


def require_token(token: Token, detail: str) -> Token:
    """Reads that are not public data need a bearer token (401 for the public)."""
    if token.role is Role.PUBLIC:
        raise ApiProblem(401, "unauthenticated", detail, _CHALLENGE)
    return token


def require_internal_reader(token: Token, municipalities: Collection[str], what: str) -> None:
    """Internal reads (audit trails, histories, issues): 401 public, 403 outside the scope."""
    require_token(token, f"Reading {what} needs a bearer token.")
    if not reads_internal(token, municipalities):
        raise ApiProblem(
            403,
            "forbidden",
            f"This token does not read {what} of {', '.join(sorted(municipalities))}.",
        )


def require_reminder_manager(token: Token, code: str) -> None:
    """Who sets a municipality's reminder addresses: an admin, or a municipality token of
    that municipality (401 public, 403 anyone else)."""
    require_token(token, "Reminder addresses need a bearer token.")
    if token.role is Role.ADMIN:
        return
    if token.role is not Role.MUNICIPALITY or code not in token.municipalities:
        raise ApiProblem(
            403, "forbidden", f"Only an admin or a token of municipality {code} may do this."
        )
