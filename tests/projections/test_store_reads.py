"""Derivation (now and as of a past moment), a promise's history, and the event data form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from uuid import UUID

import pytest

from domain.values import (
    ActivityReport,
    ActivityStatus,
    DialogueEvidence,
    DialogueKind,
    PromiseStatus,
    SourceEvidence,
    SourceType,
)
from projections.cursors import InvalidCursor
from projections.derivation import promise_derivation
from projections.eventdata import to_json
from projections.history import promise_history
from projections.models import DerivedDialogueEvidence, SourceEvidenceOut
from tests.support.scenario import MALMO, POLICE, SECRET_NOTE
from workflow.errors import NotFound


def test_derivation_resolves_issues_and_evidence(ids, app):
    derivation = promise_derivation(app, ids.malmo_promise)
    assert derivation is not None
    assert derivation.promise.id == ids.malmo_promise
    assert derivation.promise.status is PromiseStatus.ISSUED
    drugs, dark = derivation.issues
    assert (drugs.id, drugs.priority, drugs.rationale) == (ids.drugs_issue, 1, "Flest röster")
    first, second = drugs.evidence
    assert isinstance(first, DerivedDialogueEvidence)
    assert first.dialogue.id == ids.citizen_dialogue
    assert first.dialogue.kind is DialogueKind.CITIZEN_DIALOGUE
    assert first.observation is not None
    assert (first.observation.id, first.observation.count) == (ids.observations[0], 12)
    assert second == SourceEvidenceOut(source_type=SourceType.STATISTICS, reference="BRÅ NTU 2024")
    whole, walk = dark.evidence
    assert isinstance(whole, DerivedDialogueEvidence) and whole.observation is None
    assert isinstance(walk, DerivedDialogueEvidence) and walk.dialogue.id == ids.walk
    text = derivation.model_dump_json()
    assert SECRET_NOTE not in text and '"note"' not in text


def test_derivation_as_of_a_moment_before_evidence_was_added(ids, app):
    before = datetime.now(UTC)
    app.add_evidence(
        ids.dark_places_issue,
        SourceEvidence(SourceType.REPORT, "Lägesbild Malmö 2025"),
        actor=POLICE,
    )
    later = app.hold_dialogue(
        municipality=MALMO,
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2025, 4, 1),
        title="Ny vandring",
        actor=POLICE,
    )
    app.add_evidence(ids.dark_places_issue, DialogueEvidence(later.id), actor=POLICE)

    now = promise_derivation(app, ids.malmo_promise)
    then = promise_derivation(app, ids.malmo_promise, as_of=before)
    assert now is not None and then is not None
    assert len(now.issues[1].evidence) == 4
    assert then.issues[1].evidence == now.issues[1].evidence[:2]
    assert then.promise == now.promise  # the promise itself did not change meanwhile


def test_derivation_as_of_shows_the_promise_and_issues_as_they_stood(ids, app):
    events = app.aggregate_events(ids.malmo_promise)
    drafted_at = events[0].timestamp
    then = promise_derivation(app, ids.malmo_promise, as_of=drafted_at)
    assert then is not None
    assert then.promise.status is PromiseStatus.DRAFT
    assert then.promise.version == 1
    assert [i.priority for i in then.issues] == [1, 2]
    earlier = promise_derivation(app, ids.malmo_promise, as_of=datetime(2000, 1, 1, tzinfo=UTC))
    assert earlier is None


def test_derivation_of_an_unknown_promise_is_not_found(ids, app):
    with pytest.raises(NotFound):
        promise_derivation(app, UUID(int=7))


def test_history_of_a_promise_oldest_first_and_paged(ids, app):
    events = app.aggregate_events(ids.malmo_promise)
    first = promise_history(app, ids.malmo_promise, limit=3)
    assert [i.version for i in first.items] == [1, 2, 3]
    assert [i.event_type for i in first.items] == [
        "PromiseDrafted",
        "ActivityPlanned",
        "ActivityPlanned",
    ]
    drafted = first.items[0]
    assert drafted.actor.model_dump() == {"label": "Kommunpolis Malmö", "role": "police"}
    assert drafted.data["municipalities"] == [MALMO]
    assert drafted.data["addresses"] == [str(ids.drugs_issue), str(ids.dark_places_issue)]
    assert drafted.data["follow_up_cadence"] == "quarterly"

    items, cursor = list(first.items), first.next_cursor
    while cursor is not None:
        page = promise_history(app, ids.malmo_promise, limit=3, cursor=cursor)
        items.extend(page.items)
        cursor = page.next_cursor
    assert [i.version for i in items] == [e.originator_version for e in events]
    types = [i.event_type for i in items]
    assert types.count("FollowUpOverdue") == 2
    rescheduled = items[types.index("FollowUpRescheduled")].data
    assert (rescheduled["previous_due_on"], rescheduled["due_on"]) == ("2025-03-31", "2025-04-15")
    assert rescheduled["reason"] == "Sjukdom"
    with pytest.raises(NotFound):
        promise_history(app, ids.citizen_dialogue)
    with pytest.raises(InvalidCursor):
        promise_history(app, ids.malmo_promise, cursor="bogus")


class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Pair:
    left: date
    right: Colour


def test_event_values_become_plain_json():
    moment = datetime(2025, 2, 10, 11, 0, 5, 120000, tzinfo=UTC)
    value = {
        "id": UUID(int=1),
        "day": date(2025, 2, 10),
        "at": moment,
        "colour": Colour.RED,
        "pair": Pair(date(2025, 1, 1), Colour.RED),
        "tuple": (1, "a", None),
        "report": ActivityReport(UUID(int=2), ActivityStatus.DONE, None),
    }
    assert to_json(value) == {
        "id": "00000000-0000-0000-0000-000000000001",
        "day": "2025-02-10",
        "at": "2025-02-10T11:00:05.120000Z",
        "colour": "red",
        "pair": {"left": "2025-01-01", "right": "red"},
        "tuple": [1, "a", None],
        "report": {
            "activity_id": "00000000-0000-0000-0000-000000000002",
            "status": "done",
            "comment": None,
        },
    }
    json.dumps(to_json(value))
    with pytest.raises(TypeError):
        to_json(object())
