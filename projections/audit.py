"""The audit chain: per municipality, every event that concerns it, hash-linked in order.

`hash = sha256_hex(prev_hash + canonical)`, where `canonical` is the entry without
`hash` and `prev_hash` as compact, key-sorted JSON (UTF-8, not ASCII-escaped), and
the first `prev_hash` is 64 zeros, so any client can recompute a chain it reads.

The view stores each chain as it was written when the events were first
projected. Verification recomputes the chains from the event store itself and
compares them entry by entry with the stored ones: a changed or deleted event in
the store (or a changed row in the view) shows up at the first position where the
two disagree, and every later hash differs with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.domain import AggregateCreated
from eventsourcing.persistence import Notification, StoredEvent

from projections.cursors import (
    DEFAULT_LIMIT,
    InvalidCursor,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from projections.dialect import ViewCursor
from projections.eventdata import (
    aggregate_type,
    compact_json,
    event_actor,
    event_data,
    event_type,
    recorded_at,
)
from projections.framework import Item, TrackedView
from projections.models import ActorOut, AuditEntry, Page, Verification

GENESIS = "0" * 64

Entry = dict[str, Any]


def canonical(entry: Entry) -> str:
    """The entry's canonical JSON: without `hash` and `prev_hash`, keys sorted, compact."""
    return compact_json({k: v for k, v in entry.items() if k not in ("hash", "prev_hash")})


def entry_body(event: Any, position: int) -> Entry:
    """The entry for `event` at `position` of a chain, before it is hashed."""
    return {
        "position": position,
        "recorded_at": recorded_at(event),
        "event_type": event_type(event),
        "aggregate_type": aggregate_type(event),
        "aggregate_id": str(event.originator_id),
        "version": event.originator_version,
        "actor": event_actor(event),
        "data": event_data(event),
    }


def _json_str(text: str) -> str:
    """A string as JSON, as `json.dumps(text, ensure_ascii=False)` writes it."""
    try:
        return orjson.dumps(text).decode("utf-8")  # the same for every code point
    except orjson.JSONEncodeError:  # an unpaired surrogate: as json.dumps, then fail to hash
        return json.dumps(text, ensure_ascii=False)


_NAMES: dict[type, tuple[str, str]] = {}


class EntryParts:
    """What one event puts in every chain entry it makes, computed once for all its chains.

    Only the position differs between the chains an event is in, so the canonical JSON
    is kept as the text before and after the position: `canonical(position)` is
    exactly `canonical(entry_body(event, position))` (keys in sorted order: actor,
    aggregate_id, aggregate_type, data, event_type, position, recorded_at, version),
    and `row` holds the columns the view stores, `actor` and `data` in that same JSON.
    """

    __slots__ = ("_after", "_before", "row")

    def __init__(self, event: Any) -> None:
        kind = type(event)
        names = _NAMES.get(kind)
        if names is None:
            names = _NAMES[kind] = (event_type(event), aggregate_type(event))
        at = recorded_at(event)
        aggregate_id = str(event.originator_id)
        version = event.originator_version
        if type(version) is not int:  # as json.dumps writes it, whatever it is
            raise TypeError(f"event version {version!r} is not an integer")
        actor = compact_json(event_actor(event))
        data = compact_json(event_data(event))
        #: recorded_at, event_type, aggregate_type, aggregate_id, version, actor, data
        self.row = (at, names[0], names[1], aggregate_id, version, actor, data)
        self._before = (
            f'{{"actor":{actor},"aggregate_id":{_json_str(aggregate_id)},'
            f'"aggregate_type":{_json_str(names[1])},"data":{data},'
            f'"event_type":{_json_str(names[0])},"position":'
        )
        self._after = f',"recorded_at":{_json_str(at)},"version":{version}}}'

    def canonical(self, position: int) -> str:
        return f"{self._before}{position}{self._after}"

    def hash(self, prev_hash: str, position: int) -> str:
        text = prev_hash + self.canonical(position)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def created_for(event: Any) -> list[str] | None:
    """The municipalities a creation event names (every later event of its aggregate too)."""
    if not isinstance(event, AggregateCreated):
        return None
    codes = getattr(event, "municipalities", None)
    if codes is not None:
        return list(codes)
    return [event.municipality]  # type: ignore[attr-defined]


