"""A check run in a background thread: at start, then every `interval` seconds.

The deadline watcher and the reminder sender both run this way in the serving process
or the worker; one failed check (the store or the mail server down for a moment) is
logged and the next one retries, so the loop outlives it.
"""

from __future__ import annotations

import logging
import threading


class PeriodicService:
    """Runs `check()` in a daemon thread named `name` until `stop()`; subclasses say what
    `check` does and what its log lines say (`done` takes the count it returns)."""

    name = "periodic"
    done = "%d done"
    failed = "a check failed; retrying at the next interval"

    def __init__(self, interval: float, log: logging.Logger) -> None:
        self.interval = interval
        self._log = log
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                count = self.check()
                if count:
                    self._log.info(self.done, count)
            except Exception:  # one bad check must not stop the loop; the next one retries
                self._log.exception(self.failed)
            self._stop.wait(self.interval)
