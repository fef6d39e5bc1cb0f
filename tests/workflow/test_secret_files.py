"""`LOFTEN_*_FILE`: the database URL, admin token and session key read from files (#20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from entrypoints.cli import cli
from workflow.settings import SECRET_FILE_SETTINGS, Settings


def test_each_secret_is_read_from_its_file_without_the_trailing_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SECRET_FILE_SETTINGS:
        monkeypatch.delenv(f"LOFTEN_{name.upper()}", raising=False)
    url = tmp_path / "url"
    url.write_text(f"sqlite:///{tmp_path}/store.sqlite3\n")
    (tmp_path / "token").write_text("hemligt-admin\n")
    (tmp_path / "key").write_text("sessionsnyckel")
    monkeypatch.setenv("LOFTEN_DATABASE_URL_FILE", str(url))
    monkeypatch.setenv("LOFTEN_ADMIN_TOKEN_FILE", str(tmp_path / "token"))
    monkeypatch.setenv("LOFTEN_SESSION_KEY_FILE", str(tmp_path / "key"))
    settings = Settings()
    assert settings.database_url == f"sqlite:///{tmp_path}/store.sqlite3"
    assert settings.admin_token is not None and settings.session_key is not None
    assert settings.admin_token.get_secret_value() == "hemligt-admin"
    assert settings.session_key.get_secret_value() == "sessionsnyckel"
    assert "hemligt" not in repr(settings)


def test_a_value_and_its_file_together_are_refused(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("a")
    with pytest.raises(ValidationError, match="LOFTEN_ADMIN_TOKEN or LOFTEN_ADMIN_TOKEN_FILE"):
        Settings(admin_token="b", admin_token_file=tmp_path / "token")  # type: ignore[arg-type]


@pytest.mark.parametrize("content", [None, ""])
def test_a_missing_or_empty_file_is_named_in_a_sentence(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "url"
    if content is not None:
        path.write_text(content)
    result = CliRunner().invoke(cli, ["verify"], env={"LOFTEN_DATABASE_URL_FILE": str(path)})
    assert result.exit_code == 2
    assert result.output.startswith(f"LOFTEN_DATABASE_URL_FILE names {path}, which ")
    assert "Traceback" not in result.output and result.output.count("\n") == 1
