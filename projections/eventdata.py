"""Turns a stored domain event into plain JSON-ready data for history, audit and reports.

One place decides how an event looks outside the store, so the audit chain, a
promise's history and the annual report never disagree about it: dates and
timestamps as ISO 8601 (timestamps in UTC with `Z`), enums as their values, UUIDs
as strings, our frozen dataclasses as objects of their fields.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

#: Attributes every event has that are about the record, not what happened; the
#: actor is shown beside the data rather than inside it.
RECORD_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
)

JSON = Any


def iso_timestamp(moment: datetime) -> str:
    """A timestamp in UTC as ISO 8601 with a `Z`, the way pydantic writes one."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_json(value: Any) -> JSON:
    """A value of an event's field as plain JSON data (str, int, float, bool, None, list, dict)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return to_json(value.value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return iso_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(to_json(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    raise TypeError(f"No JSON form for {type(value).__name__} in an event")


def event_type(event: object) -> str:
    """The event's name as the contract shows it: `PromiseDrafted`, `FollowUpOverdue`, ..."""
    return type(event).__name__


def aggregate_type(event: object) -> str:
    """The aggregate an event belongs to (`Dialogue`, `Issue`, `Promise`), from its class."""
    return type(event).__qualname__.split(".", 1)[0]


def event_data(event: object) -> dict[str, JSON]:
    """The event's own fields as JSON-ready data, without the record's bookkeeping."""
    return {
        name: to_json(value) for name, value in vars(event).items() if name not in RECORD_FIELDS
    }


def event_actor(event: object) -> dict[str, JSON]:
    """Who recorded the event: `{"label", "role"}`."""
    actor = getattr(event, "actor", None)
    if actor is None:
        return {"label": None, "role": None}
    return {"label": actor.label, "role": to_json(actor.role)}


def recorded_at(event: object) -> str:
    """When the event was recorded, ISO 8601 in UTC."""
    timestamp: datetime = getattr(event, "timestamp")  # noqa: B009 - events are dynamic
    return iso_timestamp(timestamp)
