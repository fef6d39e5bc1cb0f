"""The Idempotency-Key middleware: the HTTP half of `infra.idempotency`'s records.

It claims a key before a POST runs, replays the stored response of a repeat, and
stores the response of the first (see `infra.idempotency` for the rules and costs).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem_response
from api.limits import read_body, replaying
from infra.idempotency import IdempotencyStore, Outcome, StoredResponse
from workflow.clock import Clock

MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = frozenset({"content-type", "location", "etag", "www-authenticate"})


def fingerprint(method: str, path: str, query: str, if_match: str, body: bytes) -> str:
    """What makes two requests "the same": JSON bodies compare by content, not by layout."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
        content = canonical.encode("utf-8", "surrogatepass")
    except Exception:  # not JSON (or too deep to parse): the bytes themselves decide
        content = body
    digest = hashlib.sha256()
    for part in (method, path, query, if_match):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\x00")
    digest.update(content)
    return digest.hexdigest()


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all("\x21" <= c <= "\x7e" for c in key)


class IdempotencyMiddleware:
    """Claims, replays and stores POST responses that carry an `Idempotency-Key`."""

    def __init__(self, app: ASGIApp, not_replayed: Collection[str] = ()) -> None:
        self.app = app
        self.not_replayed = frozenset(not_replayed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        key = headers.get("idempotency-key")
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or key is None
            or scope["path"] in self.not_replayed
        ):
            await self.app(scope, receive, send)
            return
        if not _valid_key(key):
            response = problem_response(
                400,
                "bad-request",
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters.",
            )
            await response(scope, receive, send)
            return
        body = await read_body(receive)
        if body is None:
            return
        state = scope["app"].state
        store: IdempotencyStore = state.idempotency
        clock: Clock = state.clock
        namespace = hashlib.sha256(headers.get("authorization", "").encode("latin-1")).hexdigest()
        request_print = fingerprint(
            scope["method"],
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            headers.get("if-match", ""),
            body,
        )
        claim = await run_in_threadpool(store.claim, namespace, key, request_print, clock.now())
        if claim.outcome is Outcome.MISMATCH:
            await problem_response(
                422,
                "validation",
                "This Idempotency-Key was already used with a different request; "
                "use a new key for a new request.",
                errors=[
                    {"loc": ["header", "Idempotency-Key"], "msg": "reused for another request"}
                ],
            )(scope, receive, send)
            return
        if claim.outcome is Outcome.IN_PROGRESS:
            await problem_response(
                409,
                "in-progress",
                "A request with this Idempotency-Key is still being answered; retry shortly.",
                headers={"Retry-After": "1"},
            )(scope, receive, send)
            return
        if claim.outcome is Outcome.REPLAY:
            assert claim.response is not None
            await _send_stored(claim.response, send)
            return
        await self._run_and_store(scope, replaying(body, receive), send, store, namespace, key)

    async def _run_and_store(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        store: IdempotencyStore,
        namespace: str,
        key: str,
    ) -> None:
        status = 500
        kept: list[tuple[str, str]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.decode("latin-1").lower() in REPLAYED_HEADERS:
                        kept.append((name.decode("latin-1").lower(), value.decode("latin-1")))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            await run_in_threadpool(store.release, namespace, key)
            raise
        if status >= 500:
            await run_in_threadpool(store.release, namespace, key)
        else:
            stored = StoredResponse(status, kept, b"".join(chunks))
            await run_in_threadpool(store.complete, namespace, key, stored)


async def _send_stored(response: StoredResponse, send: Send) -> None:
    headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers
    ]
    headers.append((b"content-length", str(len(response.body)).encode("ascii")))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def _headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }
