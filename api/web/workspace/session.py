"""Who is signed in to the workspace, and whether a form really came from its own page.

`Principal` is the one seam between the workspace and how a person proved who they
are: today an access token exchanged for a server-held session (`infra.sessions`),
later an identity provider. Every workspace route takes `SignedIn`, which resolves
the session cookie to a `Principal` carrying the token, so the API's rules in
`api.auth` (roles, municipality scopes, signing rights) apply unchanged.

A form is accepted only through `CheckedForm`: it must carry the session's CSRF
token and must not come from another origin (`Origin`, `Sec-Fetch-Site`). A form
that fails is answered 403 with a page that says why, and nothing is recorded.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, Signer
from starlette.datastructures import FormData

from api.auth import actor_of
from domain.values import Actor, Role
from infra.sessions import IDLE, Session, SessionStore
from infra.tokens import Token, TokenStore, hash_secret
from workflow.clock import today

SESSION_COOKIE = "loften_session"
#: The sign-in form's own CSRF token lives in this cookie until a session exists.
SIGN_IN_COOKIE = "loften_signin"
CSRF_FIELD = "csrf_token"
WORKSPACE = "/arbete"
SIGN_IN_PATH = f"{WORKSPACE}/logga-in"


class SignInRequired(Exception):
    """No usable session: not signed in, signed out, idle too long, or the token revoked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: A phrase key saying why (`signin_reason_*`).
        self.reason = reason


class FormRefused(Exception):
    """A form without its CSRF token or from another origin: 403, nothing recorded."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: A phrase key saying why (`csrf_reason_*`).
        self.reason = reason


@dataclass(frozen=True)
class Principal:
    """The signed-in person: the token they signed in with and their session."""

    token: Token
    session: Session

    @property
    def actor(self) -> Actor:
        return actor_of(self.token)

    @property
    def role(self) -> Role:
        return self.token.role

    @property
    def writes(self) -> bool:
        return self.token.role in (Role.POLICE, Role.MUNICIPALITY, Role.ADMIN)

    @property
    def acts_for_all(self) -> bool:
        return self.token.role in (Role.ADMIN, Role.AUDITOR)

    def acts_for(self, municipality: str) -> bool:
        return self.token.role is Role.ADMIN or municipality in self.token.municipalities

    @property
    def csrf_token(self) -> str:
        """The token every form of this session carries (derived, so the key stays put)."""
        return _csrf(self.session.form_key)


def _csrf(key: str) -> str:
    return hmac.new(key.encode(), b"workspace-form", "sha256").hexdigest()


# -- the cookie --------------------------------------------------------------------------


def _signer(request: Request) -> Signer:
    signer: Signer = request.app.state.session_signer
    return signer


def make_signer(key: str) -> Signer:
    return Signer(key, salt="loften-workspace-session")


def _sessions(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.sessions
    return store


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock.now()
    return now


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=WORKSPACE,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=WORKSPACE, httponly=True, samesite="strict", secure=_secure(request)
    )


def session_id(request: Request) -> str | None:
    """The session id the request's cookie names, if its signature holds."""
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    try:
        return _signer(request).unsign(value).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def sign_in(request: Request, response: Response, token_secret: str) -> Session:
    """Open a session for this token (ending any the browser had) and set its cookie."""
    old = session_id(request)
    store = _sessions(request)
    if old is not None:
        store.end(old)
    session = store.open(hash_secret(token_secret), _now(request))
    cookie = _signer(request).sign(session.id).decode()
    set_cookie(request, response, SESSION_COOKIE, cookie, int(IDLE.total_seconds()))
    clear_cookie(request, response, SIGN_IN_COOKIE)
    return session


def sign_out(request: Request, response: Response) -> None:
    found = session_id(request)
    if found is not None:
        _sessions(request).end(found)
    clear_cookie(request, response, SESSION_COOKIE)


def _principal(request: Request) -> Principal:
    found = session_id(request)
    if found is None:
        cookie_sent = SESSION_COOKIE in request.cookies
        raise SignInRequired("signin_reason_ended" if cookie_sent else "signin_reason_none")
    store = _sessions(request)
    session = store.find(found, _now(request))
    if session is None:
        raise SignInRequired("signin_reason_ended")
    tokens: TokenStore = request.app.state.tokens
    token = tokens.find_digest(session.token_hash, today(request.app.state.clock))
    if token is None or token.revoked_at is not None:
        store.end(found)
        raise SignInRequired("signin_reason_revoked")
    if token.expired(today(request.app.state.clock)):
        store.end(found)
        raise SignInRequired("signin_reason_expired")
    principal = Principal(token=token, session=session)
    request.state.principal = principal
    return principal


SignedIn = Annotated[Principal, Depends(_principal)]


# -- forms -------------------------------------------------------------------------------


def _same_origin(request: Request) -> None:
    """Refuse a form sent from a page of another origin (when the browser says where from)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise FormRefused("csrf_reason_origin")
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = urlsplit(str(request.base_url))
    sent = urlsplit(origin)
    if (sent.scheme, sent.netloc) != (own.scheme, own.netloc):
        raise FormRefused("csrf_reason_origin")


def _matches(sent: object, expected: str) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), expected.encode())


async def _checked_form(request: Request, principal: SignedIn) -> FormData:
    _same_origin(request)
    form = await request.form()
    if not _matches(form.get(CSRF_FIELD), principal.csrf_token):
        raise FormRefused("csrf_reason_missing" if CSRF_FIELD not in form else "csrf_reason_wrong")
    return form


CheckedForm = Annotated[FormData, Depends(_checked_form)]


def sign_in_csrf(request: Request) -> str:
    """The sign-in form's CSRF token: the one in its cookie, or a new one to set."""
    value = request.cookies.get(SIGN_IN_COOKIE)
    return value if value and len(value) == 43 else secrets.token_urlsafe(32)


async def checked_sign_in_form(request: Request) -> FormData:
    """The sign-in form, with the token of its cookie and from this origin."""
    _same_origin(request)
    form = await request.form()
    cookie = request.cookies.get(SIGN_IN_COOKIE)
    if not cookie or not _matches(form.get(CSRF_FIELD), cookie):
        raise FormRefused("csrf_reason_missing" if CSRF_FIELD not in form else "csrf_reason_wrong")
    return form


def local_next(value: str | None) -> str:
    """Where to go after signing in: a workspace path of this site, never elsewhere."""
    if value and value.startswith(WORKSPACE + "/") and not value.startswith("//"):
        parts = urlsplit(value)
        if not parts.scheme and not parts.netloc:
            return value
    return WORKSPACE + "/"


def sign_in_url(next_path: str, reason: str | None = None) -> str:
    query = f"?next={quote(next_path, safe='/')}"
    if reason:
        query += f"&reason={reason}"
    return SIGN_IN_PATH + query


def scope_names(principal: Principal, everyone: Iterable[str]) -> list[str]:
    """The municipalities the start page shows: the token's, or for admins and auditors
    every municipality with anything recorded."""
    if principal.acts_for_all:
        return sorted(everyone)
    return sorted(principal.token.municipalities)
