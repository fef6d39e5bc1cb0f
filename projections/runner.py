"""Runs the views: catches them up, keeps them current in a thread, waits for a position.

One feeding loop reads each batch once, decodes it once and hands it to every
view, each in its own transaction. A read that must see the caller's own writes
asks `wait_until(head)`; the loop is woken at once rather than at its next poll.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from projections.collector import paused_collector
from projections.feed import Feed
from projections.framework import TrackedView
from projections.rebuild_jobs import WORKER_MIN_EVENTS, ReadSideOpener, ViewsApart

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Told (position reached, head of the log) after each batch."""

DEFAULT_BATCH_SIZE = 2000

#: A rebuild's batch: one transaction (and one position) per view for this many events.
#: Nothing reads a view being rebuilt as current, so its batches can be large: a commit,
#: the chains' head look-ups and the statements' groups are paid per batch, not per event.
REBUILD_BATCH_SIZE = 20_000
#: How often a rebuild whose own views are done looks at the workers' progress.
WORKER_POLL_SECONDS = 0.5


class ProjectionService:
    """Feeds a set of tracked views from one application's log, on demand or in a thread."""

    def __init__(
        self,
        feed: Feed,
        views: Sequence[TrackedView],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        rebuild_batch_size: int = REBUILD_BATCH_SIZE,
        idle_seconds: float = 0.2,
        rebuild_opener: ReadSideOpener | None = None,
    ) -> None:
        self.feed = feed
        #: Opens this store and these views again in a rebuild's worker process (None: none).
        self.rebuild_opener = rebuild_opener
        #: The shortest log a rebuild with `jobs` shares with workers.
        self.worker_min_events = WORKER_MIN_EVENTS
        self.views = list(views)
        self.batch_size = batch_size
        self.rebuild_batch_size = max(batch_size, rebuild_batch_size)
        self.idle_seconds = idle_seconds
        self.last_error: BaseException | None = None
        self._step_lock = threading.Lock()
        self._reached = threading.Condition()
        self._position = self._lowest_position()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        feed.on_arrival(self._wake.set)

    # -- positions --------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        """Each view's position, by view name."""
        name = self.feed.application_name
        return {view.view_name: view.position(name) for view in self.views}

    def _lowest_position(self) -> int:
        return min(self.positions().values(), default=0)

    @property
    def position(self) -> int:
        """The position every view has reached."""
        with self._reached:
            return self._position

    def head(self) -> int:
        """The newest position in the application's log."""
        return self.feed.head()

    # -- feeding ----------------------------------------------------------------------

    def step(self, limit: int | None = None) -> int:
        """Feed one batch (`limit` events, else `batch_size`) to every view that needs it;
        how many events were read."""
        with self._step_lock:
            after = self._lowest_position()
            items = self.feed.read(after, limit or self.batch_size)
            for view in self.views:
                view.process_batch(items, after)
            self._reached_now()
        return len(items)

    def step_stored(self, limit: int, views: Sequence[TrackedView] | None = None) -> int:
        """Feed one page of `limit` stored events to every view (of `views`, else all) that
        needs it: a rebuild's step, each view decoding only what it takes; how many events
        were read."""
        views = self.views if views is None else views
        with self._step_lock:
            after = min((view.position(self.feed.application_name) for view in views), default=0)
            page = self.feed.read_page(after, limit)
            for view in views:
                view.process_page(page, after)
            self._reached_now()
        return len(page)

    def _reached_now(self) -> None:
        """Take the views' lowest position as the one reached, and wake who waits for it."""
        reached = self._lowest_position()
        with self._reached:
            self._position = reached
            self._reached.notify_all()

    def catch_up(self, on_progress: Progress | None = None, *, limit: int | None = None) -> int:
        """Feed batches (of `limit` events, else `batch_size`) until the views have reached
        the head of the log as it was at the call; the position."""
        return self._catch_up(lambda: self.step(limit), on_progress)

    def _catch_up(self, step: Callable[[], int], on_progress: Progress | None) -> int:
        """Step up to the head seen at the start, not the head of the moment: under a
        steady write load the head moves on, and a `loften rebuild` beside a serving
        process that chased it ran for as long as the writes went on (in the test of
        that, 21,000 writes and 50 s instead of a few seconds). What is written meanwhile
        is the running loop's, or the next call's. The views' positions are read first:
        another process may have emptied them (a `loften rebuild`) since this one last
        stepped."""
        self._reached_now()
        head = self.head()
        while self.position < head and step():
            if on_progress is not None:
                on_progress(self.position, max(head, self.position))
        return self.position

    def rebuild(self, on_progress: Progress | None = None, *, jobs: int = 1) -> int:
        """Drop every view and build it again from the whole log; the position reached.

        In pages of `rebuild_batch_size` stored events (`step_stored`), each view's rows
        and position in one transaction per page as always: a rebuild stopped by an error
        leaves every view consistent with its position, and a later catch-up (or
        rebuild) completes it. The cyclic garbage collector is paused meanwhile (see
        `paused_collector`). With `jobs` of two or more, a long log and a `rebuild_opener`,
        the views `rebuilt_apart` are rebuilt by worker processes meanwhile
        (`projections.rebuild_jobs`).
        """
        with self._step_lock:
            for view in self.views:
                view.reset()
        with self._reached:
            self._position = 0
        apart = self._apart(jobs)
        here = [view for view in self.views if view not in apart]
        opener = self.rebuild_opener
        workers = None
        if apart and opener is not None:
            workers = ViewsApart(opener, apart, self.rebuild_batch_size)
        try:
            with paused_collector():
                self._catch_up(lambda: self.step_stored(self.rebuild_batch_size, here), on_progress)
            while workers is not None and not workers.done():
                time.sleep(WORKER_POLL_SECONDS)
                self._reached_now()
                if on_progress is not None:
                    on_progress(self.position, max(self.head(), self.position))
            if workers is not None:
                workers.wait()
        finally:
            if workers is not None:
                workers.close()
        return self.catch_up(on_progress)  # the views apart stopped at the head they saw

    def _apart(self, jobs: int) -> list[TrackedView]:
        """The views a rebuild with `jobs` processes gives workers of their own."""
        if jobs < 2 or self.rebuild_opener is None or self.head() < self.worker_min_events:
            return []
        return [view for view in self.views if view.rebuilt_apart][: jobs - 1]

    # -- read-your-writes -----------------------------------------------------------

    def wait_until(self, position: int, timeout: float) -> bool:
        """Block until every view has reached `position` or `timeout` passes; reached?

        Without a running loop the caller's thread does the feeding itself, so
        tests and one-shot commands never wait for a thread that is not there.
        """
        if self.position >= position:
            return True
        if not self.is_running:
            self.catch_up()
            return self.position >= position
        deadline = time.monotonic() + timeout
        self._wake.set()
        with self._reached:
            while self._position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._reached.wait(remaining)
        return True

    # -- the background loop ----------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Keep the views current in a daemon thread until `stop()`."""
        if self.is_running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="loften-projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the loop after the batch in hand and wait for the thread to end."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def close(self) -> None:
        """Stop the loop and the feed, and close the views' database."""
        self.stop()
        self.feed.close()
        for datastore in {id(v.datastore): v.datastore for v in self.views}.values():
            datastore.close()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                read = self.step()
                self.last_error = None
            except Exception as error:  # the loop must outlive a bad batch; it retries
                log.exception("projection batch failed; retrying")
                self.last_error = error
                self._stopping.wait(1.0)
                continue
            if read == 0:
                self._wake.wait(self.idle_seconds)
                self._wake.clear()
