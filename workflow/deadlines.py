"""The deadline watcher: finds follow-ups whose due date has passed unrecorded and marks them.

It keeps a small in-memory index of every open follow-up's current due date, fed
incrementally from the event store's notification log, so a check costs nothing
when nothing is due. Marking goes through the Promise aggregate, which records
`FollowUpOverdue` at most once per follow-up and due date; a save that loses a race
(another watcher, a user command) is retried against the new state, so restarts,
crashes half-way and two watchers at once can neither double a mark nor miss one.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import assert_never, cast, get_args
from uuid import UUID

from eventsourcing.application import LocalNotificationLog
from eventsourcing.system import NotificationLogReader

from domain.events import topic_of
from domain.follow_ups import awaits_overdue_mark
from domain.promise import Promise
from domain.values import SYSTEM_ACTOR, Actor
from workflow.application import Loftesboken
from workflow.periodic import PeriodicService

log = logging.getLogger(__name__)

#: The events that open, move, close or mark a follow-up: `_apply` has a case for each
#: (mypy checks it, through `assert_never`), and the watcher reads only their topics.
Watched = (
    Promise.FollowUpScheduled
    | Promise.FollowUpRecorded
    | Promise.FollowUpRescheduled
    | Promise.FollowUpOverdue
    | Promise.PromiseConcluded
    | Promise.PromiseWithdrawn
)
WATCHED_TOPICS = tuple(topic_of(event_class) for event_class in get_args(Watched))

PAGE = 10_000


@dataclass
class _OpenFollowUp:
    due_on: date
    marked_for: set[date] = field(default_factory=set)


class DeadlineWatcher:
    """Marks missed follow-ups overdue; `check()` is safe to call from any number of places."""

    def __init__(self, app: Loftesboken, actor: Actor = SYSTEM_ACTOR) -> None:
        self.app = app
        self.actor = actor
        self._position = 0
        self._open: dict[UUID, dict[UUID, _OpenFollowUp]] = {}
        self._lock = threading.Lock()

    def check(self) -> int:
        """Mark every follow-up now overdue; returns how many this call marked."""
        with self._lock:
            self._catch_up()
            today = self.app.today
            due = [pid for pid, fus in self._open.items() if _has_unmarked(fus, today)]
            marked = 0
            for promise_id in due:
                marked += len(self.app.mark_overdue(promise_id, actor=self.actor))
            self._catch_up()
            return marked

    def _catch_up(self) -> None:
        """Read the follow-up events recorded since the last call into the index."""
        log = NotificationLogReader(LocalNotificationLog(self.app.recorder, PAGE), PAGE)
        pages = log.select(start=self._position, topics=WATCHED_TOPICS, inclusive_of_start=False)
        for notifications in pages:
            for notification in notifications:
                # Only the watched topics are read, so every event is of a watched class.
                self._apply(cast(Watched, self.app.mapper.to_domain_event(notification)))
                self._position = notification.id

    def _apply(self, event: Watched) -> None:
        promise_id: UUID = event.originator_id
        follow_ups = self._open.setdefault(promise_id, {})
        match event:
            case Promise.FollowUpScheduled():
                follow_ups[event.follow_up_id] = _OpenFollowUp(due_on=event.due_on)
            case Promise.FollowUpRecorded():
                follow_ups.pop(event.follow_up_id, None)
            case Promise.FollowUpRescheduled():
                if event.follow_up_id in follow_ups:
                    follow_ups[event.follow_up_id].due_on = event.due_on
            case Promise.FollowUpOverdue():
                if event.follow_up_id in follow_ups:
                    follow_ups[event.follow_up_id].marked_for.add(event.due_on)
            case Promise.PromiseConcluded() | Promise.PromiseWithdrawn():
                follow_ups.clear()
            case _:
                assert_never(event)
        if not follow_ups:
            del self._open[promise_id]


def _has_unmarked(follow_ups: dict[UUID, _OpenFollowUp], today: date) -> bool:
    return any(awaits_overdue_mark(f.due_on, f.marked_for, today) for f in follow_ups.values())


class DeadlineWatcherService(PeriodicService):
    """Runs a `DeadlineWatcher` in a background thread: at start, then every `interval` s."""

    name = "deadline-watcher"
    done = "deadline check marked %d follow-up(s) overdue"
    failed = "deadline check failed; retrying at the next interval"

    def __init__(self, watcher: DeadlineWatcher, interval: float = 60.0) -> None:
        super().__init__(interval, log)
        self.watcher = watcher

    def check(self) -> int:
        return self.watcher.check()
