"""The Idempotency-Key middleware: the HTTP half of `infra.idempotency`'s records.

For a POST with a key it claims the key, then:

- replays the stored answer of a repeat (`Idempotent-Replayed: true`), or refuses a
  repeat with another request (`422`) or one whose first is still running (`409`
  with `Retry-After`);
- runs the first (or a retry whose first attempt's process died) with the key set on
  `workflow.keys.answering`, so the command's events record the key in their own
  transaction;
- stores a `2xx` answer *before* sending it, so an answer a client saw is always
  replayed byte for byte; any other answer frees the key (nothing was recorded: the
  client may correct the request and send it again with the same key).

A retry that takes over a dead claim, or whose command finds its key already spent
in the event store, is answered from the events that spent it (`api.recovery`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem_response
from api.limits import read_body, replaying
from api.recovery import recovered_answer
from infra.idempotency import IdempotencyStore, Outcome, StoredResponse
from workflow.application import Loftesboken
from workflow.clock import Clock
from workflow.keys import KEY_RETENTION, Answering, KeyAlreadyRecorded, RequestKey, answering

T = TypeVar("T")

MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = frozenset({"content-type", "location", "etag", "www-authenticate"})
SWEEP_SECONDS = 60.0


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
        self._swept: float | None = None

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
        now = clock.now()
        await self._sweep(state.loftesboken, now)
        namespace = hashlib.sha256(headers.get("authorization", "").encode("latin-1")).hexdigest()
        request = RequestKey(
            namespace,
            key,
            fingerprint(
                scope["method"],
                scope["path"],
                scope.get("query_string", b"").decode("latin-1"),
                headers.get("if-match", ""),
                body,
            ),
        )
        claim = await _on(store, store.claim, namespace, key, request.fingerprint, now)
        if claim.outcome is Outcome.MISMATCH:
            await _mismatch(scope, receive, send)
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
        if claim.outcome is Outcome.TAKEN_OVER and await self._recover(
            scope, receive, send, store, request
        ):
            return
        await self._run_and_store(scope, replaying(body, receive), send, store, request)

    async def _sweep(self, loftesboken: Loftesboken, now: datetime) -> None:
        """Forget the event store's keys older than the retention, at most once a minute."""
        moment = now.timestamp()
        if self._swept is not None and 0 <= moment - self._swept < SWEEP_SECONDS:
            return
        self._swept = moment
        await run_in_threadpool(loftesboken.forget_recorded_keys, now - KEY_RETENTION)

    async def _recover(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        store: IdempotencyStore,
        request: RequestKey,
    ) -> bool:
        """Answer from the events that spent the key, if any did; False if none did."""
        loftesboken: Loftesboken = scope["app"].state.loftesboken
        recorded = await run_in_threadpool(loftesboken.recorded_key, request.scope, request.key)
        if recorded is None:
            return False
        if recorded.fingerprint != request.fingerprint:
            await run_in_threadpool(store.release, request.scope, request.key)
            await _mismatch(scope, receive, send)
            return True
        answer = await run_in_threadpool(recovered_answer, scope, loftesboken, recorded)
        stored = StoredResponse(
            answer.status,
            [(n, v) for n, v in answer.headers if n in REPLAYED_HEADERS],
            answer.body,
        )
        await run_in_threadpool(store.complete, request.scope, request.key, stored)
        await _send_stored(stored, send)
        return True

    async def _run_and_store(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        store: IdempotencyStore,
        request: RequestKey,
    ) -> None:
        status = 500
        start: Message | None = None
        kept: list[tuple[str, str]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, start
            if message["type"] == "http.response.start":
                start = message
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.decode("latin-1").lower() in REPLAYED_HEADERS:
                        kept.append((name.decode("latin-1").lower(), value.decode("latin-1")))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        current = Answering(request)
        token = answering.set(current)
        try:
            await self.app(scope, receive, capture)
        except KeyAlreadyRecorded:
            # The key's command was recorded before (its claim was lost): answer from it.
            if not await self._recover(scope, receive, send, store, request):
                await run_in_threadpool(store.release, request.scope, request.key)
                raise
            return
        except BaseException:
            await self._free(store, request, current)
            raise
        finally:
            answering.reset(token)
        if 200 <= status < 300:
            stored = StoredResponse(status, kept, b"".join(chunks))
            await _on(store, store.complete, request.scope, request.key, stored)
        else:
            await self._free(store, request, current)
        assert start is not None
        await send(start)
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    async def _free(self, store: IdempotencyStore, request: RequestKey, current: Answering) -> None:
        """After an error answer: the key is free, unless its events were recorded anyway
        (then the next repeat takes the claim over and answers from them)."""
        if current.recorded is None:
            await run_in_threadpool(store.release, request.scope, request.key)
        else:
            await run_in_threadpool(store.abandon, request.scope, request.key)


async def _on(store: IdempotencyStore, call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on the event loop if the store says it is quick, else in a thread.

    A keyed request made three hand-overs between the loop and the threads (claim,
    command, answer); on a busy machine each waits for the GIL and a core. On SQLite
    the claim and the answer are a few statements on the API's own file (WAL,
    `synchronous=NORMAL`): run on the loop they cost less than the hand-over
    (`bench/bench_http.py` 0.40-0.43x -> 0.72-0.85x the minimal endpoint, docs).
    The price: while another process holds that file's write lock (`serve --workers`)
    the loop waits for it, as the threads did.
    """
    if store.inline:
        return call(*args)
    return await run_in_threadpool(call, *args)


async def _mismatch(scope: Scope, receive: Receive, send: Send) -> None:
    await problem_response(
        422,
        "validation",
        "This Idempotency-Key was already used with a different request; "
        "use a new key for a new request.",
        errors=[{"loc": ["header", "Idempotency-Key"], "msg": "reused for another request"}],
    )(scope, receive, send)


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
