"""Reports over HTTP: a municipality's annual report and national coverage, in four forms.

Public: a report shows only what the public record holds. The form is chosen by
`?format=` or else by `Accept` (JSON when neither says); HTML and PDF are in Swedish
unless `?lang=en`. Each request first waits (bounded) until the views reflect every
event stored before it (read-your-writes); the app's lifespan owns the read side as
`app.state.projections`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import Response

from api.errors import ApiProblem, problems
from api.views import STALE_HEADER, fresh_views
from domain.errors import UnknownMunicipality
from domain.reference import municipality
from projections.readside import Projections
from projections.reports.formats import (
    NotAcceptable,
    ReportFormat,
    ReportFormatError,
    choose_format,
    render,
)
from projections.reports.models import AnnualReport, NationalReport
from projections.reports.render_html import Presentation
from projections.reports.source import ReportSource
from workflow.clock import Clock

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

#: Years a report may be asked for; the API refuses dates outside them too.
FIRST_YEAR, LAST_YEAR = 1900, 2999

#: Set to `true` when the views could not reach the store's head in time (the report may lag).

_TEXT = {"schema": {"type": "string"}}
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report, in the form chosen by `?format=` or `Accept`.",
        "content": {
            "text/csv": _TEXT,
            "text/html": _TEXT,
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **problems(406, 422, 503),
}

Format = Annotated[
    Literal["json", "csv", "html", "pdf"] | None,
    Query(description="The form of the report; wins over `Accept`."),
]
Lang = Annotated[Literal["sv", "en"], Query(description="Language of the HTML and PDF forms.")]
Accept = Annotated[
    str | None,
    Header(
        description="application/json, text/csv, text/html or application/pdf "
        "(406 if none of them is acceptable)."
    ),
]
Code = Annotated[str, Path(description="The municipality's four-digit kommunkod.")]
Year = Annotated[
    str,
    Path(
        description=f"A calendar year, {FIRST_YEAR} to {LAST_YEAR} (422 otherwise).",
        examples=["2025"],
    ),
]


def read_side(request: Request) -> Projections:
    """The app's running views, caught up to the store's head as of this request."""
    projections: Projections | None = getattr(request.app.state, "projections", None)
    if projections is None:
        raise ApiProblem(503, "unavailable", "The read side is not running; try again shortly.")
    return projections


def _invalid(where: str, message: str) -> ApiProblem:
    return ApiProblem(422, "validation", message, errors=[{"loc": ["path", where], "msg": message}])


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise _invalid("year", f"year must be a calendar year {FIRST_YEAR}-{LAST_YEAR}.")
    return int(text)


def _code(code: str) -> str:
    try:
        municipality(code)
    except UnknownMunicipality as exc:
        raise _invalid("code", exc.message) from None
    return code


def _source(request: Request) -> tuple[ReportSource, bool]:
    """The report source once the views hold every earlier write; and whether they did."""
    views = fresh_views(read_side(request))
    return ReportSource(views.catalogue, views.audit), not views.stale


def _form(accept: str | None, format: str | None) -> ReportFormat:
    """The form to answer with, chosen before any reading (as `formats.negotiate` does)."""
    try:
        return choose_format(accept, format)
    except NotAcceptable as exc:
        raise ApiProblem(406, "not-acceptable", str(exc)) from None
    except ReportFormatError as exc:  # `?format=` is checked by the query's type already
        raise ApiProblem(422, "validation", str(exc)) from None


def _answer(
    request: Request,
    report: AnnualReport | NationalReport,
    fresh: bool,
    form: ReportFormat,
    lang: Literal["sv", "en"],
) -> Response:
    clock: Clock = request.app.state.clock
    presentation = Presentation(made_at=clock.now(), site_url=str(request.base_url))
    rendered = render(report, form, lang, presentation)
    headers = {
        "Content-Disposition": f'inline; filename="{rendered.filename}"',
        "Vary": "Accept",
    }
    if not fresh:
        headers[STALE_HEADER] = "true"
    return Response(rendered.body, media_type=rendered.content_type, headers=headers)


@router.get(
    "/annual/{code}/{year}",
    response_model=AnnualReport,
    summary="A municipality's annual report",
    responses=REPORT_RESPONSES,
)
def annual_report(
    request: Request,
    code: Code,
    year: Year,
    format: Format = None,
    lang: Lang = "sv",
    accept: Accept = None,
) -> Response:
    """Dialogues, observations, issues, promises in force, follow-ups and feedback of the
    year, with the audit chain's `head_hash` and position the report was made from.

    An unknown municipality or an unreasonable year is 422."""
    report_code, report_year = _code(code), _year(year)
    form = _form(accept, format)
    source, fresh = _source(request)
    return _answer(request, source.annual(report_code, report_year), fresh, form, lang)


@router.get(
    "/national/{year}",
    response_model=NationalReport,
    summary="National coverage in a year",
    responses=REPORT_RESPONSES,
)
def national_report(
    request: Request,
    year: Year,
    format: Format = None,
    lang: Lang = "sv",
    accept: Accept = None,
) -> Response:
    """How many of the 290 municipalities had an issued or concluded promise in force during
    the year, per police region and county, and which had none."""
    report_year = _year(year)
    form = _form(accept, format)
    source, fresh = _source(request)
    return _answer(request, source.national(report_year), fresh, form, lang)
