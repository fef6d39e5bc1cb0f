"""`loften upgrade`: bring a store recorded before audit chain v2 to it, once.

Events recorded before chain v2 carry no salts and no digests. This draws them, once
per event, exactly as `infra.codec.SealingMapper` does for a new event, and writes
each event's state anew in its storage form with the seal added and its erasable
values (with their salts) moved to the table they can be erased from; events sealed
before erasable values were kept apart (salts and values inline) are moved the same
way, their salts and digests kept. What each event says (its topic, version,
timestamp and every value) is unchanged: read back it is the same event. Events
already in today's form are left alone, so running it twice changes nothing. The
views are then rebuilt, since the audit view's rows are hashed anew. Stop the server
first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.chain import SEAL_KEY, Seal, draw_seal, kept_inline
from projections.verification import store_notifications
from workflow.application import Loftesboken

BATCH_SIZE = 2000

Progress = Callable[[int, int], None]


def seal_store(app: Loftesboken, on_progress: Progress | None = None) -> int:
    """Seal every event that has no seal yet; returns how many were sealed."""
    recorder: Any = app.recorder
    if not hasattr(recorder, "restore_states"):
        raise TypeError(f"{type(recorder).__name__} cannot write states anew")
    head = recorder.max_notification_id() or 0
    sealed = 0
    batch: list[tuple[int, bytes]] = []
    kept: list[Any] = []
    for notification in store_notifications(app, head, batch_size=BATCH_SIZE):
        event = app.mapper.to_domain_event(notification)
        raw = getattr(event, SEAL_KEY, None)
        if raw is None:
            seal = draw_seal(event)
        elif isinstance(raw, str) and kept_inline(raw):
            seal = Seal.from_stored(raw)
        else:
            seal = None
        if seal is not None:
            object.__setattr__(event, SEAL_KEY, seal)
            stored = app.mapper.to_stored_event(event)
            batch.append((notification.id, stored.state))
            kept.append((notification.id, stored))
        if len(batch) >= BATCH_SIZE:
            recorder.restore_states(batch, kept)
            sealed += len(batch)
            batch, kept = [], []
        if on_progress is not None and notification.id % BATCH_SIZE == 0:
            on_progress(notification.id, head)
    if batch:
        recorder.restore_states(batch, kept)
        sealed += len(batch)
    forget = getattr(recorder, "forget_erased", None)
    if forget is not None:
        forget()  # the values moved out leave no copy in the log or the free space
    if on_progress is not None:
        on_progress(head, head)
    return sealed
