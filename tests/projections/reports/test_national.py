"""National coverage against a hand-counted fixture across several police regions."""

from __future__ import annotations

import json
from datetime import date

from domain.values import PromiseStatus
from projections.reports import PromiseTerm, build_national_report

ISSUED, CONCLUDED = PromiseStatus.ISSUED, PromiseStatus.CONCLUDED
PROMISES = [
    PromiseTerm(("1280",), ISSUED, date(2025, 1, 1), date(2025, 12, 31)),  # Malmö
    PromiseTerm(("0180",), CONCLUDED, date(2023, 6, 1), date(2025, 1, 1)),  # Stockholm, 1 day
    # LPO Södra Fyrbodal: one promise, three municipalities, each covered
    PromiseTerm(("1415", "1421", "1419"), ISSUED, date(2024, 1, 1), date(2025, 12, 31)),
    PromiseTerm(("1233", "1280"), ISSUED, date(2025, 3, 1), date(2026, 2, 28)),  # Malmö again
    PromiseTerm(("2580",), PromiseStatus.WITHDRAWN, date(2025, 1, 1), date(2025, 12, 31)),
    PromiseTerm(("0380",), PromiseStatus.DRAFT, date(2025, 1, 1), date(2025, 12, 31)),
    PromiseTerm(("2480",), ISSUED, date(2026, 1, 1), date(2026, 12, 31)),  # Umeå, next year
    PromiseTerm(("0580",), CONCLUDED, date(2022, 1, 1), date(2024, 12, 31)),  # Linköping, ended
]

# Totals per region and county counted from SCB's list; covered counted by hand above.
REGIONS = {
    "Polisregion Bergslagen": (0, 43),
    "Polisregion Mitt": (0, 28),
    "Polisregion Nord": (0, 44),
    "Polisregion Stockholm": (1, 27),  # Stockholm; the region also holds Gotland
    "Polisregion Syd": (2, 58),  # Malmö, Vellinge
    "Polisregion Väst": (3, 55),  # Stenungsund, Orust, Tjörn
    "Polisregion Öst": (0, 35),
}
COVERED = {"0180", "1233", "1280", "1415", "1419", "1421"}


def test_national_coverage_matches_the_hand_count() -> None:
    report = build_national_report(2025, PROMISES)
    assert report.year == 2025
    assert report.municipalities_total == 290
    assert report.covered == 6
    assert report.share == 6 / 290
    regions = {row.name: (row.covered, row.total) for row in report.by_police_region}
    assert regions == REGIONS
    counties = {row.name: (row.covered, row.total) for row in report.by_county}
    assert len(counties) == 21
    assert counties["Stockholms län"] == (1, 26)
    assert counties["Skåne län"] == (2, 33)
    assert counties["Västra Götalands län"] == (3, 49)
    assert counties["Norrbottens län"] == (0, 14)  # Luleå's promise was withdrawn
    assert counties["Uppsala län"] == (0, 8)  # Uppsala's is a draft
    assert sum(c for c, _ in counties.values()) == 6
    assert sum(t for _, t in counties.values()) == 290
    assert len(report.uncovered) == 284
    assert COVERED.isdisjoint(report.uncovered)
    assert {"2580", "0380", "2480", "0580"} <= set(report.uncovered)
    assert report.uncovered == sorted(report.uncovered)


def test_the_json_keys_are_the_contracts() -> None:
    body = json.loads(build_national_report(2025, PROMISES).model_dump_json())
    assert list(body) == [
        "year",
        "municipalities_total",
        "covered",
        "share",
        "by_police_region",
        "by_county",
        "uncovered",
        "covered_municipalities",  # beyond the contract, for readers
    ]
    assert set(body["by_county"][0]) >= {"name", "covered", "total"}
    assert body["by_county"][0]["name"] == "Stockholms län"  # in SCB's county order


def test_coverage_depends_on_the_year() -> None:
    assert build_national_report(2026, PROMISES).covered == 3  # Vellinge, Malmö, Umeå
    assert build_national_report(2022, PROMISES).covered == 1  # Linköping
    assert build_national_report(2030, PROMISES).covered == 0
