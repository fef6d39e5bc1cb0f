"""The reports package's public surface is pinned, so nothing becomes public by accident."""

from __future__ import annotations

import projections.reports as reports


def test_public_surface() -> None:
    assert sorted(reports.__all__) == [
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
    for name in reports.__all__:
        assert hasattr(reports, name)
