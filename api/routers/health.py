"""Liveness (the process answers), readiness (it can serve), and how fresh the views are.

Readiness fails only on what this process needs: the event store and the views'
database must answer, and a process that keeps its own views current (the default,
one process) must have brought them to the store's head once since it started and
still be feeding them. A process that leaves the views to `loften worker` is ready
while the worker is down: it answers writes, and reads marked stale. How far the
views are behind is reported beside (`views`, `lag`) and on `/metrics`, so a load
balancer checking `/readyz` never pulls every API process because one worker stopped.
"""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import ReadSide
from api.schemas.reference import Health
from projections.framework import ViewLayoutsOutdated

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


class Readiness(BaseModel):
    """Whether this process can serve, and how fresh the views are; same body on 200 and 503."""

    status: Literal["ready", "catching_up", "unavailable"]
    head: int | None = Field(description="The newest position in the event store (null: down).")
    positions: dict[str, int] = Field(description="Each projection's position, by name.")
    views: Literal["current", "behind", "outdated", "unknown"] = Field(
        description="Whether every view holds every event (unknown: the store or views are "
        "down; outdated: another release's table layout built them, run `loften rebuild`)."
    )
    outdated: dict[str, str] = Field(
        default_factory=dict,
        description="Views of another layout than this release's: name -> what to do.",
    )
    lag: dict[str, int] = Field(description="Events each view has still to apply, by name.")
    feeds_views: bool = Field(
        description="Whether this process keeps the views current itself (false: a worker does)."
    )


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"model": Readiness, "description": "Not ready yet (or the store is down)"}},
)
def readyz(request: Request, projections: ReadSide) -> JSONResponse:
    """200 when this process can serve: the store and the views answer and, if it feeds the
    views itself, they have reached the head once since it started and are still fed; 503
    with the same body otherwise. `views` and `lag` say how fresh the views are either way."""
    head: int | None = None
    positions: dict[str, int] | None = None
    try:
        head = projections.head()
    except Exception:  # readiness reports a store that does not answer; it never fails
        log.exception("the event store did not answer the readiness check")
    outdated: dict[str, tuple[str | None, str]] = {}
    try:
        positions = projections.positions()
        outdated = projections.outdated_layouts()
    except Exception:  # nor does it fail when the views' database does not answer
        log.exception("the views did not answer the readiness check")
    if outdated:
        log.error("readiness: %s", ViewLayoutsOutdated(outdated))
    state = request.app.state
    feeds = projections in getattr(state, "background_services", ())
    lag = (
        {name: max(0, head - at) for name, at in (positions or {}).items()}
        if head is not None
        else {}
    )
    current = head is not None and positions is not None and not any(lag.values())
    if current and feeds:
        state.views_reached_head = True
    if head is None or positions is None or outdated:
        status = "unavailable"
    elif not feeds or current:
        status = "ready"
    elif projections.is_running and getattr(state, "views_reached_head", False):
        status = "ready"  # fed here and merely busy: the lag is reported, not fatal
    else:
        status = "catching_up"
    body = Readiness(
        status=status,
        head=head,
        positions=positions or {},
        views="unknown"
        if head is None or positions is None
        else "outdated"
        if outdated
        else "current"
        if current
        else "behind",
        lag=lag,
        feeds_views=feeds,
        outdated={
            name: f"built with layout {old}, this release reads {new}: run `loften rebuild`"
            for name, (old, new) in outdated.items()
        },
    )
    return JSONResponse(body.model_dump(), status_code=200 if status == "ready" else 503)
