"""Where projections get their events: the notification log, read in batches.

Feeding is kept apart from the views so that the same views are fed by polling on
SQLite (it has no `subscribe()`) and by the library's subscription on PostgreSQL,
which buffers what LISTEN/NOTIFY delivers behind the same calls.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification, Subscription, Tracking
from eventsourcing.postgres import PostgresApplicationRecorder

from projections.framework import Item
from projections.stored_page import StoredPage, read_page

log = logging.getLogger(__name__)


class Feed(Protocol):
    """A source of decoded events with their positions in one application's log."""

    @property
    def application_name(self) -> str: ...

    def read(self, after: int, limit: int) -> Sequence[Item]:
        """Up to `limit` events after position `after`, in order; empty when none yet."""
        ...

    def read_page(self, after: int, limit: int) -> StoredPage:
        """Up to `limit` stored events after position `after`, not decoded (a rebuild's)."""
        ...

    def head(self) -> int:
        """The newest position in the log (0 when it is empty)."""
        ...

    def on_arrival(self, wake: Callable[[], None]) -> None:
        """Call `wake` whenever new events may be there (a feed that cannot tell never calls)."""
        ...

    def close(self) -> None:
        """Stop whatever the feed runs in the background."""
        ...


class PollingFeed:
    """Reads the application's notification log with `select_notifications`."""

    def __init__(self, app: Application[UUID]) -> None:
        self._app = app

    @property
    def application_name(self) -> str:
        return self._app.name

    def read(self, after: int, limit: int) -> Sequence[Item]:
        notifications = self._app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return decode(self._app, notifications)

    def read_page(self, after: int, limit: int) -> StoredPage:
        return read_page(self._app, after, limit)

    def head(self) -> int:
        return self._app.recorder.max_notification_id() or 0

    def on_arrival(self, wake: Callable[[], None]) -> None:
        """Polling cannot tell: the runner polls when idle."""

    def close(self) -> None:
        """Nothing runs in the background."""


def decode(app: Application[UUID], notifications: Sequence[Notification]) -> list[Item]:
    """The notifications as domain events with their positions."""
    name = app.name
    to_domain_event = app.mapper.to_domain_event
    items: list[Item] = []
    for notification in notifications:
        event: Any = to_domain_event(notification)
        items.append((event, Tracking(name, notification.id)))
    return items


class SubscriptionFeed:
    """Reads what the library's subscription (`recorder.subscribe`, LISTEN/NOTIFY) delivers.

    The subscription starts after the position asked for and delivers every later
    event in order, by itself, as soon as it is committed; a thread moves them into a
    bounded buffer and wakes the runner. `read(after, ...)` hands out what is buffered
    and waits for the first event only when the log is known to hold one after
    `after`. A read that does not continue where the last one ended (a view fell
    behind after an error, a rebuild started from 0) subscribes again from there.
    """

    BUFFER = 10_000
    #: How long a read waits for an event the log is known to hold.
    WAIT_SECONDS = 30.0
    #: How long before such a read subscribes again (see `_first`).
    RESUBSCRIBE_SECONDS = 0.5

    def __init__(self, app: Application[UUID]) -> None:
        if not isinstance(app.recorder, PostgresApplicationRecorder):
            raise TypeError("the subscription feed needs the PostgreSQL event store")
        self._app = app
        self._recorder: PostgresApplicationRecorder = app.recorder
        self._lock = threading.Lock()
        self._wake: Callable[[], None] = _nothing
        self._subscription: Subscription[Any] | None = None
        self._pump: threading.Thread | None = None
        self._stopping = threading.Event()
        self._buffer: queue.Queue[Notification] = queue.Queue(self.BUFFER)
        self._after = -1
        self._error: BaseException | None = None

    @property
    def application_name(self) -> str:
        return self._app.name

    def head(self) -> int:
        return self._recorder.max_notification_id() or 0

    def read_page(self, after: int, limit: int) -> StoredPage:
        """Read from the store itself, apart from the subscription: a rebuild reads the whole
        log at once, and the subscription goes on from where the live reads left it."""
        return read_page(self._app, after, limit)

    def on_arrival(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def read(self, after: int, limit: int) -> Sequence[Item]:
        with self._lock:
            if self._error is not None:
                error, self._error = self._error, None
                self._unsubscribe()
                raise error
            if self._subscription is None or after != self._after:
                self._subscribe(after)
            notifications: list[Notification] = []
            try:
                if self._buffer.empty():
                    if self.head() <= after:
                        return []
                    notifications.append(self._first(after))
                while len(notifications) < limit:
                    notifications.append(self._buffer.get_nowait())
            except queue.Empty:
                if not notifications:
                    raise TimeoutError(
                        f"the subscription delivered nothing after position {after} in "
                        f"{self.WAIT_SECONDS:.0f} s, though the log holds more"
                    ) from None
            self._after = notifications[-1].id
            return decode(self._app, notifications)

    def close(self) -> None:
        with self._lock:
            self._unsubscribe()

    def _first(self, after: int) -> Notification:
        """The first event after `after`, which the log is known to hold (`queue.Empty` if not).

        The library's subscription pulls what is already stored before its LISTEN is in
        place, so an event committed between the two is announced to no one, and the
        subscription waits for a next NOTIFY that may not come for a long while (seen
        here: a worker's view stuck for 30 s behind the deadline watcher's first mark).
        A fresh subscription's first pull finds such an event, so when nothing arrives
        within `RESUBSCRIBE_SECONDS`, subscribe again from `after`.
        """
        deadline = time.monotonic() + self.WAIT_SECONDS
        while True:
            try:
                return self._buffer.get(timeout=self.RESUBSCRIBE_SECONDS)
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise
                log.info("nothing delivered after position %d; subscribing again", after)
                self._subscribe(after)

    def _subscribe(self, after: int) -> None:
        self._unsubscribe()
        self._buffer = queue.Queue(self.BUFFER)
        self._stopping = threading.Event()
        subscription = self._recorder.subscribe(gt=after)
        subscription.__enter__()
        self._subscription = subscription
        self._pump = threading.Thread(
            target=self._move,
            args=(subscription, self._buffer, self._stopping),
            name="loften-subscription",
            daemon=True,
        )
        self._pump.start()
        self._after = after

    def _unsubscribe(self) -> None:
        self._stopping.set()
        if self._subscription is not None:
            subscription, self._subscription = self._subscription, None
            try:
                subscription.__exit__(None, None, None)  # stops and joins its threads
            except Exception:  # an error it already reported through the pump
                log.debug("subscription ended with an error", exc_info=True)
        if self._pump is not None:
            self._pump.join()
            self._pump = None

    def _move(
        self,
        subscription: Subscription[Any],
        buffer: queue.Queue[Notification],
        stopping: threading.Event,
    ) -> None:
        """The pump: subscription to buffer, waking the runner; blocks while the buffer is full."""
        try:
            for notification in subscription:
                while not stopping.is_set():
                    try:
                        buffer.put(notification, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stopping.is_set():
                    return
                self._wake()
        except Exception as error:  # reported by the next read, which subscribes again
            if not stopping.is_set():
                log.warning("the subscription failed: %s", error)
                self._error = error
                self._wake()


def _nothing() -> None:
    """The wake-up before anyone listens."""
