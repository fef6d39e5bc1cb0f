"""Verification shared among processes, one share of the municipalities each.

Recomputing an entry is Python work (reading the stored JSON, a digest per field, the
head's hash), so one process verifies at one core's pace. A chain depends only on the
events of its own municipality's aggregates, so the municipalities are split into
`jobs` shares of about as many entries each (`assign`, from the view's chain lengths,
decided here and handed to every worker; a chain the view lacks goes by a stable hash of
its code, `share_of`). This process takes the first share and `jobs - 1` worker
processes the others, each with the serial code (`recompute_and_compare` with `keep`).

Each share reads only its own events (`share_rows`): the log's creation events first
(which aggregates concern which municipalities, from the store itself), then the
events of the aggregates that concern its chains, the rest skipped by the database
unread. An aggregate is read if its creation event names one of the share's chains
or the view says it concerns one: every event the serial pass would add to those
chains is among them, so the results are the serial ones
(`tests/projections/test_verification_jobs.py`, tampering included).

The workers are started before the store is opened where the caller can
(`verification_workers(jobs, fork=True)`, `loften verify`): forked then, holding no
connection and running no other thread, they cost neither a new interpreter nor the
imports. Otherwise they are spawned: a forked child must not share the parent's open
connections (a PostgreSQL pool, SQLite handles) or its threads' locks.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_all_start_methods, get_context
from uuid import UUID

from eventsourcing.application import Application

from projections.audit import AuditView
from projections.models import Verification
from projections.stored_reader import LogRow, StoredReader, log_rows, log_topics
from projections.verification import Opener, recompute_and_compare

__all__ = [
    "Workers",
    "assign",
    "share_of",
    "share_rows",
    "verification_workers",
    "verify_in_workers",
]


def share_of(code: str, jobs: int) -> int:
    """The share of a chain that `assign` did not place (stable across processes)."""
    return zlib.crc32(code.encode("utf-8")) % jobs


def assign(view: AuditView, codes: Sequence[str] | None, jobs: int) -> dict[str, int]:
    """Each chain's share: the longest chains first, each to the share with the fewest
    entries so far (lengths from the view, which every process is then told)."""
    lengths = sorted(
        (
            (view.head(code)[0], code)
            for code in (view.municipalities() if codes is None else codes)
        ),
        reverse=True,
    )
    entries, found = [0] * jobs, {}
    for length, code in lengths:
        share = entries.index(min(entries))
        found[code] = share
        entries[share] += length
    return found


@dataclass(frozen=True)
class Workers:
    """Worker processes ready for verification: `jobs` shares, this process taking one."""

    pool: Executor
    jobs: int
    started: str  # "fork" or "spawn"


@contextmanager
def verification_workers(jobs: int, *, fork: bool = False) -> Iterator[Workers | None]:
    """`jobs - 1` worker processes (None for one job), started now.

    `fork=True` says this process holds no connection to a store yet: the workers are
    then forked (if this process runs no other thread), sharing its imported code.
    """
    if jobs <= 1:
        yield None
        return
    forking = fork and threading.active_count() == 1 and "fork" in get_all_start_methods()
    started = "fork" if forking else "spawn"
    with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=get_context(started)) as pool:
        if forking:
            pool.submit(int)  # a forking pool forks every worker at its first task, now
        yield Workers(pool, jobs, started)


def share_rows(
    app: Application[UUID],
    view: AuditView,
    reader: StoredReader,
    upto: int,
    taken: Callable[[str], bool],
) -> Iterable[LogRow]:
    """The log's rows up to `upto` that chains `taken` accepts may need: every event of an
    aggregate that the store's creation events or the view say concerns one of them."""
    topics = log_topics(app, upto)
    if topics is None:
        return log_rows(app, upto)
    creating = [topic for topic in topics if reader.creates(topic)]
    concerned: set[str] = set()
    for row in log_rows(app, upto, topics=creating):
        _, codes = reader.read_row(row)
        if codes and any(map(taken, codes)):
            concerned.add(row[1])
    concerned.update(
        aggregate for aggregate, codes in view.subjects().items() if any(map(taken, codes))
    )
    return log_rows(app, upto, aggregates=concerned)


def verify_share(
    app: Application[UUID],
    view: AuditView,
    upto: int,
    codes: Sequence[str] | None,
    share: int,
    assigned: dict[str, int],
    jobs: int,
) -> dict[str, Verification]:
    """One share's chains recomputed from its rows of the log up to `upto`."""

    mine = {code for code, placed in assigned.items() if placed == share}

    @cache
    def keep(code: str) -> bool:  # asked once per event: a set, the hash only for the rest
        return code in mine or (code not in assigned and share_of(code, jobs) == share)

    wanted = None if codes is None else set(codes)
    reader = StoredReader(app.mapper)
    rows = share_rows(
        app, view, reader, upto, lambda code: keep(code) and (wanted is None or code in wanted)
    )
    return recompute_and_compare(view, rows, reader, codes, keep=keep)


def _verify_share(
    opener: Opener,
    upto: int,
    codes: Sequence[str] | None,
    share: int,
    assigned: dict[str, int],
    jobs: int,
) -> dict[str, Verification]:
    """In a worker: open the store and the view, and verify one share."""
    app, view, close = opener()
    try:
        return verify_share(app, view, upto, codes, share, assigned, jobs)
    finally:
        close()


def verify_in_workers(
    workers: Workers,
    opener: Opener,
    app: Application[UUID],
    view: AuditView,
    upto: int,
    codes: Sequence[str] | None,
) -> dict[str, Verification]:
    """Every chain of `codes` (all if None): the first share here, the others by `workers`."""
    jobs = workers.jobs
    assigned = assign(view, codes, jobs)
    futures = [
        workers.pool.submit(_verify_share, opener, upto, codes, share, assigned, jobs)
        for share in range(1, jobs)
    ]
    results = verify_share(app, view, upto, codes, 0, assigned, jobs)
    for future in futures:
        results.update(future.result())
    return dict(sorted(results.items()))
