"""Liveness (the process answers) and readiness (the store answers, the views have caught up)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import ReadSide
from api.schemas.reference import Health

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


class Readiness(BaseModel):
    """Whether the views hold every event of the store; the same body on 200 and 503."""

    status: Literal["ready", "catching_up", "unavailable"]
    head: int | None = Field(description="The newest position in the event store (null: down).")
    positions: dict[str, int] = Field(description="Each projection's position, by name.")


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"model": Readiness, "description": "Not ready yet (or the store is down)"}},
)
def readyz(projections: ReadSide) -> JSONResponse:
    """200 once the event store answers and every projection has reached its head; 503 with
    the same body while they catch up (or when the store or the views do not answer)."""
    head: int | None = None
    positions: dict[str, int] | None = None
    try:
        head = projections.head()
    except Exception:  # readiness reports a store that does not answer; it never fails
        log.exception("the event store did not answer the readiness check")
    try:
        positions = projections.positions()
    except Exception:  # nor does it fail when the views' database does not answer
        log.exception("the views did not answer the readiness check")
    if head is None or positions is None:
        status = "unavailable"
    elif min(positions.values(), default=head) >= head:
        status = "ready"
    else:
        status = "catching_up"
    body = Readiness(status=status, head=head, positions=positions or {})
    return JSONResponse(body.model_dump(), status_code=200 if status == "ready" else 503)
