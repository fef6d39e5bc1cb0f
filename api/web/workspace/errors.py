"""Errors under `/arbete/` answered as pages a person can read, never as JSON.

The API's exception handlers stay in charge of deciding the status and the detail
(so the workspace refuses exactly what the API refuses); for a workspace path their
problem response is turned into a page with a Swedish heading, the detail and a
way back. A sign-in that is needed sends a page view to the sign-in page and answers
a form with 401; a refused form is 403. Nothing is recorded in any of these cases.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ApiProblem
from api.web.rendering import with_lang
from api.web.workspace.pages import page, translator
from api.web.workspace.refusals import in_swedish
from api.web.workspace.session import (
    WORKSPACE,
    FormRefused,
    SignInRequired,
    sign_in_url,
)
from domain.errors import DomainError
from workflow.errors import NotFound, TooMuchContention, VersionMismatch

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


def in_workspace(request: Request) -> bool:
    path = request.url.path
    return path == WORKSPACE or path.startswith(WORKSPACE + "/")


def error_page(
    request: Request, status: int, heading: str, lines: list[str], detail: str | None = None
) -> HTMLResponse:
    t = translator(request)
    principal = getattr(request.state, "principal", None)
    swedish = in_swedish(detail) if detail and t.lang == "sv" else None
    return page(
        request,
        principal,
        "workspace/error.html",
        heading,
        status_code=status,
        heading=heading,
        lines=lines,
        detail=swedish or detail,
        detail_lang=None if swedish or t.lang == "en" else "en",
        link_url=with_lang(WORKSPACE + "/", t.lang),
        link_label=t("error_back"),
    )


def _on_sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    t = translator(request)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method in ("GET", "HEAD"):
        english = "&lang=en" if t.lang == "en" else ""
        return RedirectResponse(sign_in_url(target, exc.reason) + english, status_code=303)
    response = error_page(
        request, 401, t("signin_post_title"), [t(exc.reason), t("signin_post_body")]
    )
    return response


def _on_form_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FormRefused)
    t = translator(request)
    return error_page(
        request, 403, t("csrf_title"), [t("csrf_nothing"), t(exc.reason), t("csrf_again")]
    )


def _as_page(original: Handler) -> Handler:
    """The API's handler for a path outside the workspace; a page made from its answer inside."""

    async def handle(request: Request, exc: Exception) -> Response:
        answer = original(request, exc)
        response = await answer if isinstance(answer, Awaitable) else answer
        if not in_workspace(request):
            return response
        status = response.status_code
        detail: Any = None
        try:
            detail = json.loads(bytes(response.body)).get("detail")
        except (ValueError, AttributeError):
            detail = None
        t = translator(request)
        key = (
            f"error_title_{status}" if status in (403, 404, 409, 412, 422) else "error_title_other"
        )
        lines = [t("error_nothing_recorded")] if request.method not in ("GET", "HEAD") else []
        return error_page(request, status, t(key), lines, detail if status != 500 else None)

    return handle


def install_error_pages(app: FastAPI) -> None:
    """Wrap the API's handlers (installed first) so that workspace paths get pages."""
    for kind in (
        RequestValidationError,
        StarletteHTTPException,
        ApiProblem,
        DomainError,
        NotFound,
        VersionMismatch,
        TooMuchContention,
        Exception,
    ):
        app.add_exception_handler(kind, _as_page(app.exception_handlers[kind]))
    app.add_exception_handler(SignInRequired, _on_sign_in_required)
    app.add_exception_handler(FormRefused, _on_form_refused)
