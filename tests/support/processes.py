"""Real `loften serve` and `loften worker` processes for the scale-out tests, on loopback.

Each process writes its output to a log file the test can read (a worker says there
whether it waits or runs); `stop()` sends SIGTERM and waits, as a process manager would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

from infra.leases import advisory_key

ADMIN = "scaleout-admin-token-0123456789abcdef"
START_SECONDS = 60.0
LOFTEN = str(Path(sys.executable).with_name("loften"))
#: The leases a worker holds, one per projection and one for the deadline watcher.
NAMES = ("catalogue", "audit", "deadlines")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


#: The read-your-writes wait of the servers the tests start (2 s in production).
READ_WAIT_SECONDS = "30"


def environment(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "LOFTEN_DATABASE_URL": database_url,
        "LOFTEN_ADMIN_TOKEN": ADMIN,
        "LOFTEN_DEADLINE_CHECK_SECONDS": "3600",
        # Generous on a busy shared machine: the tests that say "not stale" mean it.
        "LOFTEN_READ_WAIT_SECONDS": READ_WAIT_SECONDS,
        **extra,
    }


class Process:
    """A `loften` subprocess whose output goes to `log`."""

    def __init__(self, arguments: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._output = log.open("w")
        self.process = subprocess.Popen(
            [LOFTEN, *arguments], env=env, stdout=self._output, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text()

    def wait_for_output(self, text: str, timeout: float = START_SECONDS) -> None:
        """Wait until the log contains `text` (fails if the process ends first)."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.log.name} ended before {text!r}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.log.name} never said {text!r}:\n{self.output()}")
            time.sleep(0.05)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._output.close()
        return self.process.returncode


class Api(Process):
    """`loften serve` on a free loopback port, by default leaving the background to a worker.

    `background=None` leaves `LOFTEN_RUN_BACKGROUND_WORK` unset (`serve` decides).
    """

    def __init__(
        self, database_url: str, log: Path, *arguments: str, background: str | None = "false"
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = environment(database_url)
        env.pop("LOFTEN_RUN_BACKGROUND_WORK", None)
        if background is not None:
            env["LOFTEN_RUN_BACKGROUND_WORK"] = background
        command = ["serve", "--host", "127.0.0.1", "--port", str(self.port), *arguments]
        super().__init__(command, env, log)

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"loften serve exited early:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"loften serve did not answer /healthz:\n{self.output()}")


class Worker(Process):
    """`loften worker`; `wait_until_active()` returns once it holds its leases."""

    def __init__(self, database_url: str, log: Path) -> None:
        super().__init__(["worker"], environment(database_url), log)

    def wait_until_active(self) -> None:
        self.wait_for_output(f":{self.pid}: active")

    def wait_until_waiting(self) -> None:
        self.wait_for_output(f":{self.pid}: waiting")


def lease_holder(url: str, name: str) -> str | None:
    """The application name of the connection that holds lease `name`, if any."""
    classid, objid = advisory_key("public", name)
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s",
            (classid, objid),
        ).fetchone()
    return None if row is None else str(row[0])
