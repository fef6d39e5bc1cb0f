"""Render a workspace page: the site's renderer plus who is signed in and the form token.

Workspace pages are never cached and never framed (they show internal data and carry
forms), and never indexed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.web import workspace_phrases  # noqa: F401  (registers the workspace's words)
from api.web.i18n import Translator
from api.web.rendering import PageMeta, render, request_lang
from api.web.workspace.session import Principal

PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "same-origin",
}


def translator(request: Request) -> Translator:
    return Translator(request_lang(request))


def page(
    request: Request,
    principal: Principal | None,
    template: str,
    title: str,
    *,
    status_code: int = 200,
    csrf_token: str | None = None,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The workspace template rendered for this person (or for nobody, when signed out)."""
    token = csrf_token if csrf_token is not None else (principal.csrf_token if principal else "")
    return render(
        request,
        template,
        PageMeta(title=title, description=title),
        status_code=status_code,
        headers={**PRIVATE_HEADERS, **(headers or {})},
        principal=principal,
        csrf_token=token,
        **context,
    )
