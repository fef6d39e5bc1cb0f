"""One JSON log line and the metrics for every request, and the request's id.

A pure ASGI middleware, the outermost, so it sees every answer (errors, 413s,
idempotent replays) and costs a few dictionary operations per request: the line is
handed to a queue and written, in batches, by a thread of its own (`_LineWriter`),
never on the request's path.

The request id is the client's `X-Request-ID` when it is a plain token (1 to 64 of
`A-Z a-z 0-9 . _ -`), else a new UUID; it is returned in `X-Request-ID` and set in
`infra.request_context.current_request_id`, so every event the request records carries
it (`_request_`). The line never holds a token, a cookie, a query or a body: only the
method, the route template, the status, the duration, the id and the caller's role.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import re
import sys
import threading
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infra.metrics import COMMANDS, REQUEST_SECONDS, REQUESTS
from infra.request_context import current_request_id

REQUEST_ID_HEADER = b"x-request-id"
_GIVEN_ID = re.compile(rb"[A-Za-z0-9._\-]{1,64}")


class _RequestIds:
    """New request ids: a random prefix drawn once per process, then a counter.

    32 hex digits like a UUID's, unique across processes (a 64-bit random prefix,
    drawn again in a forked child) without a system call per request: `uuid4()` read
    `os.urandom` on the event loop for every request, letting go of the GIL each time
    (7 % of the loop's samples under 32 keyed writers, py-spy).
    """

    def __init__(self) -> None:
        self._renew()
        os.register_at_fork(after_in_child=self._renew)

    def _renew(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count(1)

    def new(self) -> str:
        return f"{self._prefix}{next(self._counter):016x}"


_REQUEST_IDS = _RequestIds()
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The logger of the request lines; `configure_request_log()` gives it its handler.
request_log = logging.getLogger("loften.requests")
_writer: _LineWriter | None = None


class JsonLineFormatter(logging.Formatter):
    """The record's fields (`extra={"request": {...}}`) as one JSON object on one line, UTC."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "request", {})
        return json_line(record.created, fields, level=record.levelname.lower(), logger=record.name)


class _Stderr:
    """Whatever `sys.stderr` is when a line is written (a test may have replaced it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_request_log(stream: Any = None) -> None:
    """Write the request lines as JSON to `stream` (stderr) from a thread of their own.

    Does nothing if the logger already has a handler (a test's, or an operator's own
    logging configuration), so it may be called by every app a process makes. The
    lines skip the `logging` machinery (a record made, its caller found, formatted and
    copied for the queue: about a tenth of the event loop's time per write request
    under load): the fields go to a queue as they are, and the writer thread formats
    and writes whatever has gathered in one go. A handler added to `request_log`
    later (a test's) still gets every line as a record.
    """
    global _writer
    if request_log.handlers or _writer is not None:
        return
    request_log.setLevel(logging.INFO)
    request_log.propagate = False
    _writer = _LineWriter(stream or _Stderr())


class _LineWriter:
    """Formats and writes the request lines queued, in batches, on a thread of its own."""

    BATCH = 256

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._lines: queue.SimpleQueue[tuple[float, dict[str, Any]]] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="loften-request-log", daemon=True).start()

    def put(self, fields: dict[str, Any]) -> None:
        self._lines.put((time.time(), fields))

    def _run(self) -> None:
        while True:
            batch = [self._lines.get()]
            try:
                while len(batch) < self.BATCH:
                    batch.append(self._lines.get_nowait())
            except queue.Empty:
                pass
            self._stream.write(
                "".join(f"{json_line(moment, fields)}\n" for moment, fields in batch)
            )
            self._stream.flush()


def json_line(
    moment: float, fields: dict[str, Any], *, level: str = "info", logger: str = request_log.name
) -> str:
    """One log line as JSON: the time (UTC, to the millisecond), level, logger, then `fields`.

    The one format of the request lines, whether the writer thread or a `logging`
    handler with `JsonLineFormatter` writes them."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment))
    millis = int(moment * 1000) % 1000
    line = {"time": f"{stamp}.{millis:03d}Z", "level": level, "logger": logger}
    return orjson.dumps({**line, **fields}).decode()


def request_id_from(scope: Scope) -> str:
    """The client's `X-Request-ID` if it is a plain token, else a new one."""
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            if _GIVEN_ID.fullmatch(value):
                given: bytes = value
                return given.decode("ascii")
            break
    return _REQUEST_IDS.new()


def command_outcome(status: int, replayed: bool, contention: bool) -> str:
    """What a write request came to, for `loften_commands_total`."""
    if replayed:
        return "replayed"
    if status < 400:
        return "recorded"
    if status == 412 or (status == 409 and contention):
        return "conflict"
    if status == 409:
        return "refused"
    if status >= 500:
        return "failed"
    return "invalid"


class RequestObservation:
    """Request id in and out, one log line and the request metrics per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_from(scope)
        header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        answer: dict[str, Any] = {"status": 500, "replayed": False, "contention": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                headers = [h for h in message.get("headers", ()) if h[0] != REQUEST_ID_HEADER]
                for name, _ in headers:
                    if name == b"idempotent-replayed":
                        answer["replayed"] = True
                    elif name == b"retry-after":
                        answer["contention"] = True
                headers.append(header)
                message = {**message, "headers": headers}
            await send(message)

        reset = current_request_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(reset)
            self._observe(scope, request_id, answer, time.perf_counter() - started)

    @staticmethod
    def _observe(scope: Scope, request_id: str, answer: dict[str, Any], seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method: str = scope["method"]
        status: int = answer["status"]
        REQUESTS.labels(method, route, str(status)).inc()
        REQUEST_SECONDS.labels(method, route).observe(seconds)
        if method in _WRITES and route.startswith("/api/"):
            COMMANDS.labels(command_outcome(status, answer["replayed"], answer["contention"])).inc()
        state = scope.get("state") or {}
        principal = state.get("principal")  # the workspace's signed-in user
        role = state.get("actor_role") or (principal.role.value if principal else "public")
        fields = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "request_id": request_id,
            "actor_role": role,
        }
        if _writer is not None:
            _writer.put(fields)
        if request_log.handlers:
            request_log.info("request", extra={"request": fields})
