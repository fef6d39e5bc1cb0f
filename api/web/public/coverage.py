"""`/tackning/{year}`: the national coverage report as a page, covered and uncovered listed."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.routers.reports import FIRST_YEAR, LAST_YEAR
from api.web.i18n import Translator
from api.web.public.common import HTML_RESPONSES, not_found, page_context
from api.web.public.start import swedish_order
from api.web.rendering import PageMeta, render, request_lang
from domain.reference import Municipality, municipalities

router = APIRouter()


def by_county(codes: list[str]) -> list[tuple[str, list[Municipality]]]:
    """The municipalities named by `codes`, grouped by county (county-code order)."""
    every = municipalities()
    places = sorted((every[code] for code in codes), key=lambda m: m.county_code)
    return [
        (group[0].county, sorted(group, key=lambda m: swedish_order(m.name)))
        for _, grouped in groupby(places, key=lambda m: m.county_code)
        for group in (list(grouped),)
    ]


@router.get(
    "/tackning/{year}",
    response_class=HTMLResponse,
    summary="National coverage in a year, as a page",
    responses={**HTML_RESPONSES, 404: {"description": "Not a year the register covers."}},
)
def coverage_page(request: Request, year: str) -> HTMLResponse:
    """How many of the 290 municipalities had an issued promise in force during the year,
    per police region and county, and which did and did not."""
    if not (year.isascii() and year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR):
        return not_found(request, "unknown_year")
    number = int(year)
    context = page_context(request)
    report = context.reports.national(number)
    t = Translator(request_lang(request))
    report_lang = "&lang=en" if t.lang == "en" else ""
    base = f"/api/v1/reports/national/{number}"
    return render(
        request,
        "public/coverage.html",
        PageMeta(
            title=t("coverage_title", year=number),
            description=t(
                "coverage_description",
                year=number,
                covered=report.covered,
                total=report.municipalities_total,
            ),
            json_url=base,
        ),
        headers=context.headers,
        report=report,
        year=number,
        covered=by_county(report.covered_municipalities),
        uncovered=by_county(report.uncovered),
        report_links=[
            ("HTML", f"{base}?format=html{report_lang}"),
            ("PDF", f"{base}?format=pdf{report_lang}"),
            ("CSV", f"{base}?format=csv"),
            ("JSON", f"{base}?format=json"),
        ],
    )
