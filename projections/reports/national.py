"""Build the national coverage report: which of the 290 municipalities had a promise in force.

A municipality is covered in a year when an issued or concluded promise naming it has
a period that overlaps the year (see `dating.in_force`); a promise of several
municipalities covers each of them. Drafts and withdrawn promises never count, so the
caller may pass promises of any status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Protocol

from domain.reference import Municipality, municipalities, municipality
from projections.reports.dating import HasTerm, in_force
from projections.reports.models import AreaCoverage, NationalReport


class HasMunicipalities(HasTerm, Protocol):
    """A promise's term together with the municipalities it was made with."""

    @property
    def municipalities(self) -> tuple[str, ...]: ...


def covered_municipalities(year: int, promises: Iterable[HasMunicipalities]) -> set[str]:
    """The codes of municipalities with a promise in force during the year."""
    covered: set[str] = set()
    for promise in promises:
        if in_force(promise, year):
            for code in promise.municipalities:
                municipality(code)  # an unknown code is a bug upstream: say so loudly
                covered.add(code)
    return covered


def build_national_report(year: int, promises: Iterable[HasMunicipalities]) -> NationalReport:
    """Coverage in the year: in total, per police region, per county, and who is missing."""
    every = municipalities()
    covered = covered_municipalities(year, promises)
    return NationalReport(
        year=year,
        municipalities_total=len(every),
        covered=len(covered),
        share=len(covered) / len(every),
        by_police_region=_by(every.values(), covered, lambda m: (m.police_region, m.police_region)),
        by_county=_by(every.values(), covered, lambda m: (m.county_code, m.county)),
        uncovered=[code for code in every if code not in covered],
        covered_municipalities=[code for code in every if code in covered],
    )


def _by(
    every: Iterable[Municipality],
    covered: set[str],
    area: Callable[[Municipality], tuple[str, str]],
) -> list[AreaCoverage]:
    """Coverage per area, in the order of the area's sort key (county code, region name)."""
    totals: Counter[tuple[str, str]] = Counter()
    hits: Counter[tuple[str, str]] = Counter()
    for place in every:
        key = area(place)
        totals[key] += 1
        hits[key] += place.code in covered
    rows: list[AreaCoverage] = []
    for key in sorted(totals):
        _, name = key
        share = hits[key] / totals[key]
        rows.append(AreaCoverage(name=name, covered=hits[key], total=totals[key], share=share))
    return rows
