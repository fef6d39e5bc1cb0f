"""`loften serve` and `loften worker` refuse views of another release's layout (#20).

A store whose views record another table layout than this release's is not served
or fed: each says so in a sentence naming the views and `loften rebuild`, and exits
non-zero (3 for `serve`, as any failed start; 1 for `worker`); after `loften rebuild`
the same command starts.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from infra.bootstrap import open_application, open_read_side
from tests.support.processes import free_port
from workflow.settings import Settings

LOFTEN = str(Path(sys.executable).with_name("loften"))


@pytest.fixture
def outdated_store(tmp_path: Path) -> dict[str, str]:
    """A SQLite store whose catalogue view an older release built."""
    url = f"sqlite:///{tmp_path / 'loften.sqlite3'}"
    settings = Settings(database_url=url)
    app = open_application(settings)
    open_read_side(app, settings).close()
    app.close()
    views = sqlite3.connect(tmp_path / "loften.views.sqlite3")
    with views:
        views.execute("UPDATE view_layouts SET layout = 'older' WHERE view_name = 'catalogue'")
    views.close()
    return {**os.environ, "LOFTEN_DATABASE_URL": url, "LOFTEN_DEADLINE_CHECK_SECONDS": "3600"}


def _run(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOFTEN, *arguments], env=env, capture_output=True, text=True, timeout=120
    )


def test_serve_refuses_outdated_views_in_a_sentence(outdated_store: dict[str, str]) -> None:
    refused = _run(outdated_store, "serve", "--port", str(free_port()))
    assert refused.returncode == 3, refused.stderr
    assert "Löftesboken cannot start: the views catalogue were built by another release" in (
        refused.stderr
    )
    assert "run `loften rebuild`" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_worker_refuses_outdated_views_until_rebuilt(outdated_store: dict[str, str]) -> None:
    refused = _run(outdated_store, "worker")
    assert refused.returncode == 1, refused.stderr
    assert "the views catalogue were built by another release" in refused.stderr
    assert "run `loften rebuild`" in refused.stderr
    rebuilt = _run(outdated_store, "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    settings = Settings(database_url=outdated_store["LOFTEN_DATABASE_URL"])
    app = open_application(settings)
    projections = open_read_side(app, settings)
    try:
        assert projections.outdated_layouts() == {}
    finally:
        projections.close()
        app.close()
