"""The reports as HTML documents a municipality can publish: Jinja2 templates, inline charts.

Templates ship as package data under `templates/` and are autoescaped; only the charts'
SVG, which matplotlib writes and escapes itself, is passed through as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from jinja2 import Environment
from markupsafe import Markup

from domain.reference import municipalities
from projections.reports import charts
from projections.reports.labels import Labels, Lang
from projections.reports.models import AnnualReport, NationalReport
from projections.templating import template_environment


@cache
def environment() -> Environment:
    """The one Jinja2 environment of the reports (templates are compiled once)."""
    return template_environment("projections.reports")


@dataclass(frozen=True)
class Presentation:
    """How a reader meets a report: when it was made, and the site its links point into.

    `site_url` (e.g. `https://loftesboken.se`) makes the links to promise and dialogue
    pages absolute, as a PDF needs; empty, they are paths on the serving site.
    """

    made_at: datetime | None = None
    site_url: str = ""


def render_annual_html(
    report: AnnualReport, lang: Lang = "sv", presentation: Presentation | None = None
) -> str:
    """The annual report of a municipality as a complete HTML document."""
    labels = Labels(lang)
    shown = presentation or Presentation()
    return (
        environment()
        .get_template("annual.html")
        .render(
            report=report,
            t=labels,
            lang=lang,
            hash_groups=hash_groups(report.audit.head_hash),
            made_at=_made_at(shown.made_at),
            site=shown.site_url.rstrip("/"),
            page_lang="?lang=en" if lang == "en" else "",
            theme_chart=_markup(charts.observations_by_theme(report, labels)),
            follow_up_chart=_markup(charts.follow_up_punctuality(report, labels)),
        )
    )


def render_national_html(
    report: NationalReport, lang: Lang = "sv", presentation: Presentation | None = None
) -> str:
    """The national coverage report as a complete HTML document."""
    labels = Labels(lang)
    shown = presentation or Presentation()
    places = municipalities()
    return (
        environment()
        .get_template("national.html")
        .render(
            report=report,
            t=labels,
            lang=lang,
            uncovered=[places[code] for code in report.uncovered],
            covered=[places[code] for code in report.covered_municipalities],
            made_at=_made_at(shown.made_at),
            site=shown.site_url.rstrip("/"),
            page_lang="?lang=en" if lang == "en" else "",
            region_chart=_markup(charts.coverage_by_region(report, labels)),
        )
    )


def _made_at(moment: datetime | None) -> str | None:
    """The moment as UTC, to the minute: `2025-07-05 09:30 UTC`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def hash_groups(head_hash: str, size: int = 8) -> list[str]:
    """The hash in groups of `size` digits, so it wraps between groups and reads aloud."""
    return [head_hash[i : i + size] for i in range(0, len(head_hash), size)]


def _markup(svg: str | None) -> Markup | None:
    # Trusted: matplotlib writes the SVG and escapes every text in it.
    return Markup(svg) if svg is not None else None
