"""The annual report's figures: every one of a known year, and the dating rules at their edges."""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

import pytest

from domain.values import DialogueKind, FollowUpStatus, PromiseStatus
from projections.reports import (
    AuditFact,
    DialogueFact,
    FollowUpFact,
    PromiseFact,
    build_annual_report,
)
from projections.reports.dating import in_force
from tests.projections.reports.year_2025 import EXPECTED_JSON, HEAD_HASH, annual_report

EMPTY_AUDIT = AuditFact("0" * 64, 0)


def test_every_figure_of_a_known_year() -> None:
    assert json.loads(annual_report().model_dump_json()) == EXPECTED_JSON


def test_the_json_keys_are_the_contracts() -> None:
    body = json.loads(annual_report().model_dump_json())
    assert list(body) == [
        "municipality",
        "year",
        "dialogues",
        "observations_by_theme",
        "issues",
        "promises",
        "follow_ups",
        "feedback",
        "audit",
    ]
    assert set(body["promises"][0]) >= {"id", "title", "period", "status", "activities", "outcome"}
    assert set(body["follow_ups"]) == {"on_time", "late", "overdue", "scheduled", "missed"}
    assert body["audit"] == {"head_hash": HEAD_HASH, "position": 137}


def _promise(starts_on: date, ends_on: date, status: PromiseStatus) -> PromiseFact:
    return PromiseFact(
        id=uuid4(),
        title="Löfte",
        municipalities=("1280",),
        police_district="LPO",
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "status", "expected"),
    [
        (date(2023, 1, 1), date(2025, 1, 1), PromiseStatus.ISSUED, True),  # last day in the year
        (date(2025, 12, 31), date(2026, 6, 30), PromiseStatus.ISSUED, True),  # first day in it
        (date(2023, 1, 1), date(2024, 12, 31), PromiseStatus.CONCLUDED, False),
        (date(2026, 1, 1), date(2026, 12, 31), PromiseStatus.ISSUED, False),
        (date(2025, 1, 1), date(2025, 12, 31), PromiseStatus.CONCLUDED, True),
        (date(2025, 1, 1), date(2025, 12, 31), PromiseStatus.WITHDRAWN, False),
        (date(2025, 1, 1), date(2025, 12, 31), PromiseStatus.DRAFT, False),
    ],
)
def test_a_promise_is_in_force_when_public_and_its_period_overlaps_the_year(
    starts_on: date, ends_on: date, status: PromiseStatus, expected: bool
) -> None:
    assert in_force(_promise(starts_on, ends_on, status), 2025) is expected


def test_a_follow_up_done_in_the_year_counts_there_whatever_its_due_date() -> None:
    promise = PromiseFact(
        id=uuid4(),
        title="Löfte",
        municipalities=("1280",),
        police_district="LPO",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        status=PromiseStatus.CONCLUDED,
        follow_ups=(
            # due 2024, done 2025: late in 2025, missed in 2024
            FollowUpFact(
                date(2024, 12, 31),
                FollowUpStatus.DONE,
                date(2025, 1, 2),
                missed_due_on=(date(2024, 12, 31),),
            ),
            # due 2025, done early in 2024: on time in 2024
            FollowUpFact(date(2025, 1, 31), FollowUpStatus.DONE, date(2024, 12, 30)),
        ),
    )

    def follow_ups(year: int) -> dict[str, int]:
        report = build_annual_report(
            "1280",
            year,
            dialogues=[],
            observations=[],
            issues=[],
            promises=[promise],
            audit=EMPTY_AUDIT,
        )
        return report.follow_ups.model_dump()

    assert follow_ups(2025) == {"on_time": 0, "late": 1, "overdue": 0, "scheduled": 0, "missed": 0}
    assert follow_ups(2024) == {"on_time": 1, "late": 0, "overdue": 0, "scheduled": 0, "missed": 1}


def test_a_year_with_nothing_in_it() -> None:
    report = build_annual_report(
        "0180",
        2019,
        dialogues=[DialogueFact(DialogueKind.SURVEY, date(2020, 1, 1), 10)],
        observations=[],
        issues=[],
        promises=[],
        audit=EMPTY_AUDIT,
    )
    assert report.municipality.name == "Stockholm"
    assert report.dialogues.model_dump() == {
        "total": 0,
        "participants": 0,
        "by_kind": {},
        "held": [],
    }
    assert report.observations_by_theme == {}
    assert report.promises == []
    assert report.feedback == []


def test_a_promise_of_another_municipality_is_refused() -> None:
    with pytest.raises(ValueError, match="not a promise of municipality 0180"):
        build_annual_report(
            "0180",
            2025,
            dialogues=[],
            observations=[],
            issues=[],
            promises=[_promise(date(2025, 1, 1), date(2025, 12, 31), PromiseStatus.ISSUED)],
            audit=EMPTY_AUDIT,
        )


def test_facts_refuse_what_cannot_be() -> None:
    with pytest.raises(ValueError, match="held_on"):
        FollowUpFact(date(2025, 3, 31), FollowUpStatus.DONE)
    with pytest.raises(ValueError, match="held_on"):
        FollowUpFact(date(2025, 3, 31), FollowUpStatus.OVERDUE, date(2025, 4, 1))
    with pytest.raises(ValueError, match="SHA-256"):
        AuditFact("not-a-hash", 1)


def test_public_facts_have_no_room_for_internal_or_personal_data() -> None:
    from dataclasses import fields

    from projections.reports import ActivityFact, ObservationFact
    from projections.reports.models import ActivityLine

    assert "note" not in {f.name for f in fields(ObservationFact)}
    assert "responsible_name" not in {f.name for f in fields(ActivityFact)}
    assert "responsible_name" not in ActivityLine.model_fields
