"""A server that cannot start says why in one sentence and exits non-zero, at once.

Uvicorn reports a failed lifespan with the whole traceback (a hundred lines that
bury the cause) and, with `--workers N`, its parent then exits 0, so a supervisor's
restart-on-failure never fires. `loften serve` sets `LOFTEN_STARTUP_FAILURE_FILE`;
a process that fails to open its stores then writes one sentence to that file and
exits with uvicorn's start-up failure status (3) at once; `loften serve` says the
sentence and exits 3 (with one process, that process says it itself). Without the
variable (tests, a bare uvicorn) the error is raised as usual.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import psycopg
from psycopg_pool import PoolTimeout

from infra.postgres import libpq_reason
from projections.framework import ViewLayoutsOutdated

log = logging.getLogger(__name__)

STARTUP_FAILURE_FILE = "LOFTEN_STARTUP_FAILURE_FILE"
#: Uvicorn's own exit status for a process that failed before it served.
STARTUP_FAILURE_STATUS = 3


def why(error: BaseException) -> str:
    """The cause of a failed start, as a sentence for the operator (never a password)."""
    if isinstance(error, ViewLayoutsOutdated):
        return str(error)
    cause: BaseException | None = error
    while cause is not None:  # the library may wrap the driver's error
        if isinstance(cause, psycopg.OperationalError | PoolTimeout):
            error = cause
            break
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, PoolTimeout):  # a subclass of OperationalError
        return (
            "no PostgreSQL connection came within the pool's timeout (are its connection "
            "slots used up? docs/deployment.md, Connections)"
        )
    if isinstance(error, psycopg.OperationalError):
        reason = libpq_reason(error)
        if "too many connections" in reason or "connection slots" in reason:
            return (
                f"PostgreSQL refused a connection: {reason}. Each process holds the "
                "connections docs/deployment.md counts under Connections; raise "
                "max_connections, lower ?pool_size, or run fewer --workers"
            )
        return f"PostgreSQL refused a connection: {reason}"
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def fail_start(error: BaseException) -> None:
    """Under `loften serve`: say why in a sentence and exit 3 now; otherwise return."""
    path = os.environ.get(STARTUP_FAILURE_FILE)
    if not path:
        return
    sentence = f"Löftesboken cannot start: {why(error)}."
    log.error(sentence)
    try:
        Path(path).write_text(sentence, encoding="utf-8")
        if path.endswith(f"-{os.getpid()}"):  # no parent of ours will say it
            sys.stderr.write(sentence + "\n")
            sys.stderr.flush()
    finally:
        os._exit(STARTUP_FAILURE_STATUS)