class AuditView(TrackedView):
    """The stored chains, and which municipalities each aggregate concerns."""

    view_name: ClassVar[str] = "audit"
    tables: ClassVar[tuple[str, ...]] = ("audit_entries", "audit_subjects")
    #: Every event that concerns a municipality is in its chain: no event class is left out.
    takes_every_event: ClassVar[bool] = True
    ddl: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS audit_subjects ("
        "aggregate_id TEXT PRIMARY KEY, municipalities TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS audit_entries ("
        "municipality TEXT NOT NULL, position BIGINT NOT NULL, notification_id BIGINT NOT NULL, "
        "recorded_at TEXT NOT NULL, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL, "
        "aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, actor TEXT NOT NULL, "
        "data TEXT NOT NULL, hash TEXT NOT NULL, prev_hash TEXT NOT NULL, "
        "PRIMARY KEY (municipality, position))",
    )

    def apply_batch(self, cursor: ViewCursor, items: Sequence[Item]) -> None:
        """Append each event to its chains; heads and subjects are kept in hand for the batch.

        The batch's rows are written at its end, one statement per table: every read
        below is of a chain or an aggregate not yet touched in this batch, so none of
        them can need a row still in hand.
        """
        heads: dict[str, tuple[int, str]] = {}
        subjects: dict[str, list[str]] = {}
        new_subjects: list[tuple[str, str]] = []
        entries: list[tuple[Any, ...]] = []
        for event, tracking in items:
            aggregate_id = str(event.originator_id)
            codes = created_for(event)
            if codes is not None:
                new_subjects.append((aggregate_id, json.dumps(codes)))
                subjects[aggregate_id] = codes
            elif aggregate_id in subjects:
                codes = subjects[aggregate_id]
            else:
                cursor.execute(
                    "SELECT municipalities FROM audit_subjects WHERE aggregate_id = ?",
                    (aggregate_id,),
                )
                row = cursor.fetchone()
                codes = subjects[aggregate_id] = json.loads(row[0]) if row is not None else []
            if not codes:
                continue
            parts = EntryParts(event)
            for code in codes:
                head = heads.get(code)
                if head is None:
                    head = self._head(cursor, code)
                last, prev_hash = head
                position = last + 1
                entry_hash = parts.hash(prev_hash, position)
                entries.append(
                    (code, position, tracking.notification_id, *parts.row, entry_hash, prev_hash)
                )
                heads[code] = (position, entry_hash)
        if new_subjects:
            cursor.executemany("INSERT INTO audit_subjects VALUES (?, ?)", new_subjects)
        if entries:
            cursor.executemany(
                "INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries
            )

    @staticmethod
    def _head(cursor: ViewCursor, code: str) -> tuple[int, str]:
        cursor.execute(
            "SELECT position, hash FROM audit_entries WHERE municipality = ? "
            "ORDER BY position DESC LIMIT 1",
            (code,),
        )
        row = cursor.fetchone()
        return (row[0], row[1]) if row is not None else (0, GENESIS)

    # -- reading the stored chain ----------------------------------------------------------

    def entries(self, code: str, after: int = 0, limit: int | None = None) -> list[Entry]:
        """Stored entries of one chain after position `after`, in order, as plain dicts."""
        sql = (
            "SELECT * FROM audit_entries WHERE municipality = ? AND position > ? ORDER BY position"
        )
        params: list[Any] = [code, after]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [_stored_entry(row) for row in c.fetchall()]

    def chain_rows(
        self, code: str, after: int = 0, limit: int = 2000, upto: int | None = None
    ) -> list[tuple[Any, ...]]:
        """Stored entries of one chain after `after` as they are stored, for verification.

        Each row: position, recorded_at, event_type, aggregate_type, aggregate_id,
        version, actor, data (both JSON text), hash, prev_hash, notification_id.
        """
        sql = f"SELECT {_ROW_COLUMNS} FROM audit_entries WHERE municipality = ? AND position > ?"
        params: list[Any] = [code, after]
        if upto is not None:
            sql += " AND position <= ?"
            params.append(upto)
        sql += " ORDER BY position LIMIT ?"
        params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [tuple(row) for row in c.fetchall()]

    def aggregates_of(self, code: str) -> list[str]:
        """The aggregates the view records as concerning one municipality."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT aggregate_id, municipalities FROM audit_subjects "
                "WHERE municipalities LIKE ?",
                (f'%"{code}"%',),
            )
            return [row[0] for row in c.fetchall() if code in json.loads(row[1])]

    def head(self, code: str) -> tuple[int, str]:
        """The last position and hash of one chain ((0, 64 zeros) for an empty chain)."""
        with self.datastore.transaction(commit=False) as c:
            return self._head(c, code)

    def subjects(self) -> dict[str, list[str]]:
        """Which municipalities each aggregate concerns, as the view recorded it."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT aggregate_id, municipalities FROM audit_subjects")
            return {row[0]: json.loads(row[1]) for row in c.fetchall()}

    def municipalities(self) -> list[str]:
        """Every municipality that has a chain."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT DISTINCT municipality FROM audit_entries ORDER BY municipality")
            return [row[0] for row in c.fetchall()]


_ROW_COLUMNS = (
    "position, recorded_at, event_type, aggregate_type, aggregate_id, version, actor, data, "
    "hash, prev_hash, notification_id"
)


def _stored_entry(row: Any) -> Entry:
    return {
        "position": row["position"],
        "recorded_at": row["recorded_at"],
        "event_type": row["event_type"],
        "aggregate_type": row["aggregate_type"],
        "aggregate_id": row["aggregate_id"],
        "version": row["version"],
        "actor": json.loads(row["actor"]),
        "data": json.loads(row["data"]),
        "hash": row["hash"],
        "prev_hash": row["prev_hash"],
    }


def audit_page(
    view: AuditView,
    code: str,
    *,
    after: int | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[AuditEntry]:
    """One page of a municipality's chain after position `after` (or the cursor's)."""
    check_limit(limit)
    key = decode_cursor("audit", cursor, 2)
    start = after or 0
    if key is not None:
        if key[0] != code:
            raise InvalidCursor("The cursor belongs to another municipality's chain.")
        if not isinstance(key[1], int):
            raise InvalidCursor("The cursor is not one this list handed out.")
        start = max(start, int(key[1]))
    rows = view.entries(code, after=start, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [AuditEntry(**{**row, "actor": ActorOut(**row["actor"])}) for row in rows]
    next_cursor = encode_cursor("audit", [code, rows[-1]["position"]]) if more else None
    return Page[AuditEntry](items=items, next_cursor=next_cursor)


# -- verification ---------------------------------------------------------------------


class _StoredChain:
    """Reads one stored chain forwards in chunks, for comparison position by position."""

    CHUNK = 2000

    def __init__(self, view: AuditView, code: str, upto: int | None = None) -> None:
        self._view = view
        self._code = code
        self._upto = upto
        self._rows: list[tuple[Any, ...]] = []
        self._first = 1  # the position of self._rows[0]
        self._exhausted = False

    def at(self, position: int) -> tuple[Any, ...] | None:
        """The stored row at `position` (read forwards: positions only ever grow)."""
        index = position - self._first
        if index >= len(self._rows) and not self._exhausted:
            self._rows = self._view.chain_rows(
                self._code, after=position - 1, limit=self.CHUNK, upto=self._upto
            )
            self._first = position
            self._exhausted = len(self._rows) < self.CHUNK
            index = 0
        if 0 <= index < len(self._rows) and self._rows[index][0] == position:
            return self._rows[index]
        return None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        position = 1
        while (row := self.at(position)) is not None:
            yield row
            position += 1


def _same(
    stored: tuple[Any, ...], position: int, parts: EntryParts, hashes: tuple[str, str]
) -> bool:
    """Whether a stored row is the recomputed entry: as stored, or else as parsed JSON.

    The stored `actor` and `data` are the canonical JSON the view wrote, so equal text
    is the common case; text that differs only in form (spacing, key order) still
    holds the same entry, as a client reading the chain would see it.
    """
    if stored[:10] == (position, *parts.row, *hashes):
        return True
    if tuple(stored[8:10]) != hashes or tuple(stored[:6]) != (position, *parts.row[:5]):
        return False
    try:
        actor, data = json.loads(stored[6]), json.loads(stored[7])
    except ValueError:
        return False
    return compact_json(actor) == parts.row[5] and compact_json(data) == parts.row[6]


@dataclass
class _Chain:
    """One municipality's chain as recomputed, compared as it grows."""

    code: str
    stored: _StoredChain
    position: int = 0
    head_hash: str = GENESIS
    first_bad: int | None = None

    def add(self, parts: EntryParts | None) -> None:
        """Append a recomputed entry (None: an event that cannot even be decoded)."""
        self.position += 1
        if parts is None:
            self.head_hash = "!" * 64  # no hash can follow an unreadable event
            self._bad()
            return
        prev_hash = self.head_hash
        self.head_hash = parts.hash(prev_hash, self.position)
        if self.first_bad is None:
            stored = self.stored.at(self.position)
            if stored is None or not _same(
                stored, self.position, parts, (self.head_hash, prev_hash)
            ):
                self._bad()

    def _bad(self) -> None:
        if self.first_bad is None:
            self.first_bad = self.position


