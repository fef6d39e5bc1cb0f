"""Every event the aggregates record, as the classes views and the deadline watcher dispatch on.

Each event is a class nested in its aggregate (`Promise.PromiseIssued`), declared
explicitly with its topic and fields and recorded by an `@event(ThatClass)` method,
so a handler names the class it handles and mypy checks the fields it reads.
`RECORDED_EVENTS` is found by walking the aggregates, not listed by hand: a new
event is in it as soon as it is declared, and every view must then say whether it
handles or ignores it (`projections.framework.TrackedView` checks at import).
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate, AggregateEvent

from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise
from domain.reminders import ReminderRecipients

AGGREGATES: tuple[type[Aggregate], ...] = (Dialogue, Issue, Promise, ReminderRecipients)

EventClass = type[AggregateEvent]


def recorded_events(*aggregates: type[Aggregate]) -> tuple[EventClass, ...]:
    """The event classes nested in `aggregates` that are recorded, not only bases of others.

    `Created` (the base of each creation event) and the library's `Event` are bases,
    never recorded themselves.
    """
    found: list[EventClass] = []
    for aggregate in aggregates:
        nested = [
            value
            for name, value in vars(aggregate).items()
            if isinstance(value, type)
            and issubclass(value, AggregateEvent)
            and name != "Event"
            and getattr(value, "TOPIC", None)
        ]
        found.extend(
            cls for cls in nested if not any(o is not cls and issubclass(o, cls) for o in nested)
        )
    return tuple(found)


RECORDED_EVENTS: tuple[EventClass, ...] = recorded_events(*AGGREGATES)


def topic_of(event_class: EventClass) -> str:
    """The stored topic of an event class (`loften:Promise.PromiseIssued`)."""
    topic: str = event_class.TOPIC  # type: ignore[attr-defined]
    return topic
