"""Issuing bearer tokens (admin only)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Admin, Tokens
from api.errors import problems
from api.schemas.tokens import CreateToken, TokenOut
from domain.values import Role

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"])


@router.post(
    "",
    status_code=201,
    response_model=TokenOut,
    summary="Issue a token",
    responses=problems(401, 403, 413, 422),
)
def create_token(body: CreateToken, _admin: Admin, tokens: Tokens) -> TokenOut:
    """The token is shown in this answer only and stored as a hash. `Idempotency-Key` is not
    honoured here, since replaying the answer would mean storing the secret: a retried
    request issues another token."""
    issued = tokens.issue(Role(body.role), body.municipalities, body.label)
    return TokenOut(
        token=issued.secret,
        role=body.role,
        municipalities=sorted(issued.token.municipalities),
        label=issued.token.label,
    )