Decoder = Callable[[Notification], Any]


def _parts(decode: Callable[[Any], Any], stored: Any) -> EntryParts | None:
    """The entry parts of a stored event, or None if it cannot be decoded (a finding)."""
    try:
        return EntryParts(decode(stored))
    except Exception:  # any damage to the stored bytes is a finding, not a crash
        return None


def recompute_and_compare(
    view: AuditView,
    notifications: Iterable[Notification],
    decode: Decoder,
    codes: Iterable[str] | None = None,
) -> dict[str, Verification]:
    """Recompute the chains of `codes` (every chain if None) from the store's notifications.

    `notifications` must be the store's log up to the view's position. An event that
    cannot be decoded (its stored state was damaged) is attributed to the
    municipalities of its aggregate, as known from the store or else from the view.
    """
    wanted = None if codes is None else set(codes)
    view_subjects = view.subjects()
    subjects: dict[str, list[str]] = {}
    chains: dict[str, _Chain] = {}

    def chain(code: str) -> _Chain:
        if code not in chains:
            chains[code] = _Chain(code, _StoredChain(view, code))
        return chains[code]

    for notification in notifications:
        aggregate_id = str(notification.originator_id)
        try:
            event = decode(notification)
        except Exception:  # any damage to the stored bytes is a finding, not a crash
            event = None
        codes_of = created_for(event) if event is not None else None
        if codes_of is not None:
            subjects[aggregate_id] = codes_of
        else:
            codes_of = subjects.get(aggregate_id) or view_subjects.get(aggregate_id, [])
            subjects.setdefault(aggregate_id, codes_of)
        if wanted is not None:
            codes_of = [code for code in codes_of if code in wanted]
        if not codes_of:
            continue
        parts = None if event is None else _parts(_identity, event)
        for code in codes_of:
            chain(code).add(parts)
    for code in wanted if wanted is not None else set(view.municipalities()) | set(chains):
        chain(code)
    results: dict[str, Verification] = {}
    for code, recomputed in chains.items():
        stored_length, _ = view.head(code)
        first_bad = recomputed.first_bad
        if first_bad is None and stored_length != recomputed.position:
            first_bad = min(stored_length, recomputed.position) + 1
        results[code] = Verification(
            ok=first_bad is None,
            entries=recomputed.position,
            head_hash=recomputed.head_hash,
            first_bad_position=first_bad,
        )
    return results


