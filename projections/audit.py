"""The audit chain's view: per municipality, every event that concerns it, hash-linked in order.

Each entry is stored as its head's parts (position, recorded time, event and
aggregate, version) with its `hash` and `prev_hash` as they were when the event was
first projected; no value is copied here. A listing reads the values, salts and
digests from the event store itself (`projections.chain`) and shows each reader the
values they may see (`projections.publicity`), so an erased value is in no view, and
verification (`projections.verification`) compares the store's recomputed chain with
the one stored here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from uuid import UUID

from eventsourcing.domain import AggregateCreated
from eventsourcing.persistence import StoredEvent

from projections.chain import GENESIS, Field, SealedEvent
from projections.cursors import (
    DEFAULT_LIMIT,
    InvalidCursor,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from projections.dialect import ViewCursor
from projections.framework import Item, TrackedView
from projections.models import AuditEntry, Page
from projections.publicity import aggregate_is_public, public_aggregates, public_fields

if TYPE_CHECKING:
    from projections.stored_page import StoredPage

__all__ = ["GENESIS", "AuditView", "StoreReader", "audit_page", "created_for"]

Appended = tuple[str, list[str] | None, int, Callable[[], SealedEvent]]
"""An event as the chains take it: aggregate id, the municipalities it names if it creates
the aggregate, its position, and what makes its `SealedEvent`."""
ChainRows = tuple[list[tuple[str, str]], list[tuple[Any, ...]]]
"""A batch's new rows: of `audit_subjects` and of `audit_entries`."""


