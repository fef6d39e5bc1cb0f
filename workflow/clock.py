"""Where the workflow gets the time: the real clock in production, a settable one in tests.

"Today", "the future" and "overdue" are judged by the date in Europe/Stockholm.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


def today(clock: Clock) -> date:
    """The date in Europe/Stockholm at the clock's current moment."""
    return clock.now().astimezone(STOCKHOLM).date()


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until a test moves it; safe to share between threads."""

    def __init__(self, start: datetime | date) -> None:
        self._lock = threading.Lock()
        self._now = _as_moment(start)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime | date) -> None:
        with self._lock:
            self._now = _as_moment(moment)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


def _as_moment(value: datetime | date) -> datetime:
    """A date means noon that day in Stockholm, well clear of midnight on either side."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, 12, tzinfo=STOCKHOLM)
