"""A rebuild shared with worker processes: a view apart in each, the others in the caller's.

The views are independent of each other (each its own tables and position), and the
audit chains, a digest per field of every event, are half of a rebuild's work. So with
`jobs` of two or more, each view that says it is `rebuilt_apart` is rebuilt by a worker
process of its own, which reads the log itself and writes that view's pages in its
own transactions, position and rows together as always, while the caller feeds the
other views. On SQLite the two processes take turns on the views' file for each page's
writes; the audit view works its page out before its transaction
(`AuditView.process_page`), so the turns are short.

The workers are started with `spawn`, not `fork`: the parent holds open connections
(a PostgreSQL pool, SQLite handles) that a forked child must not share. Each opens the
store and the views' database again with the `opener` it is given, a picklable
callable from the composition root (`infra.bootstrap.ReadSideOpener`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.collector import paused_collector
from projections.framework import TrackedView
from projections.stored_page import read_page
from projections.viewstore import ViewStore

__all__ = ["WORKER_MIN_EVENTS", "ReadSideOpener", "ViewsApart", "rebuild_view"]

ReadSideOpener = Callable[[], tuple[Application[UUID], ViewStore, Callable[[], None]]]
"""Opens the event store and the views' database again (in a worker): both, and a close."""

#: Below this many events a rebuild stays in one process: starting a worker (a Python
#: that imports the application) costs about a second of CPU.
WORKER_MIN_EVENTS = 50_000


def rebuild_view(opener: ReadSideOpener, view_class: type[TrackedView], limit: int) -> int:
    """In a worker: feed one view, emptied by the caller, page by page to the log's head
    as it was when the worker began (or until the caller says stop: see
    `ProjectionService._catch_up` for why not the head of the moment); the position it reached."""
    app, store, close = opener()
    try:
        view = view_class(store)
        head = app.recorder.max_notification_id() or 0
        with paused_collector():
            while True:
                after = view.position(app.name)
                if after >= head or (_stop is not None and _stop.is_set()):
                    return after
                page = read_page(app, after, limit)
                if not len(page):
                    return after
                view.process_page(page, after)
    finally:
        close()


#: Set by the caller when it gives up (an error in its own views): a worker then stops
#: after the page in hand, leaving its view consistent with its position.
_stop: Any = None


def _started(stop: Any) -> None:
    global _stop
    _stop = stop


class ViewsApart:
    """Views being rebuilt by worker processes, one each, started at once."""

    def __init__(self, opener: ReadSideOpener, views: Sequence[TrackedView], limit: int) -> None:
        context = get_context("spawn")
        self._stop = context.Event()
        self._pool = ProcessPoolExecutor(
            max_workers=len(views),
            mp_context=context,
            initializer=_started,
            initargs=(self._stop,),
        )
        self._futures: list[Future[int]] = [
            self._pool.submit(rebuild_view, opener, type(view), limit) for view in views
        ]

    def done(self) -> bool:
        return all(future.done() for future in self._futures)

    def wait(self) -> None:
        """Wait for every worker; raise the first one's error."""
        for future in self._futures:
            future.result()

    def close(self) -> None:
        """Tell the workers still running to stop after their page, and wait for them."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
