"""The request body limit (1 MiB, `413` above), enforced before anything reads the body.

The body is read here once, in full, and handed on to the app, so the limit holds
whether or not the client declared a Content-Length (or declared it falsely).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem_response

MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(Exception):
    """The body went past the limit while it was being read."""


async def read_body(receive: Receive, limit: int | None = None) -> bytes | None:
    """The whole body, or None if the client went away first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that yields the already-read body once, then whatever the client sends."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyLimitMiddleware:
    """Answers `413` for a body over `limit` bytes, as a problem document."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        try:
            if declared is not None and int(declared) > self.limit:
                raise BodyTooLarge
            body = await read_body(receive, self.limit)
        except BodyTooLarge:
            response = problem_response(
                413,
                "body-too-large",
                f"A request body may be at most {self.limit} bytes (1 MiB).",
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)
            return
        except ValueError:
            response = problem_response(400, "bad-request", "Content-Length is not a number.")
            await response(scope, receive, send)
            return
        if body is None:
            return
        await self.app(scope, replaying(body, receive), send)
