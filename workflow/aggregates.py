"""How the application loads and saves aggregates: in the aggregate's turn, retried on a
lost race unless a version is pinned, checked by the caller on the very load a command
changes, and saved with the key of the request being answered (`workflow.keys`).

The base of the application (`workflow.application.Loftesboken`); the commands are in
`workflow.dialogue_commands`, `workflow.issue_commands` and `workflow.promise_commands`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoder

from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise
from domain.reminders import ReminderRecipients
from domain.transcodings import all_transcodings
from workflow.clock import Clock, SystemClock, today
from workflow.errors import NotFound, TooMuchContention, VersionMismatch
from workflow.keys import (
    KEY_RETENTION,
    RECORDED_KEY,
    KeyRecorder,
    RecordedKey,
    answering,
    recorded_key_of,
)
from workflow.settings import Settings
from workflow.turns import WriteTurns

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")

MAX_ATTEMPTS = 10

#: The caller's check of the aggregate a command loads (`Loftesboken.checking`).
_CHECK: ContextVar[Callable[[Any], None] | None] = ContextVar("loften_check", default=None)

# A lost race waits a random while (up to 2, 4, 8, ... ms, at most 100 ms) before trying
# again: without it, writers racing on one aggregate from several processes kept
# colliding in step, and one lost all ten attempts (a 409 on a feedback, which the
# contract says never fails for concurrency: tests/e2e/test_two_apis_one_worker.py).
RETRY_WAIT_SECONDS = 0.002
RETRY_WAIT_CAP_SECONDS = 0.1

#: Called once for every lost race a command retries (`infra.metrics` counts them as the
#: commands' outcome "conflict_retried"); the workflow itself does no I/O for them.
RETRY_OBSERVERS: list[Callable[[], None]] = []

KIND_NAMES: dict[type[Aggregate], str] = {
    Dialogue: "dialogue",
    Issue: "issue",
    Promise: "promise",
    ReminderRecipients: "reminder recipients",
}


class AggregateAccess(Application[UUID]):
    """Loading, changing and saving aggregates: what every command of the application uses."""

    def __init__(
        self,
        settings: Settings | None = None,
        clock: Clock | None = None,
        env: dict[str, str] | None = None,
        *,
        transcoder: Callable[[], JSONTranscoder] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.clock: Clock = clock or SystemClock()
        self._new_transcoder = transcoder or JSONTranscoder
        super().__init__(
            env={
                **self.settings.event_store_environment(),
                **self.settings.aggregate_cache_environment(),
                **(env or {}),
            }
        )
        self.turns = WriteTurns(self.recorder)

    def construct_transcoder(self) -> Transcoder:
        """The codec the composition root chose (`infra.bootstrap`: orjson, for speed),
        else the library's own JSON transcoder; both write the same bytes.

        Encoding is much of the cost of writing an event and decoding most of the cost
        of reading one (docs/benchmarks.md). Stores written by the library's own
        `JSONTranscoder` read the same, and the other way round.
        """
        transcoder = self._new_transcoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in all_transcodings():
            transcoder.register(transcoding)

    @property
    def today(self) -> date:
        return today(self.clock)

    def get_dialogue(self, dialogue_id: UUID, *, version: int | None = None) -> Dialogue:
        return self._get(Dialogue, dialogue_id, version)

    def get_issue(self, issue_id: UUID, *, version: int | None = None) -> Issue:
        return self._get(Issue, issue_id, version)

    def get_promise(self, promise_id: UUID, *, version: int | None = None) -> Promise:
        return self._get(Promise, promise_id, version)

    def version_at(self, aggregate_id: UUID, moment: datetime) -> int | None:
        """The aggregate's version as it stood at `moment`, or None if it did not exist yet."""
        version: int | None = None
        for stored in self.recorder.select_events(aggregate_id):
            event: Any = self.mapper.to_domain_event(stored)
            if event.timestamp > moment:
                break
            version = stored.originator_version
        return version

    def _get(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(KIND_NAMES[cls], aggregate_id) from None
        if not isinstance(aggregate, cls):
            raise NotFound(KIND_NAMES[cls], aggregate_id)
        return aggregate

    @contextmanager
    def checking(self, check: Callable[[Any], None]) -> Iterator[None]:
        """Run `check(aggregate)` on the aggregate each command in the block loads, before it runs.

        The API checks who may change an aggregate and the client's `If-Match` on the very
        load the command then changes, in the aggregate's turn: one read per request, and
        no window between the check and the change. A check that raises changes nothing.
        """
        reset = _CHECK.set(check)
        try:
            yield
        finally:
            _CHECK.reset(reset)

    def _change(
        self,
        cls: type[A],
        aggregate_id: UUID,
        command: Callable[[A], R],
        expected_version: int | None = None,
        saving: Callable[[A, R], dict[str, Any]] | None = None,
    ) -> tuple[A, R]:
        """Run `command` on the aggregate in its turn and save; a lost race (only possible
        against a writer that takes no turns) is retried unless a version is pinned.
        `saving` gives what the recorder writes with the events (an erasure's targets)."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self.turns.turn(aggregate_id):
                    aggregate = self._get(cls, aggregate_id)
                    check = _CHECK.get()
                    if check is not None:
                        check(aggregate)
                    if expected_version is not None and aggregate.version != expected_version:
                        raise VersionMismatch(expected_version, aggregate.version)
                    result = command(aggregate)
                    self.save(aggregate, **({} if saving is None else saving(aggregate, result)))
                    self._keep(aggregate)
            except IntegrityError:
                if expected_version is not None:
                    # Report the version that won, not ours with its unsaved events.
                    stored = self._get(cls, aggregate_id).version
                    raise VersionMismatch(expected_version, stored) from None
                for observe in RETRY_OBSERVERS:
                    observe()
                wait = min(RETRY_WAIT_CAP_SECONDS, RETRY_WAIT_SECONDS * 2**attempt)
                time.sleep(random.uniform(0, wait))
                continue
            return aggregate, result
        raise TooMuchContention(
            f"The {KIND_NAMES[cls]} {aggregate_id} is changing too fast; try again."
        )

    def _keep(self, aggregate: Aggregate) -> None:
        """Cache a copy of the aggregate just saved, so its next load fast-forwards from
        here instead of decoding again the events this command wrote (the library keeps
        saved aggregates only when it does not fast-forward). A copy: the caller's object
        is its own to read while the next command changes the cached one."""
        if self.repository.cache is not None:
            self.repository.cache.put(aggregate.id, deepcopy(aggregate))

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Save, and record the key of the request being answered with the first events."""
        current = answering.get()
        record: RecordedKey | None = None
        if current is not None and current.recorded is None and self.keeps_keys:
            moment = self.clock.now().timestamp()
            for obj in objs:
                pending = list(getattr(obj, "pending_events", ()))
                record = recorded_key_of(current.key, obj, pending, moment)
                if record is not None:
                    kwargs[RECORDED_KEY] = record
                    break
        recordings = super().save(*objs, **kwargs)
        if current is not None and record is not None:
            current.recorded = record
        return recordings

    @property
    def keeps_keys(self) -> bool:
        """Whether the event store records idempotency keys with events (ours both do)."""
        return isinstance(self.recorder, KeyRecorder)

    def recorded_key(self, scope: str, key: str) -> RecordedKey | None:
        """The events that spent `key`, if any did (and are not yet forgotten)."""
        if not isinstance(self.recorder, KeyRecorder):
            return None
        since = self.clock.now() - KEY_RETENTION
        return self.recorder.recorded_key(scope, key, since.timestamp())

    def forget_recorded_keys(self, before: datetime) -> int:
        """Forget keys recorded before `before` (their events stay, of course)."""
        if not isinstance(self.recorder, KeyRecorder):
            return 0
        return self.recorder.forget_recorded_keys(before.timestamp())

    def aggregate_events(self, aggregate_id: UUID) -> list[Any]:
        """Every event of one aggregate, oldest first."""
        return list(self.repository.event_store.get(aggregate_id))
