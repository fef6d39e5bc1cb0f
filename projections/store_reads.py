"""What the store-backed reads need of the application, without importing the workflow.

Derivation and history are answered from the event store rather than a view
(derivation also as of a past moment), through the application's getters. The
layers run `api -> projections -> domain`, so the application is described here
by the few methods these reads call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise


class AggregateReader(Protocol):
    def get_dialogue(self, dialogue_id: UUID, *, version: int | None = None) -> Dialogue: ...

    def get_issue(self, issue_id: UUID, *, version: int | None = None) -> Issue: ...

    def get_promise(self, promise_id: UUID, *, version: int | None = None) -> Promise: ...

    def version_at(self, aggregate_id: UUID, moment: datetime) -> int | None: ...

    def aggregate_events(self, aggregate_id: UUID) -> list[Any]: ...
