"""The staff workspace under `/arbete/`: the whole process, in the browser, without JavaScript.

Server-rendered from the same application methods and views the JSON API uses (never
by calling the API over HTTP), with the API's roles and scopes (`api.auth`) applied
to the `Principal` a session resolves to. `install(app)` adds the routes and the
error pages.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse

from api.web.workspace import (
    admin,
    corrections,
    dialogues,
    follow_ups,
    history,
    issues,
    promises,
    reminders,
    signin,
    start,
)
from api.web.workspace.errors import install_error_pages

router = APIRouter(tags=["workspace"], include_in_schema=False)
for module in (
    signin,
    start,
    dialogues,
    issues,
    promises,
    follow_ups,
    corrections,
    history,
    admin,
    reminders,
):
    router.include_router(module.router)


@router.get("/arbete")
def _slash() -> RedirectResponse:
    return RedirectResponse("/arbete/", status_code=308)


def install(app: FastAPI) -> None:
    """The workspace's routes and error pages (after the API's own error handlers)."""
    app.include_router(router)
    install_error_pages(app)
