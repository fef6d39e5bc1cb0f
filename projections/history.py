"""The history of a promise: its events oldest first, paged, as the contract shows them.

Read from the event store, so it always holds every event already recorded.
"""

from __future__ import annotations

from uuid import UUID

from projections.cursors import (
    DEFAULT_LIMIT,
    InvalidCursor,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from projections.eventdata import (
    event_actor,
    event_data,
    event_type,
    recorded_at,
    request_id_of,
)
from projections.models import ActorOut, HistoryItem, Page
from projections.store_reads import AggregateReader


def promise_history(
    app: AggregateReader,
    promise_id: UUID,
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[HistoryItem]:
    """One page of the promise's events; raises the application's not-found for an unknown id."""
    check_limit(limit)
    app.get_promise(promise_id)
    key = decode_cursor("history", cursor, 1)
    if key is not None and not isinstance(key[0], int):
        raise InvalidCursor("The cursor is not one this list handed out.")
    after = key[0] if key is not None else 0
    events = [e for e in app.aggregate_events(promise_id) if e.originator_version > after]
    page, more = events[:limit], len(events) > limit
    items = [
        HistoryItem(
            version=event.originator_version,
            event_type=event_type(event),
            recorded_at=recorded_at(event),
            actor=ActorOut(**event_actor(event)),
            data=event_data(event),
            request_id=request_id_of(event),
        )
        for event in page
    ]
    next_cursor = encode_cursor("history", [page[-1].originator_version]) if more else None
    return Page[HistoryItem](items=items, next_cursor=next_cursor)
