"""Configuration: one URL picks the store, mapped here alone to the library's variables."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/loften.sqlite3"


class Settings(BaseSettings):
    """Everything the server reads from its environment (`LOFTEN_*`)."""

    model_config = SettingsConfigDict(env_prefix="LOFTEN_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    admin_token: SecretStr | None = None
    deadline_check_seconds: float = 60.0

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        """The event store's SQLite file (`sqlite:///relative` or `sqlite:////absolute`)."""
        if not self.is_sqlite:
            raise ValueError("not a SQLite database URL")
        path = unquote(self.database_url.removeprefix("sqlite:///"))
        if not path:
            raise ValueError("the SQLite URL names no file: sqlite:///path/to/file.sqlite3")
        return Path(path)

    def sibling_sqlite(self, kind: str) -> Path:
        """A file beside the event store for one kind of derived data (views, tokens, ...).

        SQLite's tables in the event store have fixed names, and a long rebuild must not
        block the store's writers, so derived data lives in files of its own.
        """
        store = self.sqlite_path
        return store.with_name(f"{store.stem}.{kind}{store.suffix or '.sqlite3'}")

    def event_store_environment(self) -> dict[str, str]:
        """The `eventsourcing` library's own variables for the store this URL names."""
        if self.is_sqlite:
            path = self.sqlite_path
            path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        if self.database_url.startswith(("postgresql://", "postgres://")):
            url = urlparse(self.database_url)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": unquote(url.path.lstrip("/")),
                "POSTGRES_HOST": url.hostname or "localhost",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": unquote(url.username or ""),
                "POSTGRES_PASSWORD": unquote(url.password or ""),
            }
        raise ValueError(
            f"LOFTEN_DATABASE_URL must start with sqlite:/// or postgresql://, "
            f"not {self.database_url.split(':', 1)[0]}:"
        )
