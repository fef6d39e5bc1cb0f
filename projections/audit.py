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

from eventsourcing.application import Application
from eventsourcing.domain import AggregateCreated
from eventsourcing.persistence import Notification

from projections.cursors import (
    DEFAULT_LIMIT,
    InvalidCursor,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from projections.dialect import ViewCursor
from projections.eventdata import aggregate_type, event_actor, event_data, event_type, recorded_at
from projections.framework import Item, TrackedView
from projections.models import ActorOut, AuditEntry, Page, Verification

GENESIS = "0" * 64

Entry = dict[str, Any]


def canonical(entry: Entry) -> str:
    """The entry's canonical JSON: without `hash` and `prev_hash`, keys sorted, compact."""
    body = {k: v for k, v in entry.items() if k not in ("hash", "prev_hash")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, entry: Entry) -> str:
    """The entry's hash: sha256 of the previous hash followed by the canonical entry."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


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
        """Append each event to its chains; heads and subjects are kept in hand for the batch."""
        heads: dict[str, tuple[int, str]] = {}
        subjects: dict[str, list[str]] = {}
        for event, tracking in items:
            aggregate_id = str(event.originator_id)
            codes = created_for(event)
            if codes is not None:
                cursor.execute(
                    "INSERT INTO audit_subjects VALUES (?, ?)", (aggregate_id, json.dumps(codes))
                )
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
            for code in codes:
                if code not in heads:
                    heads[code] = self._head(cursor, code)
                last, prev_hash = heads[code]
                entry = entry_body(event, last + 1)
                entry_hash = chain_hash(prev_hash, entry)
                cursor.execute(
                    "INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        code,
                        entry["position"],
                        tracking.notification_id,
                        entry["recorded_at"],
                        entry["event_type"],
                        entry["aggregate_type"],
                        entry["aggregate_id"],
                        entry["version"],
                        _compact(entry["actor"]),
                        _compact(entry["data"]),
                        entry_hash,
                        prev_hash,
                    ),
                )
                heads[code] = (last + 1, entry_hash)

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


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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

    def __init__(self, view: AuditView, code: str) -> None:
        self._view = view
        self._code = code
        self._buffer: dict[int, Entry] = {}

    def at(self, position: int) -> Entry | None:
        if position not in self._buffer:
            rows = self._view.entries(self._code, after=position - 1, limit=self.CHUNK)
            self._buffer = {row["position"]: row for row in rows}
        return self._buffer.get(position)


@dataclass
class _Chain:
    """One municipality's chain as recomputed, compared as it grows."""

    code: str
    stored: _StoredChain
    position: int = 0
    head_hash: str = GENESIS
    first_bad: int | None = None

    def add(self, entry: Entry | None) -> None:
        """Append a recomputed entry (None: an event that cannot even be decoded)."""
        self.position += 1
        if entry is None:
            self.head_hash = "!" * 64  # no hash can follow an unreadable event
            self._bad()
            return
        entry["position"] = self.position
        prev_hash = self.head_hash
        entry["hash"] = chain_hash(prev_hash, entry)
        entry["prev_hash"] = prev_hash
        self.head_hash = entry["hash"]
        if self.first_bad is None:
            stored = self.stored.at(self.position)
            if (
                stored is None
                or canonical(stored) != canonical(entry)
                or (
                    stored["hash"],
                    stored["prev_hash"],
                )
                != (entry["hash"], entry["prev_hash"])
            ):
                self._bad()

    def _bad(self) -> None:
        if self.first_bad is None:
            self.first_bad = self.position


Decoder = Callable[[Notification], Any]


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
        for code in codes_of:
            if wanted is not None and code not in wanted:
                continue
            chain(code).add(None if event is None else entry_body(event, 0))
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


def store_notifications(
    app: Application[UUID], upto: int, batch_size: int = 5000
) -> Iterator[Notification]:
    """The store's own notifications from the first up to position `upto`, in order."""
    after = 0
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
    """`GET /municipalities/{code}/audit/verification`: one chain recomputed from the store."""
    return verify_municipalities(app, view, [code])[code]


def _reporting(
    notifications: Iterator[Notification], upto: int, on_progress: Callable[[int, int], None]
) -> Iterator[Notification]:
    for notification in notifications:
        yield notification
        if notification.id % 1000 == 0 or notification.id == upto:
            on_progress(notification.id, upto)
