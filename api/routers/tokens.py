"""Bearer tokens (admin only): issue one, list them, read one, revoke one."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.auth import actor_of
from api.deps import Admin, Today, Tokens
from api.errors import ApiProblem, problems
from api.pagination import DEFAULT_LIMIT, Cursor, Limit, page_of
from api.schemas.common import Page
from api.schemas.tokens import CreateToken, TokenInfo, TokenOut
from domain.values import Role
from infra.tokens import TokenRecord

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"])


@router.post(
    "",
    status_code=201,
    response_model=TokenOut,
    summary="Issue a token",
    responses=problems(401, 403, 413, 422),
)
def create_token(body: CreateToken, admin: Admin, tokens: Tokens, today: Today) -> TokenOut:
    """The token is shown in this answer only and stored as a hash. `Idempotency-Key` is not
    honoured here, since replaying the answer would mean storing the secret: a retried
    request issues another token. An `expires_on` in the past is 422."""
    if body.expires_on is not None and body.expires_on < today:
        message = f"expires_on may not be in the past (today is {today.isoformat()})."
        raise ApiProblem(
            422, "validation", message, errors=[{"loc": ["body", "expires_on"], "msg": message}]
        )
    issued = tokens.issue(
        Role(body.role),
        body.municipalities,
        body.label,
        expires_on=body.expires_on,
        actor=actor_of(admin),
    )
    record = issued.record
    return TokenOut(
        id=record.id,
        token=issued.secret,
        role=body.role,
        municipalities=record.municipalities,
        label=record.label,
        created_at=record.created_at,
        expires_on=record.expires_on,
    )


@router.get(
    "",
    response_model=Page[TokenInfo],
    summary="List the tokens",
    responses=problems(401, 403, 422),
)
def list_tokens(
    _admin: Admin, tokens: Tokens, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[TokenInfo]:
    """Every issued token, oldest first, revoked and expired ones included; never a secret.
    The bootstrap admin (`LOFTEN_ADMIN_TOKEN`) is not listed."""
    records, next_cursor = page_of(
        tokens.tokens(), lambda record: record.id, "tokens", limit, cursor
    )
    return Page(items=[TokenInfo.of(record) for record in records], next_cursor=next_cursor)


def _listed(tokens: Tokens, token_id: str) -> TokenRecord:
    record = tokens.get(token_id)
    if record is None:
        raise ApiProblem(404, "not-found", f"No token with id {token_id}.")
    return record


@router.get(
    "/{token_id}",
    response_model=TokenInfo,
    summary="Read a token",
    responses=problems(401, 403, 404),
)
def get_token(token_id: str, _admin: Admin, tokens: Tokens) -> TokenInfo:
    return TokenInfo.of(_listed(tokens, token_id))


@router.delete(
    "/{token_id}",
    status_code=204,
    summary="Revoke a token",
    responses=problems(401, 403, 404),
)
def revoke_token(token_id: str, admin: Admin, tokens: Tokens) -> Response:
    """From now on (at most 5 seconds, in every process) the token is 401 saying it was
    revoked. Revoking a revoked token changes nothing. The bootstrap admin is not revoked
    here: unset `LOFTEN_ADMIN_TOKEN` and restart."""
    _listed(tokens, token_id)
    tokens.revoke(token_id, actor_of(admin))
    return Response(status_code=204)
