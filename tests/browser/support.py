"""Browser tests' support: a real `loften serve` with demo data, Chromium, axe and screenshots.

General on purpose: the workspace's and the public pages' browser tests both use it.

- `LiveServer`: `loften demo` into a fresh SQLite store, then `loften serve` on a free
  loopback port with a bootstrap admin token; `issue_token` makes tokens over the API.
- `launch_chromium`: the distribution's Chromium (`/usr/bin/chromium`, or
  `LOFTEN_CHROMIUM`) through Playwright's `executable_path`: nothing is downloaded.
- `check_axe`: axe-core's default rule set on the page as it stands; fails on any
  serious or critical violation and records every page's result in `axe-results.txt`.
- `check_fits`: the page is no wider than the viewport (nothing to scroll sideways).
- `review(page, name)`: at 1280 and at 390 pixels, checks axe and the width and writes
  `tests/browser/screenshots/<name>-<width>.png` (the folder CI keeps).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright

from tests.support.processes import free_port

CHROMIUM = os.environ.get("LOFTEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 390)
HEIGHTS = {1280: 900, 390: 844}
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE_RESULTS = SCREENSHOTS / "axe-results.txt"
BLOCKING_IMPACTS = ("serious", "critical")
ADMIN_TOKEN = "browser-tests-admin-token-0123456789"
#: Start-up imports the report libraries; on a busy shared machine that took over 30 s.
STARTUP_SECONDS = 120


def _loften() -> str:
    return str(Path(sys.executable).with_name("loften"))


class LiveServer:
    """One `loften serve` process on loopback, over a store of its own (demo data in it)."""

    def __init__(self, directory: Path, *, demo: bool = True) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "LOFTEN_DATABASE_URL": f"sqlite:///{directory / 'loften.sqlite3'}",
            "LOFTEN_ADMIN_TOKEN": ADMIN_TOKEN,
        }
        self.demo_output = ""
        if demo:
            done = subprocess.run(
                [_loften(), "demo"], env=self.env, capture_output=True, text=True, timeout=300
            )
            if done.returncode != 0:
                raise RuntimeError(f"loften demo failed:\n{done.stdout}\n{done.stderr}")
            self.demo_output = done.stdout
        self.log = (directory / "serve.log").open("w")
        self.process = subprocess.Popen(
            [_loften(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"loften serve exited early:\n{self.server_log()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"loften serve was not ready within {STARTUP_SECONDS} s")

    def server_log(self) -> str:
        self.log.flush()
        return (self.directory / "serve.log").read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    # -- the JSON API, as a script would use it ----------------------------------------

    def api(
        self, method: str, path: str, token: str = ADMIN_TOKEN, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        return httpx.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def issue_token(self, role: str, municipalities: list[str], label: str) -> str:
        """A new token's secret (issued by the bootstrap admin over the API)."""
        answer = self.api(
            "POST",
            "/api/v1/tokens",
            json={"role": role, "municipalities": municipalities, "label": label},
        )
        assert answer.status_code == 201, answer.text
        secret: str = answer.json()["token"]
        return secret

    def event_count(self) -> int:
        """How many events the store holds (the audit chains' lengths would double count)."""
        import sqlite3

        path = self.directory / "loften.sqlite3"
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (count,) = conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()
        finally:
            conn.close()
        return int(count)


def launch_chromium(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"No Chromium at {CHROMIUM}: install it with apt-get install chromium "
            "fonts-dejavu-core (make test does), or set LOFTEN_CHROMIUM."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass(frozen=True)
class AxeOutcome:
    page: str
    width: int
    violations: dict[str, int]  # impact -> count
    rules: tuple[str, ...] = ()  # the ids of the rules violated

    def line(self) -> str:
        found = ", ".join(f"{impact} {n}" for impact, n in sorted(self.violations.items()))
        rules = f" ({', '.join(self.rules)})" if self.rules else ""
        return f"{self.page} @ {self.width}px: {found or 'no violations'}{rules}"


_AXE = Axe()


def check_axe(page: Page, name: str) -> AxeOutcome:
    """axe-core's default rules on the page now; serious or critical violations fail."""
    results = _AXE.run(page)
    violations = results.response["violations"]
    counts: dict[str, int] = {}
    for violation in violations:
        impact = violation.get("impact") or "unknown"
        counts[impact] = counts.get(impact, 0) + len(violation.get("nodes", []))
    width = page.viewport_size["width"] if page.viewport_size else 0
    outcome = AxeOutcome(name, width, counts, tuple(sorted({v["id"] for v in violations})))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with AXE_RESULTS.open("a") as out:
        out.write(outcome.line() + "\n")
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"{name} at {width}px:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node.get("target") else "?" for node in v["nodes"][:5])
        for v in blocking
    )
    return outcome


def check_fits(page: Page, name: str) -> None:
    """Nothing on the page makes it wider than the viewport."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate(_TOO_WIDE)
        raise AssertionError(
            f"{name} is {widths[0]}px wide in a {widths[1]}px viewport; widest: {wide}"
        )


# The innermost elements that reach past the viewport's right edge, to name in a failure.
_TOO_WIDE = """() => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && ![...e.children].some(
        c => c.getBoundingClientRect().right > window.innerWidth + 1)) {
      let path = '', a = e;
      for (let i = 0; a && i < 4; i++, a = a.parentElement) {
        const cls = a.className ? '.' + String(a.className).split(' ').join('.') : '';
        const width = Math.round(a.getBoundingClientRect().width);
        path = a.tagName.toLowerCase() + cls + '[' + width + ']' + (path ? ' > ' + path : '');
      }
      out.push(path + ' ' + Math.round(r.right) + 'px');
    }
    if (out.length >= 5) break;
  }
  return out.join(', ');
}"""


def screenshot(page: Page, name: str) -> Path:
    width = page.viewport_size["width"] if page.viewport_size else 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def review(page: Page, name: str) -> list[AxeOutcome]:
    """At each width: no serious or critical axe violation, no sideways scrolling, a
    screenshot. The page is left at the first width."""
    outcomes = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        outcomes.append(check_axe(page, name))
        check_fits(page, name)
        screenshot(page, name)
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]})
    return outcomes
