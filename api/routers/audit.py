"""Audit: a municipality's hash-linked chain of events, and its verification against the store.

Readers: auditors, admins, and the municipality's own police and municipality
tokens; any other token is 403 and the public 401 (public reads never show the
audit trail).
"""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.auth import require_internal_reader
from api.deps import App, CurrentToken, FreshViews
from api.errors import ApiProblem, problems
from api.pagination import DEFAULT_LIMIT, Cursor, Limit
from api.schemas.common import Page
from api.views import STALE_HEADER_DOC, query_checked
from domain.reference import municipalities
from infra.tokens import Token
from projections.audit import audit_page, verify_municipality
from projections.models import AuditEntry, Verification

router = APIRouter(prefix="/api/v1/municipalities/{code}/audit", tags=["audit"])

AUDIT_PROBLEMS = problems(401, 403, 404, 422)


def _audit_reader(code: str, token: Token) -> None:
    require_internal_reader(token, [code], "the audit trail")
    if code not in municipalities():
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")


@router.get(
    "",
    response_model=Page[AuditEntry],
    summary="Read the municipality's audit chain",
    responses={200: {"headers": STALE_HEADER_DOC}, **AUDIT_PROBLEMS},
)
def get_audit(
    code: str,
    token: CurrentToken,
    views: FreshViews,
    after: int | None = Query(
        None, ge=0, le=2**62, description="Only entries after this position of the chain."
    ),
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AuditEntry]:
    """Every event that concerns the municipality, in the order recorded; `position` counts
    from 1. `hash = sha256_hex(prev_hash + canonical)` with `canonical` the entry without
    `hash` and `prev_hash` as compact key-sorted JSON (UTF-8); the first `prev_hash` is 64
    zeros. `after` and `cursor` page through it (the later of the two wins)."""
    _audit_reader(code, token)
    with query_checked():
        page = audit_page(views.audit, code, after=after, limit=limit, cursor=cursor)
    return Page(items=page.items, next_cursor=page.next_cursor)


@router.get(
    "/verification",
    response_model=Verification,
    summary="Verify the municipality's audit chain against the event store",
    responses={200: {"headers": STALE_HEADER_DOC}, **AUDIT_PROBLEMS},
)
def get_verification(code: str, token: CurrentToken, app: App, views: FreshViews) -> Verification:
    """Recomputes the chain from the event store itself and compares it with the stored one:
    `ok`, how many `entries`, the `head_hash`, and the `first_bad_position` if any differs."""
    _audit_reader(code, token)
    return verify_municipality(app, views.audit, code)
