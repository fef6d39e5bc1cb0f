"""Errors of the application layer, beside the domain's own (see `domain.errors`).

WorkflowError
├── NotFound          no aggregate of that kind with that id (HTTP 404)
├── VersionMismatch   the aggregate moved on past the version the client saw (HTTP 412)
└── TooMuchContention a command lost every retry against concurrent writers (HTTP 409)
"""

from __future__ import annotations

from uuid import UUID


class WorkflowError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(WorkflowError):
    def __init__(self, kind: str, aggregate_id: UUID) -> None:
        super().__init__(f"No {kind} with id {aggregate_id}.")
        self.kind = kind
        self.aggregate_id = aggregate_id


class VersionMismatch(WorkflowError):
    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            f"The resource is at version {actual}, not {expected}: read it again and retry."
        )
        self.expected = expected
        self.actual = actual


class TooMuchContention(WorkflowError):
    """Raised only after several retries, each against a newer state, all lost their race."""
