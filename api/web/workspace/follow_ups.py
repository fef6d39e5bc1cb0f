"""`/arbete/loften/{id}/uppfoljningar/{follow_up_id}`: record a follow-up, or move it.

The form has one row per activity of the promise (status and comment), the summary
and the day it was held. Dates the contract refuses (held before issuance, a move
past the final follow-up) come back beside their field with what was typed kept.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.schemas.promises import RecordFollowUp, RescheduleFollowUp
from api.web.workspace.common import application, form_context, municipality_step, options, trail
from api.web.workspace.forms import blank_to_absent, checked
from api.web.workspace.pages import page, translator
from api.web.workspace.promises import (
    promise_path,
    readable_promise,
    run_command,
)
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from domain.errors import UnknownFollowUp
from domain.promise import FollowUp, Promise
from domain.values import ActivityStatus
from workflow.errors import NotFound

router = APIRouter()

PATH = "/arbete/loften/{promise_id}/uppfoljningar/{follow_up_id}"


def follow_up_of(promise: Promise, follow_up_id: str) -> FollowUp:
    try:
        return promise.follow_up(UUID(follow_up_id))
    except (ValueError, UnknownFollowUp):
        raise NotFound("follow-up", promise.id) from None


def follow_up_page(
    request: Request,
    principal: Principal,
    promise: Promise,
    *,
    follow_up_id: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    follow_up = follow_up_of(promise, follow_up_id)
    title = t("fu_title", day=t.date(follow_up.due_on))
    return page(
        request,
        principal,
        "workspace/follow_up.html",
        title,
        status_code=status,
        promise=promise,
        follow_up=follow_up,
        activities=list(promise.activities.values()),
        reported={r.activity_id: r for r in follow_up.reports},
        statuses=options(t, list(ActivityStatus)),
        writes=principal.writes and any(principal.acts_for(c) for c in promise.municipalities),
        trail=trail(
            t,
            municipality_step(t, promise.municipalities[0]),
            (promise.title, promise_path(promise.id)),
            (title, ""),
        ),
        **form_context(values, errors),
    )


@router.get(PATH, response_class=HTMLResponse)
def show(request: Request, principal: SignedIn, promise_id: str, follow_up_id: str) -> HTMLResponse:
    promise = readable_promise(request, principal, promise_id)
    return follow_up_page(request, principal, promise, follow_up_id=follow_up_id)


def _again(follow_up_id: str) -> Any:
    def show_again(
        request: Request, principal: Principal, promise: Promise, **kwargs: Any
    ) -> HTMLResponse:
        return follow_up_page(request, principal, promise, follow_up_id=follow_up_id, **kwargs)

    return show_again


@router.post(PATH, response_class=HTMLResponse)
def record(
    request: Request, principal: SignedIn, promise_id: str, follow_up_id: str, form: CheckedForm
) -> Response:
    """Record the follow-up: every activity's status and comment, the summary, the day."""
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        follow_up = follow_up_of(promise, follow_up_id)
        rows = list(promise.activities)
        data: dict[str, Any] = blank_to_absent(
            {"held_on": values.get("held_on", ""), "summary": values.get("summary", "")}
        )
        data["activities"] = [
            blank_to_absent(
                {
                    "activity_id": str(activity_id),
                    "status": values.get(f"a-{activity_id}-status", ""),
                    "comment": values.get(f"a-{activity_id}-comment", ""),
                }
            )
            for activity_id in rows
        ]
        names = {
            ("activities", n, field): f"a-{activity_id}-{field}"
            for n, activity_id in enumerate(rows)
            for field in ("status", "comment")
        }
        body = checked(RecordFollowUp, data, t, field_names=names)
        application(request).record_follow_up(
            promise.id,
            follow_up.id,
            held_on=body.held_on,
            summary=body.summary,
            activities=[a.to_domain() for a in body.activities],
            actor=principal.actor,
            expected_version=version,
        )

    return run_command(
        request,
        principal,
        promise_id,
        form,
        command,
        ["held_on", "summary"],
        again=_again(follow_up_id),
    )


@router.post(f"{PATH}/flytt", response_class=HTMLResponse)
def reschedule(
    request: Request, principal: SignedIn, promise_id: str, follow_up_id: str, form: CheckedForm
) -> Response:
    """Move the follow-up to a new date, with a reason; a miss stays a miss."""
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        follow_up = follow_up_of(promise, follow_up_id)
        data = blank_to_absent(
            {"due_on": values.get("mv-due_on", ""), "reason": values.get("mv-reason", "")}
        )
        body = checked(RescheduleFollowUp, data, t, prefix="mv-")
        application(request).reschedule_follow_up(
            promise.id,
            follow_up.id,
            due_on=body.due_on,
            reason=body.reason,
            actor=principal.actor,
            expected_version=version,
        )

    return run_command(
        request,
        principal,
        promise_id,
        form,
        command,
        ["mv-due_on", "mv-reason"],
        again=_again(follow_up_id),
    )
