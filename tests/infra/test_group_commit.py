"""Group commit: concurrent saves committed together, each failure its own caller's alone.

The batching itself (`infra.group_commit.GroupCommit`) with a committer that holds its
first commit until the others have queued, so a batch forms without relying on timing;
the SQLite recorder's batch (`SQLiteRecorder._insert_batch`) with a lost race and a
spent key among other saves; and concurrent writers through the application on both
stores, each committed exactly once.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from domain.dialogue import DialogueKind
from infra.bootstrap import open_application
from infra.group_commit import GroupCommit, Pending
from infra.recorders import SQLiteRecorder
from tests.support.builders import POLICE
from workflow.application import Loftesboken
from workflow.keys import RECORDED_KEY, KeyAlreadyRecorded, RecordedKey
from workflow.settings import Settings

Batch = list[Pending[int, int]]


class HeldCommitter:
    """Commits ints (doubling them, refusing 13); the first commit waits to be let go."""

    def __init__(self, callers: int) -> None:
        self.callers = callers
        self.first_started = threading.Event()
        self.let_go = threading.Event()
        self.batches: list[list[int]] = []
        self.group: GroupCommit[int, int] = GroupCommit(self.commit_batch, self.commit_one)

    def _hold(self) -> None:
        if not self.first_started.is_set():
            self.first_started.set()
            assert self.let_go.wait(30)

    def commit_one(self, item: int) -> int:
        self._hold()
        self.batches.append([item])
        if item == 13:
            raise ValueError("13 is refused")
        return item * 2

    def commit_batch(self, batch: Batch) -> None:
        self.batches.append([p.item for p in batch])
        for pending in batch:
            if pending.item == 13:
                pending.error = ValueError("13 is refused")
            else:
                pending.result = pending.item * 2

    def queued(self) -> int:
        with self.group._changed:
            return len(self.group._queue)


def run_held(committer: HeldCommitter, items: list[int]) -> dict[int, int | str]:
    """The first item's commit is held until every other item has queued behind it."""
    answers: dict[int, int | str] = {}

    def submit(item: int) -> None:
        try:
            answers[item] = committer.group.submit(item)
        except ValueError as exc:
            answers[item] = str(exc)

    first = threading.Thread(target=submit, args=(items[0],))
    first.start()
    assert committer.first_started.wait(30)
    others = [threading.Thread(target=submit, args=(item,)) for item in items[1:]]
    for thread in others:
        thread.start()
    while committer.queued() < len(others):
        threading.Event().wait(0.001)
    committer.let_go.set()
    for thread in [first, *others]:
        thread.join(30)
    return answers


def test_saves_that_arrive_while_one_commits_are_committed_together() -> None:
    committer = HeldCommitter(callers=6)
    answers = run_held(committer, [1, 2, 3, 4, 5, 6])
    assert answers == {n: n * 2 for n in range(1, 7)}
    assert committer.batches[0] == [1]
    assert sorted(committer.batches[1]) == [2, 3, 4, 5, 6]
    assert committer.group.batches == [1, 5]


def test_a_refused_item_in_a_batch_fails_alone() -> None:
    committer = HeldCommitter(callers=4)
    answers = run_held(committer, [1, 13, 2, 3])
    assert answers == {1: 2, 13: "13 is refused", 2: 4, 3: 6}


def test_a_batch_whose_commit_fails_is_committed_one_by_one() -> None:
    committed: list[int] = []

    def failing_batch(batch: Batch) -> None:
        raise OSError("disk full, say")

    def one(item: int) -> int:
        if item == 13:
            raise ValueError("13 is refused")
        committed.append(item)
        return item

    group: GroupCommit[int, int] = GroupCommit(failing_batch, one)
    batch = [Pending[int, int](n) for n in (1, 13, 2)]
    group._commit(batch)
    assert [p.result for p in batch] == [1, None, 2]
    assert isinstance(batch[1].error, ValueError)
    assert committed == [1, 2]


def _event(aggregate_id: uuid.UUID, version: int = 1) -> StoredEvent:
    return StoredEvent(
        originator_id=aggregate_id, originator_version=version, topic="test:Event", state=b"{}"
    )


def _key(key: str, aggregate_id: uuid.UUID) -> RecordedKey:
    return RecordedKey(
        scope="scope", key=key, fingerprint="f", aggregate_id=aggregate_id, version=1,
        created=True, recorded_at=1_000_000.0,
    )  # fmt: skip


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[SQLiteRecorder]:
    app = open_application(Settings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}"))
    assert isinstance(app.recorder, SQLiteRecorder)
    assert app.recorder.group is not None  # on by default
    yield app.recorder
    app.close()


def test_a_lost_race_in_a_batch_leaves_the_others_committed(recorder: SQLiteRecorder) -> None:
    taken, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    recorder.insert_events([_event(taken)])
    batch = [
        Pending[object, object]((events, {}))
        for events in ([_event(first)], [_event(taken)], [_event(second)])
    ]
    recorder._insert_batch(batch)  # type: ignore[arg-type]
    assert isinstance(batch[1].error, IntegrityError)  # the library's: a lost race, retried
    assert batch[0].error is None and batch[2].error is None
    for aggregate_id in (first, second, taken):
        assert len(recorder.select_events(aggregate_id)) == 1
    notifications = recorder.select_notifications(start=1, limit=10)
    assert len(notifications) == 3


def test_a_key_spent_earlier_in_the_same_batch_is_refused(recorder: SQLiteRecorder) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    batch = [
        Pending[object, object](([_event(aggregate_id)], {RECORDED_KEY: _key("k", aggregate_id)}))
        for aggregate_id in (first, second)
    ]
    recorder._insert_batch(batch)  # type: ignore[arg-type]
    assert batch[0].error is None
    assert isinstance(batch[1].error, KeyAlreadyRecorded)
    assert recorder.recorded_key("scope", "k", 0.0) == _key("k", first)
    assert recorder.select_events(second) == []  # refused with its key: nothing recorded


def test_group_commit_can_be_turned_off(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}", group_commit=False)
    app = open_application(settings)
    assert isinstance(app.recorder, SQLiteRecorder)
    assert app.recorder.group is None
    app.close()


def test_concurrent_writers_are_each_committed_exactly_once(app: Loftesboken) -> None:
    def write(n: int) -> uuid.UUID:
        return app.hold_dialogue(
            municipality="1280", kind=DialogueKind.CITIZEN_DIALOGUE, held_on=date(2025, 2, 4),
            title=f"Dialog {n}", actor=POLICE,
        ).id  # fmt: skip

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(write, range(160)))
    assert len(set(ids)) == 160
    notifications = app.recorder.select_notifications(start=1, limit=1000)
    assert sorted(n.originator_id for n in notifications) == sorted(ids)
    group = getattr(app.recorder, "group", None)
    if group is not None:  # SQLite: every save went through a batch, once
        assert sum(group.batches) == 160
