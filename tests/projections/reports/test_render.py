"""CSV and HTML carry the same figures as the JSON report; HTML is a publishable document."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

from domain.reference import municipalities
from domain.values import PromiseStatus
from projections.reports import AuditFact, PromiseTerm, build_annual_report, build_national_report
from projections.reports.charts import observations_by_theme
from projections.reports.labels import Labels
from projections.reports.models import ThemeCount
from projections.reports.render_csv import render_csv
from projections.reports.render_html import render_annual_html, render_national_html
from tests.projections.reports.test_national import PROMISES as NATIONAL_PROMISES
from tests.projections.reports.year_2025 import EXPECTED_JSON, HEAD_HASH, PROMISES, annual_report


class Figures(HTMLParser):
    """The text of every element marked `data-key`, by key, and the document's `lang`."""

    def __init__(self, document: str) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}
        self.lang: str | None = None
        self.svgs = 0
        self.codes: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(document)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "svg":
            self.svgs += 1
        if values.get("data-code"):
            self.codes.append(str(values["data-code"]))
        if tag in {"meta", "br", "link"}:
            return
        key = values.get("data-key")
        self._open.append((tag, key))
        if key is not None:
            self.figures[key] = ""

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, key in self._open:
            if key is not None:
                self.figures[key] += data


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _leaves(value: object, path: str = "") -> dict[str, object]:
    if isinstance(value, dict) and value:
        return {k: v for key, c in value.items() for k, v in _leaves(c, f"{path}.{key}").items()}
    if isinstance(value, list) and value:
        return {k: v for i, c in enumerate(value) for k, v in _leaves(c, f"{path}.{i}").items()}
    return {path.lstrip("."): value}


def test_the_annual_csv_carries_every_value_of_the_json() -> None:
    rows = _rows(render_csv(annual_report()))
    assert rows[0] == ["section", "key", "value"]
    from_csv = {f"{section}.{key}".rstrip("."): value for section, key, value in rows[1:]}
    expected = {
        path: "" if value is None or value == [] else str(value)
        for path, value in _leaves(EXPECTED_JSON).items()
    }
    assert from_csv == expected
    assert ["dialogues", "by_kind.citizen_dialogue", "2"] in rows
    assert ["follow_ups", "late", "3"] in rows
    assert ["audit", "head_hash", HEAD_HASH] in rows


def test_the_national_csv_carries_every_value_of_the_json() -> None:
    report = build_national_report(2025, NATIONAL_PROMISES)
    rows = _rows(render_csv(report))
    from_csv = {f"{section}.{key}".rstrip("."): value for section, key, value in rows[1:]}
    body = json.loads(report.model_dump_json())
    assert from_csv == {path: str(value) for path, value in _leaves(body).items()}
    assert ["covered", "", "6"] in rows


def test_the_annual_html_shows_every_figure_of_the_json() -> None:
    report = annual_report()
    labels = Labels("sv")
    page = Figures(render_annual_html(report))
    shown = page.figures
    for path, value in _leaves(EXPECTED_JSON).items():
        if isinstance(value, int) and path in shown:
            # the year and the chain position are identifiers: written without grouping
            plain = path in {"year", "audit.position"}
            assert shown[path] == (str(value) if plain else labels.number(value)), path
    numbers = [p for p, v in _leaves(EXPECTED_JSON).items() if isinstance(v, int)]
    assert set(numbers) <= set(shown), "every count of the report is on the page"
    for index, promise in enumerate(report.promises):
        assert shown[f"promises.{index}.title"] == promise.title
        assert shown[f"promises.{index}.status"] == labels.of(promise.status)
        for number, activity in enumerate(promise.activities):
            key = f"promises.{index}.activities.{number}"
            assert shown[f"{key}.description"] == activity.description
            assert shown[f"{key}.status"] == labels.of(activity.status)
    assert shown["promises.0.outcome"].startswith("Delvis uppfyllt")
    for index, item in enumerate(report.feedback):
        assert shown[f"feedback.{index}.published_on"] == item.published_on.isoformat()
        assert shown[f"feedback.{index}.summary"] == item.summary
    assert shown["municipality.name"] == "Malmö"
    assert re.sub(r"\s", "", shown["audit.head_hash"]) == HEAD_HASH
    assert page.lang == "sv"
    assert page.svgs == 2, "observations by theme and follow-up punctuality are drawn"


