"""The PDF is the HTML report laid out by WeasyPrint: a valid PDF whose text holds the figures."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from projections.reports import build_national_report
from projections.reports.render_pdf import render_pdf
from tests.projections.reports.test_national import PROMISES as NATIONAL_PROMISES
from tests.projections.reports.year_2025 import HEAD_HASH, annual_report


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def annual_text() -> str:
    return _text(render_pdf(annual_report()))


def test_the_annual_pdf_names_the_municipality_and_its_head_hash(annual_text: str) -> None:
    assert "Malmö" in annual_text
    assert "Medborgarlöften 2025" in annual_text
    # The hash is printed in groups of eight so it wraps whole; joined, it is the hash.
    assert HEAD_HASH in re.sub(r"\s", "", annual_text)
    assert HEAD_HASH[:8] in annual_text.split()
    assert "137" in annual_text


def test_the_annual_pdf_holds_the_charts_and_promises(annual_text: str) -> None:
    assert "Tryggare centrum" in annual_text
    assert "Genomförda för sent" in annual_text  # follow-up punctuality, table and chart
    assert "Otrygga offentliga miljöer" in annual_text  # a theme, chart and table


def test_the_national_pdf() -> None:
    text = " ".join(_text(render_pdf(build_national_report(2025, NATIONAL_PROMISES), "en")).split())
    assert "Citizen promises in Sweden's municipalities 2025" in text
    assert "Polisregion Väst" in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_pdfs_are_tagged_for_screen_readers_with_their_language(lang: str) -> None:
    for report in (annual_report(), build_national_report(2025, NATIONAL_PROMISES)):
        reader = PdfReader(io.BytesIO(render_pdf(report, lang)))  # type: ignore[arg-type]
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        tree = root["/StructTreeRoot"].get_object()
        assert tree["/K"], "a structure tree with content"
        assert "/Metadata" in root  # PDF/UA identification lives in the XMP metadata
        assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
