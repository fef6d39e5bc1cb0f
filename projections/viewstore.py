"""What a view needs of its database: a cursor in a transaction, and its tracking recorder.

The SQLite and PostgreSQL implementations are plumbing and live in `infra.viewstores`;
the projection logic speaks only to these protocols and never asks which store it is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from eventsourcing.persistence import Tracking

from projections.dialect import ViewCursor


class ViewRecorder(Protocol):
    """One view's tracking recorder: its tables, and its position inside a transaction."""

    tracking_table: str

    def create_table(self) -> None: ...

    def insert_tracking(self, tracking: Tracking) -> None: ...

    def max_tracking_id(self, application_name: str) -> int | None: ...

    def take_turn(self, cursor: Any) -> None:
        """Hold off, until this transaction ends, every other writer of this view (a
        rebuild in another process beside the one feeding it)."""
        ...

    def tracking_position(self, cursor: Any, application_name: str) -> int:
        """The view's position, read inside the transaction that will move it."""
        ...

    def record_tracking(self, cursor: Any, tracking: Tracking) -> None:
        """Move the view's position inside the batch's transaction (IntegrityError if behind)."""
        ...


class ViewStore(Protocol):
    """The views' database: their cursor, their recorders, one pool to close."""

    dialect: str

    def transaction(self, *, commit: bool) -> AbstractContextManager[ViewCursor]: ...

    def recorder(self, tracking_table: str, ddl: Sequence[str]) -> ViewRecorder: ...

    def close(self) -> None: ...
