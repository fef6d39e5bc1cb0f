"""Turns a stored domain event into plain JSON-ready data for history, audit and reports.

One place decides how an event looks outside the store, so the audit chain, a
promise's history and the annual report never disagree about it: dates and
timestamps as ISO 8601 (timestamps in UTC with `Z`), enums as their values, UUIDs
as strings, our frozen dataclasses as objects of their fields.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import orjson

#: Attributes every event has that are about the record, not what happened; the
#: actor is shown beside the data rather than inside it, `_seal_` holds the salts
#: and digests the audit chain commits to the data by (`projections.chain`), and
#: `_request_` the id of the HTTP request that recorded the event (`infra.request_context`).
RECORD_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "actor",
        "_seal_",
        "_request_",
    }
)

JSON = Any


def iso_timestamp(moment: datetime) -> str:
    """A timestamp in UTC as ISO 8601 with a `Z`, the way pydantic writes one."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_json(value: Any) -> JSON:
    """A value of an event's field as plain JSON data (str, int, float, bool, None, list, dict)."""
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    return _to_json_slow(value)


def _identity(value: Any) -> Any:
    return value


def _list(value: list[Any] | tuple[Any, ...]) -> list[JSON]:
    return [to_json(v) for v in value]


def _enum(value: Enum) -> JSON:
    return to_json(value.value)


def _dataclass(cls: type[Any]) -> Callable[[Any], JSON]:
    names = tuple(f.name for f in dataclasses.fields(cls))

    def convert(value: Any) -> JSON:
        return {name: to_json(getattr(value, name)) for name in names}

    return convert


def _to_json_slow(value: Any) -> JSON:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        _BY_TYPE[type(value)] = _enum
        return to_json(value.value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return iso_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        convert = _BY_TYPE[type(value)] = _dataclass(type(value))
        return convert(value)
    if isinstance(value, dict):
        return {str(to_json(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    raise TypeError(f"No JSON form for {type(value).__name__} in an event")


# The exact types met in almost every event, converted without the chain of
# `isinstance` checks (which stays the rule for everything else, subclasses included).
_BY_TYPE: dict[type, Callable[[Any], JSON]] = {
    str: _identity,
    int: _identity,
    bool: _identity,
    float: _identity,
    type(None): _identity,
    UUID: str,
    date: date.isoformat,
    datetime: iso_timestamp,
    list: _list,
    tuple: _list,
}


# Where a float may be in compact JSON: a number, at the start or after `:`, `,` or `[`,
# whose digits go on with `.`, `e` or `E` (a string holding ",2.5" matches too).
_MAYBE_FLOAT = re.compile(rb"(?:^|[:,\[])-?\d+[.eE]")


def compact_json(value: JSON) -> str:
    """`value` as compact, key-sorted JSON, UTF-8 not escaped: the audit chain's form.

    Exactly `json.dumps(value, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`, made by orjson, which writes the same bytes for strings
    (every code point checked), integers, booleans, null, lists and key-sorted dicts of
    string keys. They differ on floats (orjson writes `1e-7` and `0.00001` where
    Python writes `1e-07` and `1e-05`): no event field is a float, but output that may
    hold one (see `_MAYBE_FLOAT`; a string such as ",2.5" matches too) is written by
    `json.dumps` itself, as is anything orjson refuses (integers beyond 64 bits,
    unpaired surrogates). Not-a-number, which orjson writes as `null`, cannot occur:
    no event field is a float and the transcoder stores none.
    """
    try:
        written = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return _json_dumps(value)
    if _MAYBE_FLOAT.search(written) is not None:
        return _json_dumps(value)
    return written.decode("utf-8")


def _json_dumps(value: JSON) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


#: Where an event keeps the id of the HTTP request that recorded it (`infra.request_context`).
REQUEST_KEY = "_request_"


def request_id_of(event: object) -> str | None:
    """The id of the request that recorded `event`, if one did."""
    value = getattr(event, REQUEST_KEY, None)
    return value if isinstance(value, str) else None


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
