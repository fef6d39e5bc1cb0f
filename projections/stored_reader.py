"""Reading a stored event's chain entry straight from its stored JSON, without decoding it.

Verification reads every event of the store, and building each domain event only to
turn its values back into JSON was most of its cost; the page of the log comes as
plain rows (`LogRow`: the recorders' `select_log_rows`, one joined read of the events
and their kept values per page).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date, datetime
from typing import Any, Literal, cast
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.domain import AggregateCreated
from eventsourcing.utils import resolve_topic

from projections.audit import created_for
from projections.chain import SEAL_KEY, SealedEvent, value_json
from projections.entry_shapes import EntryShape
from projections.eventdata import RECORD_FIELDS, iso_timestamp

loads, dumps = orjson.loads, orjson.dumps

__all__ = ["LogRow", "StoredReader", "dashed", "log_rows", "log_topics", "row_of"]

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
    app: Application[UUID],
    upto: int,
    after: int = 0,
    page: int = 5000,
    *,
    topics: Collection[str] | None = None,
    aggregates: Collection[str] | None = None,
) -> Iterator[LogRow]:
    """The log after `after` up to `upto` as plain rows, a page per read; only the events of
    `topics` and of `aggregates` (UUID texts) if given.

    A recorder without `select_log_rows` (not one of ours) is read through its
    notifications, each with the kept values the recorder attached, and narrowed here.
    """
    select = getattr(app.recorder, "select_log_rows", None)
    narrowed = {"topics": topics, "aggregates": aggregates}
    while after < upto:
        if select is not None:
            if topics is None and aggregates is None:
                rows: list[LogRow] = select(after, upto, page)
            else:
                rows = select(after, upto, page, **narrowed)
            if not rows:
                return
            after = rows[-1][0]
        else:
            page_of = app.recorder.select_notifications(start=after + 1, limit=page, stop=upto)
            if not page_of:
                return
            after = page_of[-1].id
            rows = [
                row_of(notification)
                for notification in page_of
                if (topics is None or notification.topic in topics)
                and (aggregates is None or str(notification.originator_id) in aggregates)
            ]
        yield from rows


def log_topics(app: Application[UUID], upto: int) -> list[str] | None:
    """Every topic of the log up to `upto`, or None if the recorder cannot tell cheaply."""
    select = getattr(app.recorder, "select_log_topics", None)
    return None if select is None else list(select(upto))


class StoredReader:
    """Reads a stored event's entry straight from its stored JSON, without decoding it.

    Verification reads every event of the store, and building each domain event only
    to turn its values back into JSON was most of its cost. The library's JSON format
    holds each value either as JSON already or tagged with its transcoding's name; the
    few our events use (UUIDs, dates, enums, our value dataclasses) have a contract
    form that is their stored data, or the UUID's hex with its dashes. Anything else
    (another tag, an upcast, a cipher or a compressor, salts still kept inline before
    `loften upgrade`) is decoded the library's way. The entry itself is computed by the
    event's shape (`projections.entry_shapes`: one per topic, stored field names and
    erasable names, worked out at the first such event).
    `tests/projections/test_audit.py` checks both ways agree on every event.
    """

    def __init__(self, mapper: Any) -> None:
        self._mapper = mapper
        self._direct = mapper.cipher is None and mapper.compressor is None
        self._classes: dict[str, tuple[str, str, bool]] = {}
        self._shapes: dict[tuple[Any, ...], tuple[EntryShape, str, str, bool] | Literal[False]] = {}

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

    def creates(self, topic: str) -> bool:
        """Whether `topic` names a class that creates an aggregate (False: no class at all)."""
        try:
            return self._kind(topic)[2]
        except Exception:  # a damaged topic: its events are unreadable, they create nothing
            return False

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
        state = loads(stored_state)
        seal = state.get(SEAL_KEY)
        if type(seal) is not str or "=" in seal:  # salts kept inline: `loften upgrade`'s
            return None
        seed, *parts = seal.split(" ")
        erasable = [part.partition(":") for part in parts]
        key = (topic, tuple(state), tuple([name for name, _, _ in erasable]))
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = self._shape(topic, state, key[2])
        if shape is False:
            return None
        entry_shape, kind, aggregate, created = shape
        timestamp = state["timestamp"]
        actor = state["actor"]
        if (
            type(timestamp) is not dict
            or timestamp.get("_type_") != "datetime_iso"
            or type(actor) is not dict
            or actor.get("_type_") != "value:Actor"
        ):
            return None
        person = actor["_data_"]
        if type(person) is not dict or "_type_" in person:  # read as `_plain` reads it
            person = _plain(person)
            if type(person) is not dict:
                return None
        if len(person) != 2 or "label" not in person or "role" not in person:
            return None
        state["actor_role"], state["actor_label"] = person["role"], person["label"]
        values = [  # a string (most values) without the call
            dumps(value) if type(value) is str else _json_of(value)
            for value in map(state.__getitem__, entry_shape.plain)
        ]
        if None in values:
            return None
        texts = cast(list[bytes], values)
        kept = None
        if erasable and payload:
            kept, personal = {}, loads(payload)
            for name, _, _ in erasable:
                held = personal.get(name)
                if held is not None:
                    text = _json_of(held[1])
                    if text is None:
                        return None
                    kept[name] = (held[0], text)
        header = (_recorded_at(timestamp["_data_"]), kind, aggregate, aggregate_id, version)
        entry = entry_shape.entry(header, seed, texts, erasable, kept)
        if not created:
            return entry, None
        codes = _plain(state.get("municipalities"))
        if codes is None:
            codes = [_plain(state["municipality"])]
        return entry, list(codes)

    def _shape(
        self, topic: str, state: dict[str, Any], erasable: tuple[str, ...]
    ) -> tuple[EntryShape, str, str, bool] | Literal[False]:
        """The shape of the events of `topic` with these stored fields and erasable ones
        (False: not read this way, an upcast or a record field missing)."""
        if "class_version" in state or not {"timestamp", "actor"} <= state.keys():
            return False
        kind, aggregate, created = self._kind(topic)
        names = {name for name in state if name not in RECORD_FIELDS}
        plain = sorted((names | {"actor_role", "actor_label"}) - set(erasable))
        return EntryShape(kind, aggregate, plain, erasable), kind, aggregate, created


_UNKNOWN = object()
_SCALARS = (str, int, float, bool, type(None))
#: How the library writes a timestamp in UTC with microseconds (`datetime.isoformat`).
_CANONICAL_UTC = re.compile(
    r"[0-9]{4}-"
    r"[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00"
)


def _recorded_at(stored: str) -> str:
    """`iso_timestamp` of the stored time, without its detour when it is written canonically."""
    moment = datetime.fromisoformat(stored)  # damage raises, as decoding it would
    if moment.microsecond and len(stored) == 32 and _CANONICAL_UTC.fullmatch(stored):
        return stored[:26] + "Z"
    return iso_timestamp(moment)


def _json_of(value: Any) -> bytes | None:
    """`chain.value_json` of a stored value in the contract's form, as UTF-8 (None: a tag this
    reader does not know); the common cases without building the plain value first."""
    kind = type(value)
    if kind is str:
        return dumps(value)  # a string orjson read back is valid UTF-8: it writes it
    if kind is dict and len(value) == 2:
        tag, data = value.get("_type_"), value.get("_data_")
        if type(tag) is str and type(data) is str:
            if tag.startswith("enum:"):
                return dumps(data)
            if tag == "uuid_hex" and len(data) == 32:
                return dumps(dashed(data))
    elif value is None:
        return b"null"
    elif kind is int:
        return str(value).encode()
    plain = _plain(value)
    return None if plain is _UNKNOWN else value_json(plain).encode()


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
