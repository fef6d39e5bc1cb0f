"""The worker that `loften serve --workers N` starts beside its API processes, and restarts.

The API processes leave the views and the deadlines to a worker. `serve` starts one
as a child process (`loften worker`), restarts it if it dies, and stops it after the
API processes have stopped. If another worker already runs against the same store,
the child simply waits on the leases as a standby (`infra.leases`), so starting one
here is never a second active worker.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading

log = logging.getLogger("loften.serve")

#: How long a stopping worker may take before it is killed.
STOP_SECONDS = 30.0
#: Pause before restarting a worker that died.
RESTART_SECONDS = 2.0


class WorkerProcess:
    """A `loften worker` child process, kept running until `stop()`."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or [sys.executable, "-m", "entrypoints.cli", "worker"]
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watch: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._watch = threading.Thread(target=self._keep_running, name="worker-watch", daemon=True)
        self._watch.start()

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                self.process = subprocess.Popen(self.command)

    def _keep_running(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            if process is None:
                return
            status = process.wait()
            if self._stopping.is_set():
                return
            log.error("loften worker exited with status %s; restarting it", status)
            if self._stopping.wait(RESTART_SECONDS):
                return
            self._spawn()

    def stop(self) -> None:
        """SIGTERM the worker, wait for it to stop (kill it after `STOP_SECONDS`)."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._watch is not None:
            self._watch.join(STOP_SECONDS)
