"""Which recorded fields are free text that may name a person, and so can be erased.

A summary or a note is typed by a person and, against every instruction, sometimes
names a resident or a suspect's address; GDPR then requires that the value go for
good. These are the fields an erasure may name (API.md, "Audit"), listed per event so
that the event store keeps their values where they can be deleted (and commits to
each by a digest recorded with the event). Every other field is structured (dates,
counts, ids, vocabularies) and stays.
"""

from __future__ import annotations

from typing import Any

#: A dialogue's own free text, as `DialogueHeld` records it.
DIALOGUE_FIELDS = ("title", "place", "organisers")
#: An observation's free text, as `ObservationRecorded` records it.
OBSERVATION_FIELDS = ("summary", "place", "note")

#: Event class name -> the fields of that event that may be erased.
#: A correction carries the new values of the fields it changes, so it is listed too.
ERASABLE: dict[str, frozenset[str]] = {
    "DialogueHeld": frozenset(DIALOGUE_FIELDS),
    "DialogueCorrected": frozenset(DIALOGUE_FIELDS),
    "ObservationRecorded": frozenset(OBSERVATION_FIELDS),
    "ObservationCorrected": frozenset(OBSERVATION_FIELDS),
}


def erasable_fields(event_name: str) -> frozenset[str]:
    """The fields of an event of this name that may be erased (none for most events)."""
    return ERASABLE.get(event_name, frozenset())


def holds_something(value: Any) -> bool:
    """Whether a field's value could hold personal data at all (not null, not empty)."""
    return value is not None and value != "" and value != []
