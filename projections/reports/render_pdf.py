"""The reports as PDF: the very same HTML document, laid out for print by WeasyPrint.

WeasyPrint applies the stylesheet's `@media print` rules (A4 pages, page numbers) and
draws the inline SVG charts itself. It needs Pango (Debian: libpango-1.0-0,
libpangoft2-1.0-0) and a font (fonts-dejavu-core), both present on these machines;
with Debian's libharfbuzz-subset0 it subsets fonts faster than with fontTools.
"""

from __future__ import annotations

import logging
from typing import cast

import weasyprint

from projections.reports.labels import Lang
from projections.reports.models import AnnualReport, NationalReport
from projections.reports.render_html import (
    Presentation,
    render_annual_html,
    render_national_html,
)

#: Tagged PDF (PDF/UA-1): a structure tree and the document's language, for screen readers.
PDF_VARIANT = "pdf/ua-1"

_LOGGER = logging.getLogger("weasyprint")


class _SvgPresentationNoise(logging.Filter):
    """Drops WeasyPrint's warnings about SVG presentation properties in `style` attributes.

    matplotlib writes `style="fill: ...; text-anchor: ..."` on SVG elements; WeasyPrint's
    HTML stylesheet parser warns about each before its SVG renderer applies them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Ignored") and "unknown property" in message)


def render_pdf(
    report: AnnualReport | NationalReport,
    lang: Lang = "sv",
    presentation: Presentation | None = None,
) -> bytes:
    """The report as a tagged PDF document (PDF/UA-1, language set from `<html lang>`)."""
    if isinstance(report, AnnualReport):
        document = render_annual_html(report, lang, presentation)
    else:
        document = render_national_html(report, lang, presentation)
    noise = _SvgPresentationNoise()
    _LOGGER.addFilter(noise)
    try:
        return cast(bytes, weasyprint.HTML(string=document).write_pdf(pdf_variant=PDF_VARIANT))
    finally:
        _LOGGER.removeFilter(noise)
