"""Where projections get their events: the notification log, read in batches.

Feeding is kept apart from the views so that one view can be fed by polling
(SQLite has no `subscribe()`) or, later, by a PostgreSQL subscription that
buffers what LISTEN/NOTIFY delivers behind the same two calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking

from projections.framework import Item


class Feed(Protocol):
    """A source of decoded events with their positions in one application's log."""

    @property
    def application_name(self) -> str: ...

    def read(self, after: int, limit: int) -> Sequence[Item]:
        """Up to `limit` events after position `after`, in order; empty when none yet."""
        ...

    def head(self) -> int:
        """The newest position in the log (0 when it is empty)."""
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
        name = self._app.name
        to_domain_event = self._app.mapper.to_domain_event
        items: list[Item] = []
        for notification in notifications:
            event: Any = to_domain_event(notification)
            items.append((event, Tracking(name, notification.id)))
        return items

    def head(self) -> int:
        return self._app.recorder.max_notification_id() or 0
