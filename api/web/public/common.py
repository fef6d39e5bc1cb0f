"""What every public page needs: the views as of this request, today's date, a 404 page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.routers.reports import read_side
from api.views import fresh_views
from api.web.i18n import Translator
from api.web.rendering import PageMeta, render, request_lang
from projections.page_reads import PageReads
from projections.reports.source import ReportSource
from workflow.clock import Clock, today

HTML_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {"text/html": {}},
        "description": "The page, in Swedish or (`?lang=en`) English.",
    },
}


@dataclass(frozen=True)
class PageContext:
    """The reads of one request, once the views hold every earlier write."""

    reads: PageReads
    reports: ReportSource
    today: date
    headers: dict[str, str]


def page_context(request: Request) -> PageContext:
    views = fresh_views(read_side(request))
    clock: Clock = request.app.state.clock
    return PageContext(
        reads=PageReads(views.catalogue, views.pages),
        reports=ReportSource(views.catalogue, views.audit),
        today=today(clock),
        headers=views.headers(),
    )


def parse_id(value: str) -> UUID | None:
    """The id in a page's path, or None when it is not one (the page is then 404)."""
    try:
        return UUID(value)
    except ValueError:
        return None


def not_found(request: Request, what: str) -> HTMLResponse:
    """A 404 page that says what was not found and where to go instead."""
    t = Translator(request_lang(request))
    return render(
        request,
        "public/not_found.html",
        PageMeta(title=t("not_found_title"), description=t(what)),
        status_code=404,
        what=what,
    )