@dataclass(frozen=True)
class Prepared:
    """A page's rows worked out before its transaction, from row `start` on."""

    page: StoredPage
    start: int
    rows: ChainRows


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
    #: The heaviest view to rebuild (a digest per field): a worker of its own if there is one.
    rebuilt_apart: ClassVar[bool] = True
    _prepared: Prepared | None = None
    ddl: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS audit_subjects ("
        "aggregate_id TEXT PRIMARY KEY, municipalities TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS audit_entries ("
        "municipality TEXT NOT NULL, position BIGINT NOT NULL, notification_id BIGINT NOT NULL, "
        "recorded_at TEXT NOT NULL, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL, "
        "aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, "
        "hash TEXT NOT NULL, prev_hash TEXT NOT NULL, "
        "PRIMARY KEY (municipality, position))",
    )

    def apply_batch(self, cursor: ViewCursor, items: Sequence[Item]) -> None:
        """Append each event to its chains (see `_chain`)."""
        self._write(
            cursor,
            self._chain(
                cursor,
                (
                    (str(event.originator_id), created_for(event), tracking.notification_id,
                     partial(SealedEvent, event))
                    for event, tracking in items
                ),
            ),
        )  # fmt: skip

    def process_page(self, page: StoredPage, after: int | None = None) -> int:
        """As every view, the page's entries worked out before its transaction (again inside
        it if the view moved meanwhile): other writers of the views' database (a rebuild's
        other views, in another process) wait for the writes, not for the hashing."""
        self._prepared = self._prepare(page, after)
        try:
            return super().process_page(page, after)
        finally:
            self._prepared = None

    def _prepare(self, page: StoredPage, after: int | None) -> Prepared | None:
        if not len(page):
            return None
        with self.datastore.transaction(commit=False) as cursor:
            reached = self.recorder.tracking_position(cursor, page.application_name)
            start = page.first_after(reached)
            if (after is not None and reached < after) or start == len(page):
                return None
            return Prepared(page, start, self._chain(cursor, _stored(page, start)))

    def apply_page(self, cursor: ViewCursor, page: StoredPage, start: int) -> None:
        """Append each stored event from row `start` to its chains, its entry read from the
        stored JSON with no domain event built (`StoredPage.sealed`): the same entries."""
        prepared = self._prepared
        if prepared is not None and prepared.page is page and prepared.start == start:
            rows = prepared.rows
        else:
            rows = self._chain(cursor, _stored(page, start))
        self._write(cursor, rows)

    def _chain(self, cursor: ViewCursor, events: Iterable[Appended]) -> ChainRows:
        """The new rows that append each event to its chains, reading the heads and
        subjects the view holds; those of the batch are kept in hand.

        Each event comes as its aggregate id, the municipalities it names if it creates
        the aggregate (None otherwise), its position, and what makes its `SealedEvent`
        (called only for an event in some chain). Every read below is of a chain or an
        aggregate not yet touched in this batch, so none of them can need a row in hand.
        """
        heads: dict[str, tuple[int, str]] = {}
        subjects: dict[str, list[str]] = {}
        new_subjects: list[tuple[str, str]] = []
        entries: list[tuple[Any, ...]] = []
        for aggregate_id, created, notification_id, seal in events:
            codes = created
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
            sealed = seal()
            for code in codes:
                head = heads.get(code)
                if head is None:
                    head = self._head(cursor, code)
                last, prev_hash = head
                position = last + 1
                entry_hash = sealed.hash(prev_hash, position)
                entries.append(
                    (code, position, notification_id, *sealed.header, entry_hash, prev_hash)
                )
                heads[code] = (position, entry_hash)
        return new_subjects, entries

    @staticmethod
    def _write(cursor: ViewCursor, rows: ChainRows) -> None:
        """The batch's rows, one statement per table."""
        new_subjects, entries = rows
        if new_subjects:
            cursor.executemany("INSERT INTO audit_subjects VALUES (?, ?)", new_subjects)
        if entries:
            cursor.executemany(
                "INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries
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

    def chain_rows(
        self, code: str, after: int = 0, limit: int = 2000, upto: int | None = None
    ) -> list[tuple[Any, ...]]:
        """Stored entries of one chain after `after`, in order, as they are stored.

        Each row: position, recorded_at, event_type, aggregate_type, aggregate_id,
        version, hash, prev_hash, notification_id.
        """
        sql = f"SELECT {ROW_COLUMNS} FROM audit_entries WHERE municipality = ? AND position > ?"
        params: list[Any] = [code, after]
        if upto is not None:
            sql += " AND position <= ?"
            params.append(upto)
        sql += " ORDER BY position LIMIT ?"
        params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [tuple(row) for row in c.fetchall()]

    def hash_at(self, code: str, position: int) -> str | None:
        """The chain's hash at `position` (None past its head or before its start)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT hash FROM audit_entries WHERE municipality = ? AND position = ?",
                (code, position),
            )
            row = c.fetchone()
        return None if row is None else str(row[0])

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

    def public_among(self, ids: Sequence[str]) -> set[str]:
        """Which of these issues and promises the public sees (the catalogue beside this view)."""
        if not ids:
            return set()
        with self.datastore.transaction(commit=False) as c:
            return public_aggregates(c, ids)


def _stored(page: StoredPage, start: int) -> Iterator[Appended]:
    """The page's events from row `start` as `AuditView._append` takes them."""
    rows = page.rows
    for index in range(start, len(rows)):
        sealed, created = page.sealed(index)
        yield rows[index][1], created, rows[index][0], _given(sealed)


def _given(sealed: SealedEvent) -> Callable[[], SealedEvent]:
    return lambda: sealed


ROW_COLUMNS = (
    "position, recorded_at, event_type, aggregate_type, aggregate_id, version, "
    "hash, prev_hash, notification_id"
)


# -- listing: the entries as a reader may see them ------------------------------------------


class StoreReader(Protocol):
    """What a listing reads of the event store: an aggregate's stored events, and decoding."""

    @property
    def recorder(self) -> Any: ...

    @property
    def mapper(self) -> Any: ...


def _stored_events(
    store: StoreReader, rows: Sequence[tuple[Any, ...]]
) -> dict[tuple[str, int], StoredEvent]:
    """The stored events the rows name, read one aggregate (and span of versions) at a time."""
    spans: dict[str, tuple[int, int]] = {}
    for row in rows:
        aggregate_id, version = row[4], row[5]
        low, high = spans.get(aggregate_id, (version, version))
        spans[aggregate_id] = (min(low, version), max(high, version))
    found: dict[tuple[str, int], StoredEvent] = {}
    for aggregate_id, (low, high) in spans.items():
        for stored in store.recorder.select_events(UUID(aggregate_id), gt=low - 1, lte=high):
            found[(aggregate_id, stored.originator_version)] = stored
    return found


def _shown(field: Field, visible: bool) -> dict[str, Any]:
    if field.erased:
        return {"digest": field.digest, "erased": True}
    if visible:
        return {"digest": field.digest, "value": field.value, "salt": field.salt}
    return {"digest": field.digest}


def entries_for(
    view: AuditView, store: StoreReader, rows: Sequence[tuple[Any, ...]], *, sees_all: bool
) -> list[AuditEntry]:
    """The stored rows as entries, each field shown as this reader may see it.

    The values and salts come from the event store; a row whose event is missing or
    cannot be read shows no fields (verification reports it).
    """
    stored = _stored_events(store, rows)
    public = (
        set() if sees_all else view.public_among([row[4] for row in rows if row[3] != "Dialogue"])
    )
    items = []
    for row in rows:
        position, at, kind, aggregate, aggregate_id, version, entry_hash, prev_hash = row[:8]
        fields: dict[str, dict[str, Any]] = {}
        event = stored.get((aggregate_id, version))
        if event is not None:
            try:
                sealed = SealedEvent(store.mapper.to_domain_event(event))
            except Exception:  # a damaged event is verification's finding, not a crash here
                sealed = None
            if sealed is not None:
                committed = sealed.fields
                visible = (
                    committed.keys()
                    if sees_all
                    else public_fields(
                        aggregate_is_public(aggregate, aggregate_id, public),
                        {name: field.value for name, field in committed.items()},
                    )
                )
                fields = {name: _shown(f, name in visible) for name, f in committed.items()}
        items.append(
            AuditEntry(
                position=position,
                recorded_at=at,
                event_type=kind,
                aggregate_type=aggregate,
                aggregate_id=aggregate_id,
                version=version,
                fields=fields,
                hash=entry_hash,
                prev_hash=prev_hash,
            )
        )
    return items


def audit_page(
    view: AuditView,
    store: StoreReader,
    code: str,
    *,
    sees_all: bool = False,
    after: int | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[AuditEntry]:
    """One page of a municipality's chain after position `after` (or the cursor's).

    `sees_all`: the reader may see every value not erased (the municipality's own
    tokens, auditors, admins); otherwise the public's values only.
    """
    check_limit(limit)
    key = decode_cursor("audit", cursor, 2)
    start = after or 0
    if key is not None:
        if key[0] != code:
            raise InvalidCursor("The cursor belongs to another municipality's chain.")
        if not isinstance(key[1], int):
            raise InvalidCursor("The cursor is not one this list handed out.")
        start = max(start, int(key[1]))
    rows = view.chain_rows(code, after=start, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = entries_for(view, store, rows, sees_all=sees_all)
    next_cursor = encode_cursor("audit", [code, rows[-1][0]]) if more else None
    return Page[AuditEntry](items=items, next_cursor=next_cursor)
