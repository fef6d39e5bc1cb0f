"""`/metrics`: the Prometheus text format, for an admin token unless made public.

`LOFTEN_METRICS_PUBLIC=true` opens it to anyone (a scraper on a private network, or a
proxy that guards it); otherwise it needs an admin bearer token (Prometheus's
`authorization` setting). What it shows is listed in `infra.metrics`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.auth import require_admin
from api.deps import CurrentToken

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    summary="Metrics (Prometheus text format)",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
)
def metrics(request: Request, token: CurrentToken) -> Response:
    """Requests, commands, projection lag, overdue follow-ups (admin unless public)."""
    if not request.app.state.settings.metrics_public:
        require_admin(token)
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
