"""`/arbete/historik/{id}`: every event of a dialogue, issue or promise, oldest first.

Read from the event store (so it holds every event already recorded), for the
aggregate's own municipalities, auditors and admins: internal values included.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.workspace.common import application, may_read, parse_uuid, trail
from api.web.workspace.pages import page, translator
from api.web.workspace.session import SignedIn
from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise
from projections.eventdata import event_actor, event_data, event_type, recorded_at
from workflow.application import Loftesboken
from workflow.errors import NotFound

router = APIRouter()


def aggregate_of(app: Loftesboken, aggregate_id: UUID) -> Dialogue | Issue | Promise:
    """The dialogue, issue or promise with this id (404 if none)."""
    for get in (app.get_dialogue, app.get_issue, app.get_promise):
        try:
            return get(aggregate_id)
        except NotFound:
            continue
    raise NotFound("dialogue, issue or promise", aggregate_id)


def municipalities_of(aggregate: Dialogue | Issue | Promise) -> list[str]:
    if isinstance(aggregate, Promise):
        return list(aggregate.municipalities)
    return [aggregate.municipality]


def home_of(aggregate: Dialogue | Issue | Promise) -> str:
    """The workspace page of the aggregate."""
    kind = {Dialogue: "dialoger", Issue: "problem", Promise: "loften"}[type(aggregate)]
    return f"/arbete/{kind}/{aggregate.id}"


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


@router.get("/arbete/historik/{aggregate_id}", response_class=HTMLResponse)
def history(request: Request, principal: SignedIn, aggregate_id: str) -> HTMLResponse:
    t = translator(request)
    app = application(request)
    aggregate = aggregate_of(app, parse_uuid(aggregate_id, "aggregate"))
    may_read(principal, municipalities_of(aggregate), "histories")
    events = [
        {
            "version": event.originator_version,
            "type": event_type(event),
            "recorded_at": recorded_at(event),
            "actor": event_actor(event),
            "data": {key: _shown(value) for key, value in event_data(event).items()},
        }
        for event in app.aggregate_events(aggregate.id)
    ]
    title = t("hist_title", title=aggregate.title)
    return page(
        request,
        principal,
        "workspace/history.html",
        title,
        aggregate=aggregate,
        events=events,
        home=home_of(aggregate),
        trail=trail(t, (aggregate.title, home_of(aggregate)), (t("ws_history"), "")),
    )