def test_the_annual_html_is_a_publishable_document() -> None:
    document = render_annual_html(annual_report())
    assert document.startswith("<!doctype html>")
    assert '<meta name="viewport"' in document
    assert "@media print" in document
    assert "<script" not in document
    assert "Iakttagelser per tema" in document
    assert "Uppföljning" in document
    assert "Så kontrollerar vem som helst rapporten" in document  # how to verify the head hash
    report = annual_report()
    command = (
        f"python3 docs/verify.py --url URL --municipality {report.municipality.code} "
        f"--position {report.audit.position} --head {report.audit.head_hash}"
    )
    assert command in document  # the verifier's very command line, for this report's head
    assert "Vellinge" in document  # the other municipality of the joint promise


def test_the_annual_html_in_english() -> None:
    page = Figures(render_annual_html(annual_report(), "en"))
    assert page.lang == "en"
    assert page.figures["promises.1.activities.1.status"] == "Delayed"
    document = render_annual_html(annual_report(), "en")
    assert "Observations by theme" in document
    assert "Anyone can check this report" in document


def test_the_html_escapes_what_people_wrote() -> None:
    hostile = replace(PROMISES[0], title="<script>alert(1)</script> & co")
    report = build_annual_report(
        "1280",
        2025,
        dialogues=[],
        observations=[],
        issues=[],
        promises=[hostile],
        audit=AuditFact(HEAD_HASH, 1),
    )
    document = render_annual_html(report)
    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in document


def test_the_national_html_shows_every_figure() -> None:
    report = build_national_report(2025, NATIONAL_PROMISES)
    labels = Labels("sv")
    page = Figures(render_national_html(report))
    shown = page.figures
    assert shown["covered"] == "6"
    assert shown["municipalities_total"] == "290"
    assert shown["share"] == labels.percent(6 / 290) == "2,1\u00a0%"
    for prefix, rows in (
        ("by_police_region", report.by_police_region),
        ("by_county", report.by_county),
    ):
        for index, row in enumerate(rows):
            assert shown[f"{prefix}.{index}.name"] == row.name
            assert shown[f"{prefix}.{index}.covered"] == str(row.covered)
            assert shown[f"{prefix}.{index}.total"] == str(row.total)
    assert page.codes == report.uncovered
    assert page.svgs == 1, "coverage by police region is drawn"


def test_a_national_report_with_every_municipality_covered() -> None:
    everyone = [
        PromiseTerm(
            tuple(municipalities()), PromiseStatus.ISSUED, date(2025, 1, 1), date(2025, 12, 31)
        )
    ]
    report = build_national_report(2025, everyone)
    assert (report.covered, report.share, report.uncovered) == (290, 1.0, [])
    assert "Alla kommuner hade ett medborgarlöfte." in render_national_html(report)


def test_the_theme_chart_gives_observations_and_mentions_each_their_own_scale() -> None:
    """A survey's few observations with hundreds of mentions must not flatten the others:
    observations and mentions are drawn in two panels, each on its own scale."""
    report = annual_report()
    themes = dict(report.observations_by_theme)
    themes[next(iter(themes))] = ThemeCount(observations=3, mentions=900)
    bigger = report.model_copy(update={"observations_by_theme": themes})
    svg = observations_by_theme(bigger, Labels("sv"))
    assert svg is not None
    assert len(re.findall(r'<g id="axes_\d+"', svg)) == 2
    assert ">Iakttagelser<" in svg and ">Omnämnanden<" in svg
    assert ">900<" in svg and ">3<" in svg
