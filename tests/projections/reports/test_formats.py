"""Choosing a report's form from `?format=` or `Accept`, and the bytes each form gives."""

from __future__ import annotations

import json

import pytest

from projections.reports import (
    NotAcceptable,
    ReportFormat,
    UnknownFormat,
    UnsupportedLanguage,
    choose_format,
    negotiate,
    parse_lang,
)
from tests.projections.reports.year_2025 import annual_report


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, ReportFormat.JSON),
        ("", ReportFormat.JSON),
        ("*/*", ReportFormat.JSON),
        ("application/json", ReportFormat.JSON),
        ("text/csv", ReportFormat.CSV),
        ("application/pdf", ReportFormat.PDF),
        ("text/*", ReportFormat.HTML),
        ("text/csv;q=0.5, text/html;q=0.9", ReportFormat.HTML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ReportFormat.HTML),
        ("application/pdf, */*;q=0.1", ReportFormat.PDF),
        ("image/png, text/csv ; q=0.2", ReportFormat.CSV),
        ("*/*, application/json;q=0", ReportFormat.HTML),
    ],
)
def test_accept_chooses_the_form(accept: str | None, expected: ReportFormat) -> None:
    assert choose_format(accept) is expected


def test_format_parameter_wins_over_accept() -> None:
    assert choose_format("application/json", "pdf") is ReportFormat.PDF
    assert choose_format(None, "CSV") is ReportFormat.CSV


def test_unknown_forms_are_refused_clearly() -> None:
    with pytest.raises(NotAcceptable, match="application/pdf"):
        choose_format("image/png, text/plain")
    with pytest.raises(NotAcceptable):
        choose_format("application/json;q=0")
    with pytest.raises(UnknownFormat, match="json, html, csv, pdf"):
        choose_format(None, "xlsx")


def test_language_is_swedish_unless_english_is_asked_for() -> None:
    assert parse_lang(None) == "sv"
    assert parse_lang("en") == "en"
    with pytest.raises(UnsupportedLanguage):
        parse_lang("de")


def test_negotiate_gives_body_content_type_and_file_name() -> None:
    report = annual_report()
    as_json = negotiate(report, accept="application/json")
    assert as_json.content_type == "application/json"
    assert as_json.filename == "medborgarloften-1280-2025.json"
    assert json.loads(as_json.body)["follow_ups"]["late"] == 3
    as_csv = negotiate(report, format="csv")
    assert as_csv.content_type == "text/csv; charset=utf-8"
    assert as_csv.body.decode().startswith("section,key,value")
    as_html = negotiate(report, accept="text/html", lang="en")
    assert as_html.content_type == "text/html; charset=utf-8"
    assert b'<html lang="en">' in as_html.body
