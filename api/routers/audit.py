"""Audit: a municipality's hash-linked chain of events, its verification and its heads.

Anyone may read all three (API.md, "Audit"): each entry shows the values its reader
may see and digests for the rest, so a journalist or a resident can recompute the
chain and check a report's head without a token. The municipality's own police and
municipality tokens, auditors and admins see every value not erased.
"""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.auth import reads_internal
from api.deps import App, CurrentToken, FreshViews
from api.errors import ApiProblem, problems
from api.pagination import DEFAULT_LIMIT, Cursor, Limit
from api.schemas.common import Page
from api.views import STALE_HEADER_DOC, query_checked
from domain.reference import municipalities
from projections.audit import audit_page
from projections.models import AuditEntry, AuditHead, Verification
from projections.verification import verify_municipality

router = APIRouter(prefix="/api/v1/municipalities/{code}/audit", tags=["audit"])

AUDIT_PROBLEMS = problems(404, 422)


def _known(code: str) -> None:
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
    app: App,
    views: FreshViews,
    after: int | None = Query(
        None, ge=0, le=2**62, description="Only entries after this position of the chain."
    ),
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AuditEntry]:
    """Every event that concerns the municipality, in the order recorded; `position` counts
    from 1. Each field shows its `digest`, with `value` and `salt` when the reader may see
    it (`erased: true` once erased). `digest = sha256_hex(salt + "\\n" + name + "\\n" +
    json(value))`, `hash = sha256_hex(prev_hash + json(head))` with `head` the entry's
    position, recorded_at, event_type, aggregate_type, aggregate_id, version and
    `digests`; the first `prev_hash` is 64 zeros. `after` and `cursor` page through it
    (the later of the two wins)."""
    _known(code)
    with query_checked():
        page = audit_page(
            views.audit,
            app,
            code,
            sees_all=reads_internal(token, [code]),
            after=after,
            limit=limit,
            cursor=cursor,
        )
    return Page(items=page.items, next_cursor=page.next_cursor)


@router.get(
    "/verification",
    response_model=Verification,
    summary="Verify the municipality's audit chain against the event store",
    responses={200: {"headers": STALE_HEADER_DOC}, **AUDIT_PROBLEMS},
)
def get_verification(code: str, app: App, views: FreshViews) -> Verification:
    """Recomputes the chain from the event store itself (each value checked against its
    digest) and compares it with the stored one: `ok`, how many `entries`, the `head_hash`,
    and the `first_bad_position` if any differs."""
    _known(code)
    return verify_municipality(app, views.audit, code)


@router.get(
    "/head",
    response_model=AuditHead,
    summary="The chain's hash at one position",
    responses={200: {"headers": STALE_HEADER_DOC}, **AUDIT_PROBLEMS},
)
def get_head(
    code: str,
    views: FreshViews,
    position: int = Query(..., ge=1, le=2**62, description="A position of the chain."),
) -> AuditHead:
    """The chain's hash at `position`, so that the head printed in a report can be checked
    against today's chain (404 past the head)."""
    _known(code)
    found = views.audit.hash_at(code, position)
    if found is None:
        last, _ = views.audit.head(code)
        raise ApiProblem(
            404, "not-found", f"The chain of {code} has {last} entries; there is no {position}."
        )
    return AuditHead(position=position, hash=found)
