"""A page of the log as the store holds it: what a rebuild feeds the views.

A live batch is decoded once into domain events, which every view reads. A rebuild
reads every event of the store, and building each domain event was a third of its
time, though most views take few of them (the pages view none of the observations)
and the audit chain is computed from the stored JSON alone (`StoredReader`). So a
rebuild hands each view the page's stored rows (`LogRow`: the recorders'
`select_log_rows`, one joined read of the events and their kept values), and an event
is decoded only when a view asks for it, once for all the views of the process
(`StoredPage.event`); its stored state is parsed once likewise (`StoredPage.state`),
for the views that take an event straight from it.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.persistence import Tracking
from eventsourcing.utils import resolve_topic

from projections.audit import created_for
from projections.chain import SEAL_KEY, SealedEvent, kept_inline, merge_personal
from projections.stored_reader import LogRow, StoredReader, dashed, log_rows

__all__ = ["StoredPage", "read_page"]


class _StoredEvent:
    """A row as the mapper reads a stored event: the attributes `to_domain_event` takes."""

    __slots__ = ("originator_id", "originator_version", "personal", "state", "topic")

    def __init__(self, row: LogRow) -> None:
        _, aggregate_id, self.originator_version, self.topic, state, personal = row
        self.originator_id = UUID(aggregate_id)
        self.state = bytes(state)
        self.personal = None if personal is None else bytes(personal)


class StoredPage:
    """Rows of the log in order, each decoded (or parsed) at most once, when first asked."""

    def __init__(self, application_name: str, mapper: Any, rows: Sequence[LogRow]) -> None:
        self.application_name = application_name
        self.mapper = mapper
        self.rows = rows
        self._positions = [row[0] for row in rows]
        #: Each row's event class.
        self.classes = [class_of(row[3]) for row in rows]
        self._events: dict[int, Any] = {}
        self._states: dict[int, Any] = {}
        self._reader: StoredReader | None = None
        #: Whether the mapper reads stored states as plain JSON (no cipher, no compressor).
        self.plain = getattr(mapper, "cipher", None) is None and (
            getattr(mapper, "compressor", None) is None
        )

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def last(self) -> Tracking:
        """The position of the page's last event."""
        return Tracking(self.application_name, self._positions[-1])

    def first_after(self, position: int) -> int:
        """The index of the first row after `position` (`len(self)` if there is none)."""
        return bisect.bisect_right(self._positions, position)

    def event(self, index: int) -> Any:
        """Row `index` as its domain event, decoded the library's way (upcasting included)."""
        event = self._events.get(index)
        if event is None:
            event = self._events[index] = self.mapper.to_domain_event(
                _StoredEvent(self.rows[index])
            )
        return event

    def state(self, index: int) -> dict[str, Any] | None:
        """Row `index`'s stored state as parsed JSON, its tags as stored (the library's
        `{"_type_", "_data_"}`), the erasable values kept apart put back (None once
        erased); None if the state is not plain JSON (a cipher, a compressor) or needs
        upcasting, so the caller decodes the event instead."""
        if not self.plain:
            return None
        state = self._states.get(index, _MISSING)
        if state is _MISSING:
            row = self.rows[index]
            state = orjson.loads(row[4])
            seal = state.get(SEAL_KEY)
            if "class_version" in state or type(seal) is not str:
                state = None
            elif " " in seal and not kept_inline(seal):
                merge_personal(state, seal, orjson.loads(row[5]) if row[5] else None)
            self._states[index] = state
        return state  # type: ignore[no-any-return]

    def fields(self, index: int, names: Sequence[str]) -> list[Any] | None:
        """The named fields of row `index`'s event in the contract's form (as
        `eventdata.to_json` gives them: ids as text, enums as their values, dates ISO
        8601), read from its stored state; None if one of them is in a form this does
        not know (or missing), so the caller decodes the event instead."""
        state = self.state(index)
        if state is None:
            return None
        found = []
        for name in names:
            value = state.get(name, _MISSING)
            if type(value) is dict:
                value = _tagged(value)
            if value is _MISSING:
                return None
            found.append(value)
        return found

    def sealed(self, index: int) -> tuple[SealedEvent, list[str] | None]:
        """Row `index`'s chain entry parts and, for a creation event, the municipalities it
        names: read from the stored JSON (`StoredReader`), else from the decoded event,
        whose error (a damaged event) is raised, as a live batch would."""
        if self._reader is None:
            self._reader = StoredReader(self.mapper)
        # The chain commits to the digests only, and an erasable value's is in the seal:
        # its value, kept apart, would only be checked against it (verification's task).
        sealed, codes = self._reader.read_row((*self.rows[index][:5], None))
        if sealed is None:
            event = self.event(index)
            return SealedEvent(event), created_for(event)
        return sealed, codes

    def holds(self, cls: type) -> bool:
        """Whether the page holds an event of class `cls`."""
        return cls in self.classes

    def items(
        self, start: int, classes: frozenset[type] | None = None
    ) -> list[tuple[Any, Tracking]]:
        """The rows from `start` as (event, position) items, only the events of `classes`
        (every event if None) decoded."""
        name, rows = self.application_name, self.rows
        return [
            (self.event(index), Tracking(name, rows[index][0]))
            for index in range(start, len(rows))
            if classes is None or self.classes[index] in classes
        ]


_MISSING: Any = object()
_SCALARS = (str, int, bool, type(None))


def _tagged(value: dict[str, Any]) -> Any:
    """A stored id, enum or date in the contract's form; `_MISSING` for anything else."""
    tag, data = value.get("_type_"), value.get("_data_", _MISSING)
    if len(value) != 2 or type(tag) is not str or type(data) not in _SCALARS:
        return _MISSING
    if tag == "uuid_hex":  # the library stores `UUID.hex`: 32 lowercase hex digits
        return dashed(data) if type(data) is str and len(data) == 32 else _MISSING
    if tag.startswith("enum:"):
        return data
    if tag == "date_iso" and type(data) is str:
        return date.fromisoformat(data).isoformat()
    return _MISSING


_CLASSES: dict[str, type] = {}


def class_of(topic: str) -> type:
    """The event class a stored topic names (renamed topics resolved as the library does)."""
    cls = _CLASSES.get(topic)
    if cls is None:
        cls = _CLASSES[topic] = resolve_topic(topic)
    return cls


def read_page(app: Application[UUID], after: int, limit: int) -> StoredPage:
    """Up to `limit` stored events after position `after`, as one page (one read)."""
    upto = app.recorder.max_notification_id() or 0
    rows = list(itertools.islice(log_rows(app, upto, after, page=limit), limit))
    return StoredPage(app.name, app.mapper, rows)
