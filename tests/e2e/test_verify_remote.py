"""`docs/verify.py` and `loften verify --url`: a live server, lying servers, a tampered store.

The live server is a real `loften serve` over the demo store. The liars are a small
standard-library HTTP server in front of it that serves the real chain with one lie
told: every lie must be reported at its position, by both tools. A test also
recomputes a chain from the public entries with `hashlib` and `json` alone and gets
the head the annual report prints.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from entrypoints import verify_remote
from tests.browser.support import LiveServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOCS_VERIFY = ROOT / "docs" / "verify.py"
LOFTEN = str(Path(sys.executable).with_name("loften"))
MALMO = "1280"

Entries = list[dict[str, Any]]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("verify-live"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def report_head(live: LiveServer) -> tuple[int, str]:
    """The position and head hash the newest annual report of Malmö prints."""
    for year in range(2026, 2019, -1):
        answer = httpx.get(f"{live.url}/api/v1/reports/annual/{MALMO}/{year}", timeout=60)
        if answer.status_code == 200 and answer.json()["audit"]["position"] > 8:
            audit = answer.json()["audit"]
            return audit["position"], audit["head_hash"]
    raise AssertionError("the demo has no annual report of Malmö with a chain behind it")


@pytest.fixture(scope="module")
def public_chain(live: LiveServer) -> Entries:
    return verify_remote.download(live.url, MALMO)


def run_docs_verify(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DOCS_VERIFY), "--url", url, "--municipality", MALMO, *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_loften_verify(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOFTEN, "verify", "--url", url, "--municipality", MALMO, *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


BOTH = [run_docs_verify, run_loften_verify]


def test_docs_verify_is_the_command_s_own_code() -> None:
    """One copy: docs/verify.py is a link to the module `loften verify --url` runs."""
    assert DOCS_VERIFY.is_symlink()
    assert DOCS_VERIFY.resolve() == Path(verify_remote.__file__).resolve()
    imported = {
        line.split()[1].split(".")[0]
        for line in DOCS_VERIFY.read_text().splitlines()
        if line.startswith(("import ", "from ")) and "__future__" not in line
    }
    assert imported <= set(sys.stdlib_module_names)


def test_the_public_chain_recomputed_with_the_standard_library_gives_the_report_s_head(
    public_chain: Entries, report_head: tuple[int, str]
) -> None:
    position, head = report_head
    prev = "0" * 64
    hashes = []
    for entry in public_chain:
        for name, shown in entry["fields"].items():
            if "value" in shown:
                value = json.dumps(
                    shown["value"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
                )
                text = f"{shown['salt']}\n{name}\n{value}"
                assert hashlib.sha256(text.encode("utf-8")).hexdigest() == shown["digest"]
        body = {key: entry[key] for key in verify_remote.HEAD_KEYS}
        body["digests"] = {name: shown["digest"] for name, shown in entry["fields"].items()}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        prev = hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()
        assert prev == entry["hash"]
        hashes.append(prev)
    assert hashes[position - 1] == head


@pytest.mark.parametrize("tool", BOTH, ids=["docs/verify.py", "loften verify --url"])
def test_the_live_server_s_chain_holds_and_reaches_the_report_s_head(
    live: LiveServer, report_head: tuple[int, str], tool: Callable[..., Any]
) -> None:
    position, head = report_head
    done = tool(live.url, "--position", str(position), "--head", head)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"The audit chain of {MALMO} holds" in done.stdout
    assert f"reaches the head printed for position {position}" in done.stdout
    wrong = tool(live.url, "--position", str(position), "--head", "0" * 64)
    assert wrong.returncode == 1 and f"at position {position}" in wrong.stdout


# -- lying servers ----------------------------------------------------------------------


def rehash(entries: Entries) -> Entries:
    """What a careful liar does: renumber, and recompute every digest shown and every hash."""
    prev = verify_remote.GENESIS
    for index, entry in enumerate(entries):
        entry["position"] = index + 1
        for name, shown in entry["fields"].items():
            if "value" in shown:
                shown["digest"] = verify_remote.field_digest(shown["salt"], name, shown["value"])
        entry["prev_hash"] = prev
        entry["hash"] = prev = verify_remote.entry_hash(prev, entry)
    return entries


def visible_text(entry: dict[str, Any]) -> str:
    """A field of the entry whose value the public sees, and which is a string."""
    for name, shown in entry["fields"].items():
        if isinstance(shown.get("value"), str) and name != "actor_role":
            return name
    raise AssertionError("no visible text in the entry")


class Liar:
    """Serves `public` to readers without a token and `internal` to those with one."""

    def __init__(self, public: Entries, internal: Entries) -> None:
        chains = {False: public, True: internal}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(
                    {"items": chains["Authorization" in self.headers], "next_cursor": None}
                ).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def reorder(chain: Entries, at: int) -> tuple[Entries, int]:
    chain[at - 1], chain[at] = chain[at], chain[at - 1]
    return chain, at


def drop_and_rehash(chain: Entries, at: int) -> tuple[Entries, int]:
    del chain[at - 1]
    return rehash(chain), -1  # holds in itself: only the report's head shows the lie


def change_value(chain: Entries, at: int) -> tuple[Entries, int]:
    entry = chain[at - 1]
    entry["fields"][visible_text(entry)]["value"] += " (ändrat)"
    return chain, at


def change_digest_with_value(chain: Entries, at: int) -> tuple[Entries, int]:
    entry = chain[at - 1]
    name = visible_text(entry)
    shown = entry["fields"][name]
    shown["value"] += " (ändrat)"
    shown["digest"] = verify_remote.field_digest(shown["salt"], name, shown["value"])
    return chain, at


LIES = {
    "entries reordered": reorder,
    "an entry dropped, the chain recomputed": drop_and_rehash,
    "a value changed, its digest kept": change_value,
    "a digest changed with its value": change_digest_with_value,
}


@pytest.mark.parametrize("tool", BOTH, ids=["docs/verify.py", "loften verify --url"])
@pytest.mark.parametrize("lie", list(LIES))
def test_every_lie_is_reported_at_its_position(
    public_chain: Entries, report_head: tuple[int, str], tool: Callable[..., Any], lie: str
) -> None:
    position, head = report_head
    at = position // 2
    told, where = LIES[lie](copy.deepcopy(public_chain), at)
    liar = Liar(told, told)
    try:
        plain = tool(liar.url)
        with_head = tool(liar.url, "--position", str(position), "--head", head)
    finally:
        liar.close()
    if where == -1:  # a chain that holds in itself, but not the history the report rests on
        assert plain.returncode == 0, plain.stdout + plain.stderr
        where = position
    else:
        assert plain.returncode == 1, plain.stdout + plain.stderr
        assert f"does NOT hold at position {where}:" in plain.stdout
    assert with_head.returncode == 1, with_head.stdout + with_head.stderr
    assert f"does NOT hold at position {where}:" in with_head.stdout


@pytest.mark.parametrize("tool", BOTH, ids=["docs/verify.py", "loften verify --url"])
def test_a_different_history_for_the_public_than_for_auditors_shows_in_the_head(
    public_chain: Entries, report_head: tuple[int, str], tool: Callable[..., Any]
) -> None:
    position, head = report_head
    rewritten = copy.deepcopy(public_chain)
    entry = rewritten[position // 2 - 1]
    entry["fields"][visible_text(entry)]["value"] += " (för allmänheten)"
    rewritten = rehash(rewritten)
    liar = Liar(rewritten, public_chain)
    try:
        public = verify_remote.verify(liar.url, MALMO)
        auditor = verify_remote.verify(liar.url, MALMO, token="revisor")
        checked = tool(liar.url, "--position", str(position), "--head", head)
    finally:
        liar.close()
    assert public.ok and auditor.ok  # each holds in itself...
    assert public.head_hash != auditor.head_hash  # ...but they are not the same history
    assert checked.returncode == 1
    assert f"does NOT hold at position {position}:" in checked.stdout


# -- a tampered store behind an honest server -----------------------------------------------


@pytest.mark.parametrize("tool", BOTH, ids=["docs/verify.py", "loften verify --url"])
def test_a_changed_byte_in_the_store_is_reported_at_its_position(
    live: LiveServer, tool: Callable[..., Any], tmp_path: Path
) -> None:
    chain = verify_remote.download(live.url, MALMO)
    held = next(
        e
        for e in chain
        if e["event_type"] == "DialogueHeld"
        and isinstance(e["fields"]["participants"].get("value"), int)
    )
    count = held["fields"]["participants"]["value"]
    store = sqlite3.connect(live.directory / "loften.sqlite3")
    try:
        key = (held["aggregate_id"].replace("-", ""), held["version"])
        (state,) = store.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            key,
        ).fetchone()
        changed = state.replace(
            f'"participants":{count}'.encode(), f'"participants":{count + 1}'.encode()
        )
        assert changed != state
        store.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
            (changed, *key),
        )
        store.commit()
        done = tool(live.url)
        server = httpx.get(f"{live.url}/api/v1/municipalities/{MALMO}/audit/verification").json()
    finally:
        store.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
            (state, *key),
        )
        store.commit()
        store.close()
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"does NOT hold at position {held['position']}:" in done.stdout
    assert server["first_bad_position"] == held["position"]


def test_the_command_says_what_is_missing_or_unreachable() -> None:
    from typer.testing import CliRunner

    from entrypoints.cli import cli
    from tests.support.processes import free_port

    runner = CliRunner()
    no_code = runner.invoke(cli, ["verify", "--url", "http://127.0.0.1:9"])
    assert no_code.exit_code == 2 and "--municipality" in no_code.output
    half = runner.invoke(
        cli, ["verify", "--url", "http://x", "--municipality", MALMO, "--position", "3"]
    )
    assert half.exit_code == 2 and "--position and --head together" in half.output
    gone = runner.invoke(
        cli, ["verify", "--url", f"http://127.0.0.1:{free_port()}", "--municipality", MALMO]
    )
    assert gone.exit_code == 2 and "Could not read the chain" in gone.output
    assert "Traceback" not in gone.output
