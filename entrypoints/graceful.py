"""A stopping `loften serve` answers every request a client could believe it accepted.

uvicorn's graceful shutdown (stop listening, let the requests under way finish) leaves
two ways to drop a request a client already sent, both found by
`tests/e2e/test_graceful_shutdown.py`:

- a connection uvicorn has accepted but whose request has not been read yet (the
  client connected a moment ago and its bytes are on the way) is closed as "idle";
- a connection the kernel has completed but uvicorn not yet accepted (in the listening
  socket's backlog) is reset when the listening socket closes.

`GracefulH11Protocol` closes at shutdown only connections that are truly idle (they
have answered a request and received nothing since); a connection that has not yet
finished its first request is answered first (with `Connection: close`), or closed
after `FIRST_REQUEST_GRACE_SECONDS` if nothing arrives. `GracefulServer` takes the
backlog's connections in before it closes the listening sockets, so they are served
like the others.

Taking the backlog in and then closing left an instant between the last accept and
the close in which a new connection was completed by the kernel and then reset, after
its client had sent the request (the test lost one in 5 of 20 runs here). So on
Linux the server first stops new handshakes (`entrypoints.no_new_handshakes`: the
kernel drops every new SYN, the client sends it again a second later and is then
refused), waits `HANDSHAKE_GRACE_SECONDS` for the handshakes under way, and only then
takes the backlog in and closes. A refused connection was never accepted, so its client
may safely send it again, elsewhere or later.
"""

from __future__ import annotations

import asyncio
import functools
import os
import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import Server

from entrypoints.no_new_handshakes import stop_new_handshakes

#: How long a connection accepted before the shutdown may take to send its first request.
FIRST_REQUEST_GRACE_SECONDS = 5.0
#: How long the handshakes under way at the shutdown have to reach the accept queue
#: (a round trip to the client; a client farther away than this may be reset).
HANDSHAKE_GRACE_SECONDS = 0.2


class GracefulH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing at shutdown only what has nothing under way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answered_any = False
        self._received_since_answer = False
        self._stopping = False

    def data_received(self, data: bytes) -> None:
        self._received_since_answer = True
        super().data_received(data)

    def on_response_complete(self) -> None:
        self._answered_any = True
        self._received_since_answer = False
        super().on_response_complete()
        if self._stopping:
            super().shutdown()  # the response is complete: close now

    def shutdown(self) -> None:
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self._answered_any and not self._received_since_answer:
            super().shutdown()
            return
        # A request is on its way or under way: answer it, then close.
        self._stopping = True
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False
        self.loop.call_later(FIRST_REQUEST_GRACE_SECONDS, self._give_up_waiting)

    def handle_events(self) -> None:
        super().handle_events()
        if self._stopping and self.cycle is not None:
            self.cycle.keep_alive = False

    def _give_up_waiting(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            super().shutdown()


class GracefulServer(Server):
    """uvicorn's server, taking in its listening sockets' backlog before it closes them.

    Only for a server that made its own listening sockets (`loften serve` in one
    process): sockets shared with other processes must keep taking connections for them.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        listening = [s for server in self.servers for s in server.sockets]
        # A list, not a generator: every socket is to stop, not just the first.
        if sockets is None and any([stop_new_handshakes(s) for s in listening]):
            await asyncio.sleep(HANDSHAKE_GRACE_SECONDS)
        for each in listening:
            await self._take_backlog(each.fileno())
        await super().shutdown(sockets)

    async def _take_backlog(self, fileno: int) -> None:
        loop = asyncio.get_running_loop()
        config = self.config
        protocol = functools.partial(
            config.http_protocol_class,  # type: ignore[call-arg]
            config=config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
        )
        listening = socket.socket(fileno=os.dup(fileno))
        listening.setblocking(False)
        try:
            while True:
                try:
                    connection, _ = listening.accept()
                except (BlockingIOError, InterruptedError):
                    return
                await loop.connect_accepted_socket(protocol, connection)
        finally:
            listening.close()
