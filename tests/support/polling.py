"""Bounded polls for tests that wait on background threads or other processes.

Generous, because the machine may be busy; and a poll that runs out says so: it
names what never happened and how long it waited, rather than letting a later
assertion fail on a half-finished state.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

#: How long a poll waits by default.
PATIENCE_SECONDS = 30.0


def eventually(
    condition: Callable[[], bool],
    what: str,
    seconds: float = PATIENCE_SECONDS,
    pause: float = 0.05,
) -> None:
    """Poll `condition` until it holds; fail saying what never happened in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting until {what}")
        time.sleep(pause)
