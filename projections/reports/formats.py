"""Choose a report's form from `?format=` or the `Accept` header, and render it to bytes.

    ReportFormatError (ValueError)
    ├── UnknownFormat    `?format=` names no form we have (the API answers 422)
    └── NotAcceptable    nothing in `Accept` is a form we have (the API answers 406)

`?format=` wins over `Accept`. With neither (or `*/*`), the report is JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from projections.reports.labels import Lang
from projections.reports.models import AnnualReport, NationalReport
from projections.reports.render_csv import render_csv
from projections.reports.render_html import (
    Presentation,
    render_annual_html,
    render_national_html,
)
from projections.reports.render_pdf import render_pdf


class ReportFormat(Enum):
    """The four forms of a report, in the order a wildcard prefers them."""

    JSON = "json"
    HTML = "html"
    CSV = "csv"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def content_type(self) -> str:
        """The media type with its charset, for the `Content-Type` header."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


_MEDIA_TYPES = {
    ReportFormat.JSON: "application/json",
    ReportFormat.HTML: "text/html",
    ReportFormat.CSV: "text/csv",
    ReportFormat.PDF: "application/pdf",
}
MEDIA_TYPES: tuple[str, ...] = tuple(_MEDIA_TYPES.values())


class ReportFormatError(ValueError):
    """The report cannot be given in the form asked for."""


class UnknownFormat(ReportFormatError):
    """`?format=` is not one of json, csv, html, pdf."""


class NotAcceptable(ReportFormatError):
    """The `Accept` header admits none of the report's media types."""


def choose_format(accept: str | None = None, format: str | None = None) -> ReportFormat:
    """The form to answer with: `?format=` if given, else the best match for `Accept`."""
    if format is not None:
        try:
            return ReportFormat(format.strip().lower())
        except ValueError:
            names = ", ".join(f.value for f in ReportFormat)
            raise UnknownFormat(f"format must be one of {names}, not {format!r}.") from None
    if accept is None or not accept.strip():
        return ReportFormat.JSON
    ranges = _parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: ReportFormat | None = None
    for candidate_rank, candidate in enumerate(ReportFormat):
        quality, specificity = _quality(candidate.media_type, ranges)
        if quality <= 0:
            continue
        # Highest quality first, then the most specific range, then our own preference.
        score = (quality, specificity, -candidate_rank)
        if best is None or score > best:
            best, chosen = score, candidate
    if chosen is None:
        raise NotAcceptable(
            f"Reports are available as {', '.join(MEDIA_TYPES)}; none is acceptable "
            f"under Accept: {accept}"
        )
    return chosen


def _parse_accept(header: str) -> list[tuple[str, str, float]]:
    """`(type, subtype, q)` for each media range; malformed ranges are skipped."""
    ranges: list[tuple[str, str, float]] = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media:
            continue
        kind, _, subtype = media.lower().partition("/")
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((kind, subtype, quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    """The quality the most specific matching range gives a media type, and how specific."""
    kind, _, subtype = media_type.partition("/")
    match: tuple[float, int] = (0.0, -1)
    for range_kind, range_subtype, quality in ranges:
        if (range_kind, range_subtype) == (kind, subtype):
            specificity = 2
        elif (range_kind, range_subtype) == (kind, "*"):
            specificity = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if specificity > match[1]:
            match = (quality, specificity)
    return match


@dataclass(frozen=True)
class Rendered:
    """A rendered report: its body, `Content-Type`, and a file name for downloads."""

    body: bytes
    content_type: str
    filename: str


def render(
    report: AnnualReport | NationalReport,
    form: ReportFormat,
    lang: Lang = "sv",
    presentation: Presentation | None = None,
) -> Rendered:
    """The report in the chosen form (`lang` and `presentation` apply to HTML and PDF)."""
    if isinstance(report, AnnualReport):
        stem = f"medborgarloften-{report.municipality.code}-{report.year}"
    else:
        stem = f"medborgarloften-sverige-{report.year}"
    if form is ReportFormat.JSON:
        body = report.model_dump_json(indent=2).encode()
    elif form is ReportFormat.CSV:
        body = render_csv(report).encode()
    elif form is ReportFormat.HTML:
        if isinstance(report, AnnualReport):
            body = render_annual_html(report, lang, presentation).encode()
        else:
            body = render_national_html(report, lang, presentation).encode()
    else:
        body = render_pdf(report, lang, presentation)
    return Rendered(body=body, content_type=form.content_type, filename=f"{stem}.{form.value}")


def negotiate(
    report: AnnualReport | NationalReport,
    *,
    accept: str | None = None,
    format: str | None = None,
    lang: Lang = "sv",
) -> Rendered:
    """Choose the form as `choose_format` does and render the report in it."""
    return render(report, choose_format(accept, format), lang)
