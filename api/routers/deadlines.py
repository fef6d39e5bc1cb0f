"""Deadlines: the follow-ups of issued promises as a list and a calendar feed, and checks now.

Follow-ups of issued and concluded promises are public; drafts have none and a
withdrawn promise's no longer count. The deadline watcher marks missed ones overdue
in the background; an admin may run a check at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from api.deps import Admin, FreshViews, Watcher
from api.errors import ApiProblem, problems
from api.filters import DueBefore, MunicipalityFilter
from api.pagination import DEFAULT_LIMIT, Cursor, Limit
from api.schemas.common import Page
from api.views import STALE_HEADER_DOC, Views, query_checked
from domain.reference import Municipality, municipalities
from domain.values import FollowUpStatus
from projections.calendar import CalendarEntry, deadlines_calendar
from projections.cursors import MAX_LIMIT
from projections.lists import list_deadlines
from projections.models import DeadlineRow

router = APIRouter(tags=["deadlines"])

CALENDAR_MEDIA_TYPE = "text/calendar"


class DeadlineCheck(BaseModel):
    """How many follow-ups this check marked overdue (0 when nothing new was due)."""

    marked: int


@router.get(
    "/api/v1/deadlines",
    response_model=Page[DeadlineRow],
    summary="List follow-up deadlines, soonest first",
    responses={200: {"headers": STALE_HEADER_DOC}, **problems(401, 422)},
)
def get_deadlines(
    views: FreshViews,
    municipality: MunicipalityFilter = None,
    status: FollowUpStatus | None = Query(
        None, description="Only follow-ups in this status: scheduled, overdue or done."
    ),
    due_before: DueBefore = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[DeadlineRow]:
    """Public: follow-ups of issued and concluded promises on their current due dates
    (`municipality` matches any of a promise's municipalities). `late` marks a follow-up
    done after its due date."""
    with query_checked():
        page = list_deadlines(
            views.catalogue,
            municipality=municipality,
            status=status,
            due_before=due_before,
            limit=limit,
            cursor=cursor,
        )
    return Page(items=page.items, next_cursor=page.next_cursor)


def _municipality(code: str) -> Municipality:
    found = municipalities().get(code)
    if found is None:
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")
    return found


def _every_deadline(views: Views, code: str) -> Iterator[DeadlineRow]:
    """Every follow-up of the municipality's issued or concluded promises, page by page."""
    cursor: str | None = None
    while True:
        page = list_deadlines(views.catalogue, municipality=code, limit=MAX_LIMIT, cursor=cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


@router.get(
    "/api/v1/municipalities/{code}/deadlines.ics",
    response_class=Response,
    summary="The municipality's follow-up deadlines as an iCalendar feed",
    responses={
        200: {
            "content": {CALENDAR_MEDIA_TYPE: {"schema": {"type": "string"}}},
            "headers": STALE_HEADER_DOC,
            "description": "An iCalendar (RFC 5545) feed.",
        },
        **problems(401, 404),
    },
)
def get_deadlines_calendar(code: str, request: Request, views: FreshViews) -> Response:
    """Public: one all-day VEVENT per follow-up of the municipality's issued or concluded
    promises, whatever its status, on its current due date. The UID is made from the
    follow-up's id, so subscribed calendars move the event when it is rescheduled."""
    municipality = _municipality(code)
    entries = [
        CalendarEntry(
            promise_id=row.promise_id,
            promise_title=row.promise_title,
            follow_up_id=row.follow_up_id,
            due_on=row.due_on,
            status=row.status.value,
            final=row.final,
        )
        for row in _every_deadline(views, code)
    ]
    body = deadlines_calendar(
        municipality.name,
        entries,
        generated_at=request.app.state.clock.now(),
        base_url=str(request.base_url).rstrip("/"),
    )
    return Response(
        body,
        media_type=f"{CALENDAR_MEDIA_TYPE}; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="deadlines-{code}.ics"',
            **views.headers(),
        },
    )


@router.post(
    "/api/v1/admin/deadline-checks",
    response_model=DeadlineCheck,
    summary="Check the deadlines now",
    responses=problems(401, 403),
)
def check_deadlines(_admin: Admin, watcher: Watcher) -> DeadlineCheck:
    """Admin only: marks every follow-up whose due date has passed unrecorded overdue (one
    `FollowUpOverdue` per follow-up and due date) and says how many this check marked. The
    server also checks at start and every minute, so this is for when you cannot wait."""
    return DeadlineCheck(marked=watcher.check())
