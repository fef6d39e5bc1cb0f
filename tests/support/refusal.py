"""One assertion for every refused command: the exact error class, the exact message,
and no new pending event on the aggregate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import DomainError


@contextmanager
def refused(
    error: type[DomainError], message: str, aggregate: Aggregate | None = None
) -> Iterator[None]:
    """Expect exactly `error` (not a subclass) with exactly `message`; nothing recorded."""
    pending_before = len(aggregate.pending_events) if aggregate is not None else 0
    with pytest.raises(DomainError) as info:
        yield
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value.message}"
    assert info.value.message == message
    if aggregate is not None:
        assert len(aggregate.pending_events) == pending_before
