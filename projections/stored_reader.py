"""Reading a stored event's chain entry straight from its stored JSON, without decoding it.

Verification reads every event of the store, and building each domain event only to
turn its values back into JSON was most of its cost; the page of the log comes as
plain rows (`LogRow`: the recorders' `select_log_rows`, one joined read of the events
and their kept values per page).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.domain import AggregateCreated
from eventsourcing.utils import resolve_topic

from projections.audit import created_for
from projections.chain import SEAL_KEY, SealedEvent, kept_inline, merge_personal
from projections.eventdata import RECORD_FIELDS, iso_timestamp

__all__ = ["LogRow", "StoredReader", "dashed", "log_rows", "row_of"]

LogRow = tuple[int, str, int, str, bytes, bytes | None]
"""One event of the log: notification id, aggregate id (UUID text), version, topic, state,
its kept values' payload (None: nothing kept)."""


class _Stored:
    """A row as the mapper reads a stored event (only for events read the library's way)."""

    __slots__ = ("originator_id", "originator_version", "personal", "state", "topic")

    def __init__(self, row: LogRow) -> None:
        _, aggregate_id, self.originator_version, self.topic, state, personal = row
        self.originator_id = UUID(aggregate_id)
        self.state, self.personal = bytes(state), None if personal is None else bytes(personal)


def row_of(stored: Any) -> LogRow:
    """A stored event or notification as a log row (its notification id 0 if it has none)."""
    return (
        getattr(stored, "id", 0),
        str(stored.originator_id),
        stored.originator_version,
        stored.topic,
        stored.state,
        getattr(stored, "personal", None),
    )


def dashed(hex_id: str) -> str:
    """A UUID's 32 hex digits (`UUID.hex`, as the library stores it) in the UUID's text form;
    the same as `str(UUID(hex_id))` without building the UUID, for every row of the log."""
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def log_rows(
    app: Application[UUID], upto: int, after: int = 0, page: int = 5000
) -> Iterator[LogRow]:
    """The log after `after` up to `upto` as plain rows, a page per read.

    A recorder without `select_log_rows` (not one of ours) is read through its
    notifications, each with the kept values the recorder attached.
    """
    select = getattr(app.recorder, "select_log_rows", None)
    while after < upto:
        if select is not None:
            rows: list[LogRow] = select(after, upto, page)
        else:
            page_of = app.recorder.select_notifications(start=after + 1, limit=page, stop=upto)
            rows = [row_of(notification) for notification in page_of]
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


class StoredReader:
    """Reads a stored event's entry straight from its stored JSON, without decoding it.

    Verification reads every event of the store, and building each domain event only
    to turn its values back into JSON was most of its cost. The library's JSON format
    holds each value either as JSON already or tagged with its transcoding's name; the
    few our events use (UUIDs, dates, enums, our value dataclasses) have a contract
    form that is their stored data, or the UUID's hex with its dashes. Anything else
    (another tag, an upcast, a cipher or a compressor) is decoded the library's way.
    `tests/projections/test_audit.py` checks both ways agree on every event.
    """

    def __init__(self, mapper: Any) -> None:
        self._mapper = mapper
        self._direct = mapper.cipher is None and mapper.compressor is None
        self._classes: dict[str, tuple[str, str, bool]] = {}

    def read(self, stored: Any) -> tuple[SealedEvent | None, list[str] | None]:
        """The entry's parts of a stored event or notification (see `read_row`)."""
        return self.read_row(row_of(stored))

    def read_row(self, row: LogRow) -> tuple[SealedEvent | None, list[str] | None]:
        """The entry's parts (None: unreadable, a finding) and the municipalities a creation
        event names (None for any other event)."""
        try:
            if self._direct:
                found = self._read_direct(row)
                if found is not None:
                    return found
            event = self._mapper.to_domain_event(_Stored(row))
            return SealedEvent(event), created_for(event)
        except Exception:  # any damage to the stored bytes is a finding, not a crash
            return None, None

    def never_creates(self, topic: str) -> bool:
        """Whether `topic` is known (already read) as a class that creates no aggregate."""
        kind = self._classes.get(topic)
        return kind is not None and not kind[2]

    def _kind(self, topic: str) -> tuple[str, str, bool]:
        kind = self._classes.get(topic)
        if kind is None:
            cls = resolve_topic(topic)
            kind = self._classes[topic] = (
                cls.__name__,
                cls.__qualname__.split(".", 1)[0],
                issubclass(cls, AggregateCreated),
            )
        return kind

    def _read_direct(self, row: LogRow) -> tuple[SealedEvent, list[str] | None] | None:
        _, aggregate_id, version, topic, stored_state, payload = row
        state = orjson.loads(stored_state)
        seal = state.get(SEAL_KEY)
        timestamp = state.get("timestamp")
        actor = state.get("actor")
        if (
            type(seal) is not str
            or "class_version" in state
            or type(timestamp) is not dict
            or timestamp.get("_type_") != "datetime_iso"
            or type(actor) is not dict
            or actor.get("_type_") != "value:Actor"
        ):
            return None
        kept: Any = seal
        if " " in seal and not kept_inline(seal):
            kept = merge_personal(state, seal, orjson.loads(payload) if payload else None)
        values: dict[str, Any] = {}
        for name, value in state.items():
            if name in RECORD_FIELDS:
                continue
            plain = _plain(value)
            if plain is _UNKNOWN:
                return None
            values[name] = plain
        person = _plain(actor["_data_"])
        if type(person) is not dict or set(person) != {"label", "role"}:
            return None
        values["actor_role"], values["actor_label"] = person["role"], person["label"]
        kind, aggregate, created = self._kind(topic)
        header = (
            iso_timestamp(datetime.fromisoformat(timestamp["_data_"])),
            kind,
            aggregate,
            aggregate_id,
            version,
        )
        codes = None
        if created:
            codes = values.get("municipalities")
            if codes is None:
                codes = [values["municipality"]]
            codes = list(codes)
        return SealedEvent.of_parts(header, values, kept), codes


_UNKNOWN = object()
_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """A stored value in the contract's form (as `eventdata.to_json` gives the decoded one),
    or `_UNKNOWN` if it holds a tag this reader does not know."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        items = [_plain(item) for item in value]
        return _UNKNOWN if _UNKNOWN in items else items
    if kind is not dict:
        return _UNKNOWN
    tag = value.get("_type_")
    if tag is not None and len(value) == 2 and "_data_" in value:
        data = value["_data_"]
        if tag == "uuid_hex":  # the library stores `UUID.hex`: 32 lowercase hex digits
            if type(data) is not str or len(data) != 32:
                return _UNKNOWN
            return dashed(data)
        if tag == "date_iso":
            return date.fromisoformat(data).isoformat()
        if tag.startswith("enum:"):
            return data if type(data) in _SCALARS else _UNKNOWN
        if tag.startswith("value:"):
            return _plain(data) if type(data) is dict else _UNKNOWN
        return _UNKNOWN
    members = {key: _plain(item) for key, item in value.items()}
    return _UNKNOWN if _UNKNOWN in members.values() else members
