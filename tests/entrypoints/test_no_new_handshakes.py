"""A listening socket told to take no new connections keeps the ones it completed
(`entrypoints.no_new_handshakes`, used by `loften serve`'s graceful stop)."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator

import pytest

from entrypoints.no_new_handshakes import stop_new_handshakes

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a Linux socket filter (elsewhere it says False)"
)


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0), backlog=16) as server:
        yield server


def test_a_connection_completed_before_stays_and_a_new_one_is_not_completed(listening):
    port = listening.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port)) as before:
        before.sendall(b"sent before")
        assert stop_new_handshakes(listening)
        with pytest.raises(TimeoutError):  # its SYN was dropped: no handshake
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
        accepted, _ = listening.accept()
        with accepted:
            assert accepted.recv(100) == b"sent before"
        listening.setblocking(False)
        with pytest.raises(BlockingIOError):  # nothing else reached the accept queue
            listening.accept()


def test_an_accepted_connection_still_talks_both_ways(listening):
    port = listening.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port)) as client:
        accepted, _ = listening.accept()
        assert stop_new_handshakes(listening)
        with accepted:
            client.sendall(b"POST")
            assert accepted.recv(100) == b"POST"
            accepted.sendall(b"201")
            assert client.recv(100) == b"201"


def test_a_socket_that_is_not_tcp_is_left_as_it_is(tmp_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
        unix.bind(str(tmp_path / "s"))
        unix.listen()
        assert stop_new_handshakes(unix) is False
