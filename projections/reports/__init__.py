"""Reports: a municipality's annual accountability report and national coverage.

Builders turn plain facts (`facts`) into the public models (`models`) by the
contract's dating rules; renderers give them as JSON, CSV, HTML (with charts) and PDF.
Nothing here reads the event store: an adapter over the views supplies the facts.
"""

from __future__ import annotations

from projections.reports.annual import build_annual_report
from projections.reports.facts import (
    ActivityFact,
    AuditFact,
    DialogueFact,
    FeedbackFact,
    FollowUpFact,
    IssueFact,
    ObservationFact,
    PromiseFact,
    PromiseTerm,
)
from projections.reports.formats import (
    NotAcceptable,
    Rendered,
    ReportFormat,
    ReportFormatError,
    UnknownFormat,
    choose_format,
    negotiate,
    render,
)
from projections.reports.labels import Lang, UnsupportedLanguage, parse_lang
from projections.reports.models import AnnualReport, NationalReport
from projections.reports.national import build_national_report, covered_municipalities

__all__ = [
    "ActivityFact",
    "AnnualReport",
    "AuditFact",
    "DialogueFact",
    "FeedbackFact",
    "FollowUpFact",
    "IssueFact",
    "Lang",
    "NationalReport",
    "NotAcceptable",
    "ObservationFact",
    "PromiseFact",
    "PromiseTerm",
    "Rendered",
    "ReportFormat",
    "ReportFormatError",
    "UnknownFormat",
    "UnsupportedLanguage",
    "build_annual_report",
    "build_national_report",
    "choose_format",
    "covered_municipalities",
    "negotiate",
    "parse_lang",
    "render",
]
