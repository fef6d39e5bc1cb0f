"""A process keeps the tokens it found for a few seconds: what that means for a deleted one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from domain.values import Role
from infra.token_stores import SQLiteTokenStore


def delete_every_token(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM tokens")


def test_a_deleted_token_is_accepted_only_while_it_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.api.sqlite3"
    keeping = SQLiteTokenStore(path, found_seconds=3600)
    asking = SQLiteTokenStore(path, found_seconds=0)
    issued = keeping.issue(Role.POLICE, ["1280"], "Kommunpolis Malmö")
    assert keeping.find(issued.secret) == issued.token
    assert asking.find(issued.secret) == issued.token
    delete_every_token(path)
    assert keeping.find(issued.secret) == issued.token  # kept: the documented bound
    assert asking.find(issued.secret) is None
    keeping.close()
    asking.close()


def test_tokens_issued_elsewhere_or_at_bootstrap_are_found_at_once(tmp_path: Path) -> None:
    path = tmp_path / "x.api.sqlite3"
    reader = SQLiteTokenStore(path, found_seconds=3600)
    writer = SQLiteTokenStore(path)
    issued = writer.issue(Role.AUDITOR, [], "Revisor")
    assert reader.find("lft_nothing") is None
    assert reader.find(issued.secret) == issued.token
    reader.bootstrap_admin("lft_admin")
    assert reader.find("lft_admin") is not None
    reader.close()
    writer.close()
