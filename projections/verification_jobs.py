"""Verification shared among worker processes, one share of the municipalities each.

Recomputing an entry is Python work (reading the stored JSON, a digest per field, the
head's hash), so one process verifies at one core's pace. A chain depends only on the
events of its own municipality's aggregates, so the municipalities are split into
`jobs` shares (by a stable hash of the code: the same split in every process), and
each worker recomputes its share's chains with the serial code
(`recompute_and_compare` with `keep`), skipping the events of aggregates that concern
none of them without reading them. Every worker reads the whole log (plain rows, one
joined read per page), which costs little beside the hashing it saves.

The workers are started with `spawn`, not `fork`: the parent holds open connections
(a PostgreSQL pool, SQLite handles) that a forked child must not share. Each opens
the store and the view again with the `opener` it is given.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from projections.models import Verification
from projections.stored_reader import StoredReader, log_rows
from projections.verification import Opener, recompute_and_compare

__all__ = ["share_of", "verify_in_workers"]


def share_of(code: str, jobs: int) -> int:
    """Which of `jobs` shares a municipality's chain belongs to (stable across processes)."""
    return zlib.crc32(code.encode("utf-8")) % jobs


def _verify_share(
    opener: Opener, upto: int, codes: Sequence[str] | None, share: int, jobs: int
) -> dict[str, Verification]:
    """In a worker: this share's chains recomputed from the log up to `upto`."""
    app, view, close = opener()
    try:
        return recompute_and_compare(
            view,
            log_rows(app, upto),
            StoredReader(app.mapper),
            codes,
            keep=lambda code: share_of(code, jobs) == share,
        )
    finally:
        close()


def verify_in_workers(
    opener: Opener, upto: int, codes: Sequence[str] | None, jobs: int
) -> dict[str, Verification]:
    """Every chain of `codes` (all if None), verified by `jobs` worker processes."""
    results: dict[str, Verification] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_verify_share, opener, upto, codes, share, jobs) for share in range(jobs)
        ]
        for future in futures:
            results.update(future.result())
    return dict(sorted(results.items()))
