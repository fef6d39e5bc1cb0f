"""Reading the views over HTTP: read-your-writes before each read, stale answers flagged.

A view read first waits (at most the read side's `read_wait_seconds`, the setting
`LOFTEN_READ_WAIT_SECONDS`, 2 s by default) until the views have reached
the event store's head as it stood when the request came in, so a client always
sees the writes it has already had answers to. If the views are not there in time
the read answers with what they hold and says so: `X-Loften-Stale: true`.

When this process runs the projections, the wait wakes their loop and blocks on it.
When another process runs them (`LOFTEN_RUN_BACKGROUND_WORK=false`), the API only
reads: it polls the views' positions and never writes to the views itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from api.errors import ApiProblem
from projections.audit import AuditView
from projections.catalogue import CatalogueView
from projections.cursors import InvalidCursor, InvalidLimit
from projections.pages import PagesView
from projections.readside import Projections

STALE_HEADER = "X-Loften-Stale"
POLL_SECONDS = 0.05

STALE_HEADER_DOC: dict[str, Any] = {
    STALE_HEADER: {
        "description": "`true` when the views had not caught up with every earlier write "
        "within 2 s: the answer is what they held. Absent on a fresh answer.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


def views_reach(projections: Projections, position: int, timeout: float) -> bool:
    """Wait (bounded) until every view has reached `position`; whether it did.

    Without a feeding loop in this process, poll the views' stored positions rather
    than feed them: the process that runs the projections is the one that writes.
    """
    if projections.is_running:
        return projections.wait_until(position, timeout)
    deadline = time.monotonic() + timeout
    while min(projections.positions().values(), default=position) < position:
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


@dataclass(frozen=True)
class Views:
    """The views as one request reads them, and whether they had caught up in time."""

    projections: Projections
    stale: bool

    @property
    def catalogue(self) -> CatalogueView:
        return self.projections.catalogue

    @property
    def audit(self) -> AuditView:
        return self.projections.audit

    @property
    def pages(self) -> PagesView:
        return self.projections.pages

    def headers(self) -> dict[str, str]:
        """The header a stale answer carries (for routes that build their own response)."""
        return {STALE_HEADER: "true"} if self.stale else {}


def fresh_views(projections: Projections, timeout: float | None = None) -> Views:
    """The views once they hold every write made before this call (or after `timeout`,
    by default the read side's `read_wait_seconds`)."""
    wait = projections.read_wait_seconds if timeout is None else timeout
    reached = views_reach(projections, projections.head(), wait)
    return Views(projections, stale=not reached)


@contextmanager
def query_checked(parameter: str = "cursor") -> Iterator[None]:
    """Turn a read's refusal of a cursor or page size into a 422 naming the parameter."""
    try:
        yield
    except InvalidCursor as exc:
        raise _invalid(parameter, str(exc)) from None
    except InvalidLimit as exc:
        raise _invalid("limit", str(exc)) from None


def _invalid(parameter: str, message: str) -> ApiProblem:
    return ApiProblem(
        422, "validation", message, errors=[{"loc": ["query", parameter], "msg": message}]
    )
