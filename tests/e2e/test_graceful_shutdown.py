"""A stopping server loses no request it accepted: SIGTERM under a load of keyed writes.

Writers send POSTs with an `Idempotency-Key`, one connection each (so "accepted" is
plain: the connection was made and the whole request sent), until the server refuses
their connection. Once enough writes were answered the test sends SIGTERM; one more
request is then held in the middle of its body by the test itself (its headers sent
with `Expect: 100-continue`, the server's `100 Continue` received, so the application
is running it), and its body is only finished after the server said it is waiting for
connections to close: it must still be answered `201`. Every request that was sent
must be answered, none with a 5xx or a closed connection; every answered write must be
in the store and the views after a restart; and a connection made after the shutdown
began is refused rather than taken and dropped.

Bounded by counts: `ACKNOWLEDGED_BEFORE_STOP` answered writes, then each writer stops
at its first refused connection; loopback only.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.support.postgres_plugin import STORES, store_url
from tests.support.processes import ADMIN, Api

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

WRITERS = 6
ACKNOWLEDGED_BEFORE_STOP = 40
#: Guards a machine kept very busy by others; the test is bounded by the count above.
LOAD_GUARD_SECONDS = 120.0
MALMO = "1280"


@dataclass
class Tally:
    """What every request the writers sent came to, by the request's mark."""

    answered: dict[str, int] = field(default_factory=dict)
    refused: int = 0  # connection refused: never accepted, safe to send elsewhere
    not_sent: int = 0  # connection closed before the whole request was written
    lost: list[str] = field(default_factory=list)  # sent, and no answer
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture(params=STORES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with store_url(request, lambda: tmp_path) as url:
        yield url


def _request(port: int, mark: str, *, expect_continue: bool = False) -> tuple[bytes, bytes]:
    """Headers and body of one keyed `POST /api/v1/dialogues` naming `mark`."""
    body = json.dumps(
        {
            "municipality": MALMO,
            "kind": "citizen_dialogue",
            "held_on": "2025-01-15",
            "title": f"Medborgardialog, {mark}",
        }
    ).encode()
    headers = [
        "POST /api/v1/dialogues HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Authorization: Bearer {ADMIN}",
        f"Idempotency-Key: {uuid4()}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(["Expect: 100-continue"] if expect_continue else []),
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode(), body


def _read_answer(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes (`Connection: close`)."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def _status(answer: bytes) -> int:
    """The final status of an answer (after any `100 Continue`)."""
    lines = [line for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
    return int(lines[-1].split()[1]) if lines else 0


def _write(port: int, mark: str, tally: Tally) -> bool:
    """One write on a connection of its own; False once the server refuses connections."""
    headers, body = _request(port, mark)
    try:
        connection = socket.create_connection(("127.0.0.1", port))
    except ConnectionRefusedError:
        with tally.lock:
            tally.refused += 1
        return False
    with connection:
        try:
            connection.sendall(headers + body)
        except OSError:
            with tally.lock:
                tally.not_sent += 1
            return True
        try:
            answer = _read_answer(connection)
        except OSError:
            answer = b""
    with tally.lock:
        if status := _status(answer):
            tally.answered[mark] = status
        else:
            tally.lost.append(mark)
    return True


def _writer(port: int, seed: int, tally: Tally) -> None:
    n = 0
    while True:
        n += 1
        if not _write(port, f"skrivning {seed}-{n}", tally):
            return


def _listed_titles(url: str) -> Counter[str]:
    titles: Counter[str] = Counter()
    cursor: str | None = None
    auth = {"Authorization": f"Bearer {ADMIN}"}
    with httpx.Client(base_url=url, timeout=30) as client:
        while True:
            params = {"municipality": MALMO, "limit": 500, **({"cursor": cursor} if cursor else {})}
            page = client.get("/api/v1/dialogues", params=params, headers=auth)
            assert page.status_code == 200, page.text
            titles.update(row["title"].partition(", ")[2] for row in page.json()["items"])
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return titles


def _stored_titles(url: str) -> Counter[str]:
    """The dialogues' titles from the event store itself, not the views."""
    from infra.bootstrap import open_application
    from workflow.settings import Settings

    app = open_application(Settings(database_url=url))
    try:
        notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
        return Counter(
            app.mapper.to_domain_event(n).title.partition(", ")[2]  # type: ignore[attr-defined]
            for n in notifications
            if n.topic.endswith("DialogueHeld")
        )
    finally:
        app.close()


def test_sigterm_answers_every_request_it_accepted(database_url: str, tmp_path: Path) -> None:
    tally = Tally()
    server = Api(database_url, tmp_path / "serve.log", background=None)
    try:
        server.wait_until_up()
        writers = [
            threading.Thread(target=_writer, args=(server.port, n, tally)) for n in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        guard = time.monotonic() + LOAD_GUARD_SECONDS
        while len(tally.answered) < ACKNOWLEDGED_BEFORE_STOP and time.monotonic() < guard:
            time.sleep(0.01)

        # One request in the application's hands when the signal comes.
        held = socket.create_connection(("127.0.0.1", server.port))
        headers, body = _request(server.port, "hållen", expect_continue=True)
        held.sendall(headers)
        assert held.recv(100).startswith(b"HTTP/1.1 100 Continue")
        before_stop = len(tally.answered)
        server.process.send_signal(signal.SIGTERM)
        server.wait_for_output("Waiting for connections to close")
        with pytest.raises(ConnectionRefusedError):  # stopped accepting first
            socket.create_connection(("127.0.0.1", server.port)).close()
        held.sendall(body)
        with held:
            held_answer = _read_answer(held)
        for writer in writers:
            writer.join()
        assert server.process.wait(timeout=60) == 0, server.output()
    finally:
        server.stop()

    assert before_stop >= ACKNOWLEDGED_BEFORE_STOP
    assert _status(held_answer) == 201, held_answer
    assert tally.lost == [], f"sent and never answered: {tally.lost}"
    statuses = Counter(tally.answered.values())
    assert set(statuses) <= {201}, statuses
    assert tally.refused == WRITERS  # each writer stopped at its first refused connection

    acknowledged = set(tally.answered) | {"hållen"}
    stored = _stored_titles(database_url)
    again = Api(database_url, tmp_path / "serve-again.log", background=None)
    try:
        again.wait_until_up()
        listed = _listed_titles(again.url)
    finally:
        again.stop()
    assert acknowledged <= set(stored)
    assert all(count == 1 for count in stored.values()), stored.most_common(3)
    assert listed == stored
    print(
        f"\ngraceful shutdown ({database_url.split(':')[0]}): {len(acknowledged)} answered "
        f"({before_stop} before SIGTERM), {tally.refused} refused after, "
        f"{tally.not_sent} cut off while sending, {len(tally.lost)} lost"
    )
