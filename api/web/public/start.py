"""`/`: the national start page: this year's coverage, a search, every municipality, feedback.

It works without JavaScript: the search is a plain GET form answered by `/kommun`,
and the municipalities are listed by county, each marked when a promise is in force
today (Europe/Stockholm).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.i18n import Translator
from api.web.public.common import HTML_RESPONSES, page_context
from api.web.rendering import PageMeta, render, request_lang
from domain.reference import Municipality, municipalities

router = APIRouter()

_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "u"})


def swedish_order(name: str) -> str:
    """A sort key that puts å, ä and ö after z, in that order, as Swedish does."""
    return name.lower().translate(_SWEDISH_LAST)


@dataclass(frozen=True)
class County:
    name: str
    places: list[Municipality]
    in_force: int


def counties(in_force: set[str]) -> list[County]:
    """The 21 counties in county-code order, each with its municipalities by name."""
    found: list[County] = []
    every = sorted(municipalities().values(), key=lambda m: m.county_code)
    for _, group in groupby(every, key=lambda m: m.county_code):
        places = sorted(group, key=lambda m: swedish_order(m.name))
        found.append(
            County(
                name=places[0].county,
                places=places,
                in_force=sum(p.code in in_force for p in places),
            )
        )
    return found


@router.get(
    "/",
    response_class=HTMLResponse,
    summary="The national start page",
    responses=HTML_RESPONSES,
)
def start_page(request: Request) -> HTMLResponse:
    """This year's coverage, a search for a municipality, every municipality by county
    (marked when a promise is in force today) and the latest feedback to citizens."""
    context = page_context(request)
    year = context.today.year
    national = context.reports.national(year)
    in_force = set(context.reports.in_force_on(context.today))
    t = Translator(request_lang(request))
    return render(
        request,
        "public/start.html",
        PageMeta(
            title=t("start_title"),
            description=t(
                "start_description", covered=national.covered, total=national.municipalities_total
            ),
            json_url=f"/api/v1/reports/national/{year}",
        ),
        headers=context.headers,
        national=national,
        year=year,
        counties=counties(in_force),
        in_force=in_force,
        feedback=context.reads.latest_feedback(),
    )
