"""Verification of the audit chains: recomputed from the event store itself, compared with the view.

Each event's entry is recomputed from what the store holds (`projections.chain`):
every value still held is checked against the digest recorded for it, every other
digest computed from its value and salt, and the head hashed onto the previous
hash. The recomputed chain is compared entry by entry with the stored one (the
view's, as it was when the events were first projected): a changed or deleted event
in the store (or a changed row in the view) shows up at the first position where
the two disagree, and every later hash differs with it. Heads printed in reports
catch what neither can: a history rewritten and then rebuilt whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import Application, LocalNotificationLog
from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.system import NotificationLogReader

from projections.audit import AuditView
from projections.chain import GENESIS, SealedEvent
from projections.models import Verification
from projections.stored_reader import LogRow, StoredReader, log_rows

if TYPE_CHECKING:
    from projections.verification_jobs import Workers

Opener = Callable[[], tuple[Application[UUID], AuditView, Callable[[], None]]]
"""Opens the store and the audit view anew (in a worker process): app, view, close."""

__all__ = [
    "StoredReader",
    "recompute_and_compare",
    "store_notifications",
    "verify_municipalities",
    "verify_municipality",
]


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


@dataclass
class _Chain:
    """One municipality's chain as recomputed, compared as it grows."""

    code: str
    stored: _StoredChain
    position: int = 0
    head_hash: str = GENESIS
    first_bad: int | None = None

    def add(self, sealed: SealedEvent | None) -> None:
        """Append a recomputed entry (None: an event that cannot even be decoded)."""
        self.position += 1
        if sealed is None:
            self.head_hash = "!" * 64  # no hash can follow an unreadable event
            self._bad()
            return
        prev_hash = self.head_hash
        self.head_hash = sealed.hash(prev_hash, self.position)
        if self.first_bad is None:
            stored = self.stored.at(self.position)
            if (
                not sealed.consistent
                or stored is None
                or stored[:8] != (self.position, *sealed.header, self.head_hash, prev_hash)
            ):
                self._bad()

    def _bad(self) -> None:
        if self.first_bad is None:
            self.first_bad = self.position


def recompute_and_compare(
    view: AuditView,
    rows: Iterable[LogRow],
    reader: StoredReader,
    codes: Iterable[str] | None = None,
    keep: Callable[[str], bool] | None = None,
) -> dict[str, Verification]:
    """Recompute the chains of `codes` (every chain if None) from the store's log rows.

    `rows` must be the store's log up to the view's position. An event that cannot be
    decoded (its stored state was damaged) is attributed to the municipalities of its
    aggregate, as known from the store or else from the view. `keep` narrows the chains
    to those it accepts (one worker's share, `projections.verification_jobs`); an event
    of an aggregate known to concern none of them is not even read.
    """
    wanted = None if codes is None else set(codes)
    view_subjects = view.subjects()
    subjects: dict[str, list[str]] = {}
    chains: dict[str, _Chain] = {}

    def chain(code: str) -> _Chain:
        if code not in chains:
            chains[code] = _Chain(code, _StoredChain(view, code))
        return chains[code]

    @cache
    def taken(code: str) -> bool:
        return (wanted is None or code in wanted) and (keep is None or keep(code))

    narrowed = wanted is not None or keep is not None

    def chains_of(codes: list[str]) -> list[_Chain]:
        return [chain(code) for code in codes if not narrowed or taken(code)]

    # The chains an aggregate's events go to, until its next creation event.
    targets: dict[str, list[_Chain]] = {}
    for row in rows:
        aggregate_id = row[1]
        going = targets.get(aggregate_id)
        if going is not None and not going and reader.never_creates(row[3]):
            continue  # the same as reading it: it adds to no chain asked for
        sealed, codes_of = reader.read_row(row)
        if codes_of is not None:
            subjects[aggregate_id] = codes_of
            targets.pop(aggregate_id, None)
            going = chains_of(codes_of)
        elif going is None:
            codes_of = subjects.get(aggregate_id) or view_subjects.get(aggregate_id, [])
            subjects.setdefault(aggregate_id, codes_of)
            going = targets[aggregate_id] = chains_of(codes_of)
        for recomputed in going:
            recomputed.add(sealed)
    for code in wanted if wanted is not None else set(view.municipalities()) | set(chains):
        if keep is None or keep(code):
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
    app: Application[UUID], upto: int, batch_size: int = 5000, after: int = 0
) -> Iterator[Notification]:
    """The store's own notifications after position `after` up to position `upto`, in order."""
    log = NotificationLogReader(LocalNotificationLog(app.recorder, batch_size), batch_size)
    for batch in log.select(start=after, stop=upto, inclusive_of_start=False):
        yield from batch


def verify_municipalities(
    app: Application[UUID],
    view: AuditView,
    codes: Iterable[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    jobs: int = 1,
    opener: Opener | None = None,
    workers: Workers | None = None,
) -> dict[str, Verification]:
    """Verify the chains of `codes` (all if None) against the store, up to the view's position.

    With several chains and an `opener` (a picklable function opening the same store
    and view in another process), the municipalities are shared among this process and
    `workers` (`projections.verification_jobs.verification_workers`), or as many worker
    processes as `jobs` asks for, started here; the results are the same. Only some
    chains asked for, each process reads only the events of the aggregates concerning
    them (`share_rows`).
    """
    from projections.verification_jobs import share_rows, verification_workers, verify_in_workers

    upto = view.position(app.name)
    wanted = None if codes is None else sorted(set(codes))
    several = len(wanted) > 1 if wanted is not None else len(view.municipalities()) > 1
    if opener is not None and several and (workers is not None or jobs > 1):
        with nullcontext(workers) if workers is not None else verification_workers(jobs) as ready:
            assert ready is not None
            results = verify_in_workers(ready, opener, app, view, upto, wanted)
        if on_progress is not None:
            on_progress(upto, upto)
        return results
    reader = StoredReader(app.mapper)
    if wanted is None:
        rows: Iterable[LogRow] = log_rows(app, upto)
    else:
        chosen = set(wanted)
        rows = share_rows(app, view, reader, upto, chosen.__contains__)
    if on_progress is not None:
        rows = _reporting(rows, upto, on_progress)
    return recompute_and_compare(view, rows, reader, wanted)


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
    reader = StoredReader(app.mapper)
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
        recomputed.add(reader.read(stored_event)[0])
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
    rows: Iterable[LogRow], upto: int, on_progress: Callable[[int, int], None]
) -> Iterator[LogRow]:
    for row in rows:
        yield row
        if row[0] % 1000 == 0 or row[0] == upto:
            on_progress(row[0], upto)
