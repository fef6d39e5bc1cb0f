"""The FastAPI application factory: one Löftesboken per process, routers, errors, middleware.

`create_app()` with no arguments reads the `LOFTEN_*` environment, so uvicorn can
use it as a factory (`uvicorn --factory api.app:create_app`). The application
object, the token and idempotency stores and any background services live in the
lifespan: made at start, closed at shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from api.deps import presented_token
from api.errors import install_error_handlers
from api.idempotency_middleware import IdempotencyMiddleware
from api.limits import BodyLimitMiddleware
from api.observability import RequestObservation, configure_request_log
from api.routers import (
    audit,
    deadlines,
    dialogues,
    health,
    issues,
    metrics,
    open_data,
    promises,
    reference,
    reminders,
    tokens,
)
from api.routers import reports as report_routes
from api.startup import fail_start
from api.web import public as public_pages
from api.web import workspace
from api.web.static import mount_static
from api.web.workspace.session import make_signer
from infra.background import DEFAULT_SERVICES, BackgroundService, Runtime, ServiceFactory
from infra.bootstrap import open_api_stores, open_application, open_read_side
from infra.metrics import registry_for
from workflow.clock import Clock, SystemClock
from workflow.deadlines import DeadlineWatcher
from workflow.settings import Settings

DESCRIPTION = """
The system of record for *medborgarlöften*: dialogues, issues, promises, follow-ups.

* Errors are RFC 9457 `application/problem+json`.
* Every aggregate carries `version` and an `ETag: "<version>"`; send `If-Match` to
  write only if nothing changed meanwhile (`412` otherwise; a malformed `If-Match` is `400`).
* Every POST may carry an `Idempotency-Key` (1 to 255 visible ASCII characters): a repeat
  with the same body returns the first answer (marked `Idempotent-Replayed: true`) and
  records nothing; the same key with another body is `422`; keys are kept 24 hours.
* Request bodies are at most 1 MiB (`413`).
* Reads of lists, summaries, deadlines, outcomes and audit trails come from views kept
  current in the background; each first waits (at most 2 s) until the views hold every
  write made before the request. If they do not in time, the answer is what the views
  hold and carries `X-Loften-Stale: true`.
"""


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    services: Sequence[ServiceFactory] | None = None,
) -> FastAPI:
    """`services` defaults to the projections and the deadline watcher, or to none when
    `settings.run_background_work` is off (another process runs them)."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    if services is None:
        services = DEFAULT_SERVICES if settings.run_background_work else ()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            stores = open_api_stores(settings)
            if settings.admin_token is not None:
                stores.tokens.bootstrap_admin(settings.admin_token.get_secret_value())
            loftesboken = open_application(settings, clock)
            projections = open_read_side(loftesboken, settings)
            projections.check_layouts()  # tables of another release's layout: say so, stop
        except Exception as exc:
            fail_start(exc)  # under `loften serve`: one sentence, exit 3
            raise
        watcher = DeadlineWatcher(loftesboken)
        app.state.loftesboken = loftesboken
        app.state.projections = projections
        app.state.deadline_watcher = watcher
        app.state.tokens = stores.tokens
        app.state.idempotency = stores.idempotency
        app.state.sessions = stores.sessions
        key = settings.session_key
        app.state.session_signer = make_signer(
            key.get_secret_value() if key is not None else stores.sessions.signing_key()
        )
        runtime = Runtime(
            loftesboken=loftesboken,
            settings=settings,
            clock=clock,
            projections=projections,
            deadline_watcher=watcher,
        )
        app.state.metrics = registry_for(runtime)
        started: list[BackgroundService] = []
        app.state.background_services = started
        try:
            for factory in services:
                service = factory(runtime)
                service.start()
                started.append(service)
            yield
        finally:
            for service in reversed(started):
                service.stop()
            projections.close()
            loftesboken.close()
            stores.close()

    # The docs pages load Swagger UI and ReDoc from the package, not from a CDN: the
    # server must be documented on networks that reach nothing outside.
    app = FastAPIOffline(
        title="Löftesboken",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(presented_token)],
    )
    app.state.settings = settings
    app.state.clock = clock
    install_error_handlers(app)
    app.add_middleware(IdempotencyMiddleware, not_replayed=[tokens.router.prefix])
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(RequestObservation)  # outermost: sees every answer
    configure_request_log()
    for module in (health, metrics, reference, reminders, dialogues, issues, promises, tokens):
        app.include_router(module.router)
    for module in (deadlines, audit):  # read side and deadlines
        app.include_router(module.router)
    app.include_router(report_routes.router)
    app.include_router(open_data.router)
    app.include_router(public_pages.router)
    workspace.install(app)
    mount_static(app)
    _document_idempotency_keys(app)
    return app


IDEMPOTENCY_KEY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes a retry safe: the same key with the same body answers the first "
    "response again and records nothing; with another body it is 422 (kept 24 hours).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def _document_idempotency_keys(app: FastAPI) -> None:
    """The key is handled by middleware, so its parameter is added to each POST's schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for path, item in schema["paths"].items():
                post = item.get("post")
                if post is not None and path != tokens.router.prefix:
                    post.setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
