"""`loften upgrade`: bring a store recorded before audit chain v2 to it, once.

Events recorded before chain v2 carry no salts and no digests. This draws them, once
per event, exactly as `infra.codec.SealingMapper` does for a new event, and writes
each event's state anew in its storage form with the seal added: what the event says
(its topic, version, timestamp and every value) is unchanged, read back it is the
same event. Events already sealed are left alone, so running it twice changes
nothing. The views are then rebuilt, since the audit view's rows are hashed anew.
Stop the server first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from projections.chain import SEAL_KEY, draw_seal
from projections.verification import store_notifications
from workflow.application import Loftesboken

BATCH_SIZE = 2000

Progress = Callable[[int, int], None]


class StateRestorer(Protocol):
    def restore_states(self, states: list[tuple[int, bytes]]) -> None: ...


def seal_store(app: Loftesboken, on_progress: Progress | None = None) -> int:
    """Seal every event that has no seal yet; returns how many were sealed."""
    recorder: Any = app.recorder
    if not hasattr(recorder, "restore_states"):
        raise TypeError(f"{type(recorder).__name__} cannot write states anew")
    head = recorder.max_notification_id() or 0
    sealed = 0
    batch: list[tuple[int, bytes]] = []
    for notification in store_notifications(app, head, batch_size=BATCH_SIZE):
        event = app.mapper.to_domain_event(notification)
        if getattr(event, SEAL_KEY, None) is None:
            object.__setattr__(event, SEAL_KEY, draw_seal(event).stored())
            batch.append((notification.id, app.mapper.to_stored_event(event).state))
        if len(batch) >= BATCH_SIZE:
            recorder.restore_states(batch)
            sealed += len(batch)
            batch = []
        if on_progress is not None and notification.id % BATCH_SIZE == 0:
            on_progress(notification.id, head)
    if batch:
        recorder.restore_states(batch)
        sealed += len(batch)
    if on_progress is not None:
        on_progress(head, head)
    return sealed
