"""Liveness: the process answers."""

from __future__ import annotations

from fastapi import APIRouter

from api.schemas.reference import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")