def _identity(value: Any) -> Any:
    return value


def store_notifications(
    app: Application[UUID], upto: int, batch_size: int = 5000, after: int = 0
) -> Iterator[Notification]:
    """The store's own notifications after position `after` up to position `upto`, in order."""
    while after < upto:
        batch = app.recorder.select_notifications(
            start=after, limit=batch_size, stop=upto, inclusive_of_start=False
        )
        if not batch:
            return
        yield from batch
        after = batch[-1].id


def verify_municipalities(
    app: Application[UUID],
    view: AuditView,
    codes: Iterable[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Verification]:
    """Verify the chains of `codes` (all if None) against the store, up to the view's position."""
    upto = view.position(app.name)
    notifications = store_notifications(app, upto)
    if on_progress is not None:
        notifications = _reporting(notifications, upto, on_progress)
    return recompute_and_compare(view, notifications, app.mapper.to_domain_event, codes)


def verify_municipality(app: Application[UUID], view: AuditView, code: str) -> Verification:
    """`GET /municipalities/{code}/audit/verification`: one chain recomputed from the store.

    Reads only the events of the aggregates that concern `code` (one query per
    aggregate, `select_events`), not the whole log, and walks the stored chain entry
    by entry: each entry must be the store's event it names (aggregate and version),
    recomputed and hashed in the chain's order, and each aggregate's entries must be
    its versions 1, 2, 3... without a gap. An aggregate's events after its last entry
    must have come after the view's position (looked for in the log past it). So a
    changed, damaged or deleted event, and a changed, added or removed row of the
    chain, is found at its position.

    What this trusts the view for, and the full pass (`verify_municipalities`, `loften
    verify`) does not: which aggregates concern the municipality (an aggregate missing
    from the view altogether is not looked for) and the order of entries of different
    aggregates (each aggregate's own order is checked).
    """
    upto = view.position(app.name)
    head_position, _ = view.head(code)
    # Read in this order: every event up to `upto` has its entries at or before
    # `head_position`, and subjects are written with entries, so every aggregate
    # named up to that position is among them.
    events: dict[str, dict[int, StoredEvent]] = {}
    for aggregate_id in view.aggregates_of(code):
        stored = app.recorder.select_events(UUID(aggregate_id))
        events[aggregate_id] = {event.originator_version: event for event in stored}
    decode = app.mapper.to_domain_event
    stored_chain = _StoredChain(view, code, upto=head_position)
    recomputed = _Chain(code, stored_chain)
    reached: dict[str, int] = {}
    for row in stored_chain:
        aggregate_id, version = row[4], row[5]
        expected = reached.get(aggregate_id, 0) + 1
        stored_event = events.get(aggregate_id, {}).get(version)
        reached[aggregate_id] = version
        if version != expected or stored_event is None:
            recomputed.add(None)
            continue
        recomputed.add(_parts(decode, stored_event))
    first_bad = recomputed.first_bad
    if first_bad is None and recomputed.position != head_position:
        first_bad = recomputed.position + 1  # a row missing before the chain's head
    if first_bad is None and not _later_than(app, upto, _trailing(events, reached)):
        first_bad = recomputed.position + 1  # the chain lacks an event it should end with
    return Verification(
        ok=first_bad is None,
        entries=recomputed.position,
        head_hash=recomputed.head_hash,
        first_bad_position=first_bad,
    )


def _trailing(
    events: dict[str, dict[int, StoredEvent]], reached: dict[str, int]
) -> set[tuple[str, int]]:
    """Each aggregate's first stored event after its last entry in the chain."""
    trailing = set()
    for aggregate_id, versions in events.items():
        after = reached.get(aggregate_id, 0) + 1
        if after in versions:
            trailing.add((aggregate_id, after))
    return trailing


def _later_than(app: Application[UUID], upto: int, wanted: set[tuple[str, int]]) -> bool:
    """Whether every one of these events is in the log after position `upto`.

    They exist (they were just read), so each is either at or before `upto`, where the
    view should have it, or after it; only the log past `upto` is read, which is short
    while the view keeps up.
    """
    if not wanted:
        return True
    missing = set(wanted)
    stop = app.recorder.max_notification_id() or 0
    for notification in store_notifications(app, stop, after=upto):
        missing.discard((str(notification.originator_id), notification.originator_version))
        if not missing:
            return True
    return False


def _reporting(
    notifications: Iterator[Notification], upto: int, on_progress: Callable[[int, int], None]
) -> Iterator[Notification]:
    for notification in notifications:
        yield notification
        if notification.id % 1000 == 0 or notification.id == upto:
            on_progress(notification.id, upto)
