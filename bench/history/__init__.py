"""The simulated national history, written chapter by chapter through the application.

`History` joins the chapters: knowledge work per municipality (`knowledge`), promise
cycles per police district and the deadline watcher (`promises`), on the calendar of
`scheduler`; `base` holds what they share. See `bench.generate` for running it.
"""

from __future__ import annotations

from bench.history.base import Cluster, HistoryBase, Observed
from bench.history.knowledge import AGE_GROUPS, KnowledgeWork
from bench.history.promises import PromiseWork
from bench.history.scheduler import Process, Scheduler

__all__ = [
    "AGE_GROUPS",
    "Cluster",
    "History",
    "HistoryBase",
    "Observed",
    "Process",
    "Scheduler",
]


class History(KnowledgeWork, PromiseWork):
    """The simulated national history: processes that act through the application."""

    def run(self) -> None:
        for code in self.codes:
            self.scheduler.start(self.first_day, self.knowledge(code))
        for cluster in self.clusters():
            self.scheduler.start(self.first_day, self.promise_cycles(cluster))
        self.scheduler.start(self.first_day, self.deadline_watcher())
        self.scheduler.run(self.last_day)
