"""A subscription that missed its NOTIFY does not hold the views back: the feed subscribes again.

The library's PostgreSQL subscription pulls stored events before its LISTEN is in
place; an event committed in between is announced to no one. Here the first
subscription is made deaf on purpose (it never delivers), as the race leaves it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from domain.values import DialogueKind
from infra.bootstrap import open_application
from projections.feed import SubscriptionFeed
from tests.support.builders import POLICE
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = pytest.mark.postgres


class DeafSubscription:
    """Delivers nothing until stopped, like a subscription whose NOTIFY was missed."""

    def __init__(self) -> None:
        self.stopped = threading.Event()

    def __enter__(self) -> DeafSubscription:
        return self

    def __exit__(self, *args: object) -> None:
        self.stopped.set()

    def __iter__(self) -> Iterator[Any]:
        self.stopped.wait()
        return iter(())


def test_a_read_that_gets_nothing_subscribes_again_and_finds_the_event(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_application(Settings(database_url=postgres_url), FakeClock(date(2025, 2, 10)))
    feed = SubscriptionFeed(app)
    subscribe = app.recorder.subscribe
    made: list[str] = []

    def first_deaf(gt: int | None = None) -> Any:
        made.append("deaf" if not made else "real")
        return DeafSubscription() if made[-1] == "deaf" else subscribe(gt=gt)

    monkeypatch.setattr(app.recorder, "subscribe", first_deaf)
    try:
        assert feed.read(0, 10) == []  # subscribes (deaf) with nothing in the log yet
        dialogue = app.hold_dialogue(
            municipality="1280",
            kind=DialogueKind.CITIZEN_DIALOGUE,
            held_on=date(2025, 2, 1),
            title="Medborgardialog",
            actor=POLICE,
        )
        items = feed.read(0, 10)
        assert [event.originator_id for event, _ in items] == [dialogue.id]
        assert made == ["deaf", "real"]
    finally:
        feed.close()
        app.close()
