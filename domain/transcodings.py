"""How our value types are written to and read back from the event store.

The library's JSON transcoder knows UUIDs, decimals and datetimes only; dates,
our enums and our frozen dataclasses each get a named transcoding here. The names
are stored with the events, so they must never change.

The codec that writes them (`infra.codec.OrjsonTranscoder`) is plumbing and lives
with the other storage adapters; the composition root hands it to the application.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import Transcoding

from domain import values


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """One enum class, stored as its value under the class's name."""

    def __init__(self, enum_type: type[Enum]) -> None:
        self.type = enum_type
        self.name = f"enum:{enum_type.__name__}"
        # Looking a value up directly is several times cheaper than calling the class,
        # and it is done for every enum in every event read.
        self._members: dict[Any, Enum] = dict(enum_type._value2member_map_)

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        try:
            return self._members[data]
        except (KeyError, TypeError):
            member: Enum = self.type(data)  # raises the enum's own ValueError
            return member


class DataclassAsDict(Transcoding):
    """One frozen dataclass, stored as a dict of its fields (nested values transcoded too)."""

    def __init__(self, cls: type[Any]) -> None:
        self.type = cls
        self.name = f"value:{cls.__name__}"
        self._fields = tuple(f.name for f in fields(cls))  # `fields()` is slow per call

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self._fields}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


ENUMS: tuple[type[Enum], ...] = (
    values.Role,
    values.DialogueKind,
    values.Theme,
    values.IssueStatus,
    values.SourceType,
    values.PromiseStatus,
    values.Party,
    values.Responsible,
    values.Cadence,
    values.ActivityStatus,
    values.FollowUpStatus,
    values.Outcome,
)

DATACLASSES: tuple[type[Any], ...] = (
    values.Actor,
    values.DialogueEvidence,
    values.SourceEvidence,
    values.ActivityReport,
)


def all_transcodings() -> list[Transcoding]:
    """Every transcoding the domain's events need, for `Application.register_transcodings`."""
    return [
        DateAsISO(),
        *(EnumAsValue(e) for e in ENUMS),
        *(DataclassAsDict(c) for c in DATACLASSES),
    ]
