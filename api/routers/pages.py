"""The start page: what this server is, where its API docs are, and which promises hold today.

A short Swedish page for a person who has just opened the server, readable on a
phone. It links the API docs, this year's national coverage report and, for each
municipality with an issued promise whose period covers today (Europe/Stockholm),
its annual report for this year. It shows only names of places and links.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from api.routers.reports import read_side
from api.views import fresh_views
from domain.reference import municipalities, municipality
from projections.reports.source import ReportSource
from workflow.clock import Clock, today

router = APIRouter(tags=["start page"])


@cache
def environment() -> Environment:
    """The templates of the API's own pages (autoescaped)."""
    return Environment(
        loader=PackageLoader("api", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Place:
    """A municipality on the start page, with the link to its annual report."""

    name: str
    county: str
    url: str


_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_order(name: str) -> str:
    """A sort key that puts å, ä and ö after z, in that order, as Swedish does."""
    return name.lower().translate(_SWEDISH_LAST)


@router.get(
    "/",
    response_class=HTMLResponse,
    summary="The start page",
    responses={200: {"content": {"text/html": {}}, "description": "The start page in Swedish."}},
)
def start_page(request: Request) -> HTMLResponse:
    """What this is, links to the docs and reports, and the promises in force today."""
    clock: Clock = request.app.state.clock
    day = today(clock)
    views = fresh_views(read_side(request))
    codes = ReportSource(views.catalogue, views.audit).in_force_on(day)
    places = [
        Place(
            name=found.name,
            county=found.county,
            url=f"/api/v1/reports/annual/{code}/{day.year}?format=html",
        )
        for code in codes
        for found in (municipality(code),)
    ]
    html = (
        environment()
        .get_template("start.html")
        .render(
            today=day,
            year=day.year,
            docs_url=request.app.docs_url or "/docs",
            openapi_url=request.app.openapi_url or "/openapi.json",
            national_url=f"/api/v1/reports/national/{day.year}?format=html",
            municipalities_total=len(municipalities()),
            places=sorted(places, key=lambda place: swedish_order(place.name)),
        )
    )
    return HTMLResponse(html)
