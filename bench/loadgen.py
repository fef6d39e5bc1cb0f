"""A loopback load generator and a server in a subprocess, for the HTTP benchmarks.

Several client threads, each with one keep-alive `http.client` connection, send
requests for a fixed duration and time each one. The standard library's client is
used rather than httpx because it costs the least CPU per request, and the clients
share this machine's two cores with the server they measure.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from typing import Any

from bench.common import BENCH_DIR

#: (method, path, body, headers) for the n-th request of one client.
Request = tuple[str, str, bytes | None, dict[str, str]]
MakeRequest = Callable[[int, int], Request]


@dataclass
class LoadResult:
    """How one server answered a fixed duration of load."""

    name: str
    clients: int
    seconds: float
    latencies: list[float] = field(repr=False)  # seconds, of the successful requests
    errors: int
    statuses: dict[int, int]

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "clients": self.clients,
            "seconds": self.seconds,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": self.statuses,
            "requests_per_second": self.throughput,
            "p50_ms": self.percentile_ms(50),
            "p99_ms": self.percentile_ms(99),
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(kind: str, database_url: str, startup_seconds: float = 60.0) -> Iterator[int]:
    """`python -m bench.servers <kind>` on a free loopback port; its port. Stopped after."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(BENCH_DIR.parent)}
    command = [sys.executable, "-m", "bench.servers", kind, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--database-url", database_url],
        cwd=BENCH_DIR.parent,
        env=env,
    )
    try:
        wait_for_health(port, process, startup_seconds)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_health(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not answer /healthz in {seconds} s")


def run_load(
    name: str,
    port: int,
    make_request: MakeRequest,
    *,
    clients: int,
    seconds: float,
    expect: int = 201,
) -> LoadResult:
    """`clients` threads send requests for `seconds`; every latency and status counted."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    statuses: list[dict[int, int]] = [{} for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        n = 0
        while not stop.is_set():
            method, path, body, headers = make_request(index, n)
            n += 1
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            took = time.perf_counter() - began
            statuses[index][response.status] = statuses[index].get(response.status, 0) + 1
            if response.status == expect:
                latencies[index].append(took)
            else:
                errors[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(60)
    elapsed = time.perf_counter() - began
    merged: dict[int, int] = {}
    for counts in statuses:
        for status, count in counts.items():
            merged[status] = merged.get(status, 0) + count
    return LoadResult(
        name=name,
        clients=clients,
        seconds=elapsed,
        latencies=[t for per_client in latencies for t in per_client],
        errors=sum(errors),
        statuses=merged,
    )


def tmp_store(directory: Path, name: str) -> str:
    return f"sqlite:///{directory / name}.sqlite3"
