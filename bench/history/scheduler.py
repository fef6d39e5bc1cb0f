"""The simulated calendar: generator processes resumed in date order, the clock set first.

Each process yields the date it next acts on; the scheduler moves the `FakeClock` to that
date before resuming it, so no command sees a date in its future. Ties keep the order in
which processes were started, which keeps a seeded history deterministic.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from datetime import date

from workflow.clock import FakeClock

Process = Iterator[date]


class Scheduler:
    """Resumes processes in date order, moving the clock to each date first."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._queue: list[tuple[date, int, Process]] = []
        self._order = itertools.count()
        self.now: date | None = None

    def start(self, when: date, process: Process) -> None:
        heapq.heappush(self._queue, (when, next(self._order), process))

    def run(self, until: date) -> None:
        while self._queue:
            when, _, process = heapq.heappop(self._queue)
            if when > until:
                continue  # the history ends before this step; drop the process
            self.now = when
            self.clock.set(when)
            try:
                wanted = next(process)
            except StopIteration:
                continue
            # A process may ask for a date already passed (two plans overlapping): act now.
            heapq.heappush(self._queue, (max(wanted, when), next(self._order), process))
