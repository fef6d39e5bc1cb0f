"""Configuration: one URL picks the store, mapped here alone to the library's variables."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/loften.sqlite3"
POSTGRES_SCHEMES = ("postgresql", "postgres")

# Query parameters a PostgreSQL URL may carry, and the library variable each one sets.
POSTGRES_URL_OPTIONS = {
    "host": "POSTGRES_HOST",  # a socket directory, e.g. ?host=/var/run/postgresql
    "schema": "POSTGRES_SCHEMA",
    "pool_size": "POSTGRES_POOL_SIZE",
    "max_overflow": "POSTGRES_MAX_OVERFLOW",
    "max_waiting": "POSTGRES_MAX_WAITING",
    "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
    "conn_max_age": "POSTGRES_CONN_MAX_AGE",
    "pre_ping": "POSTGRES_PRE_PING",
    "lock_timeout": "POSTGRES_LOCK_TIMEOUT",
    "idle_in_transaction_session_timeout": "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT",
    "enable_db_functions": "POSTGRES_ENABLE_DB_FUNCTIONS",
}

# Inserting through the library's database function measured 1.7x faster here than its
# pipelined statements; the URL may still say `?enable_db_functions=n`.
POSTGRES_DEFAULTS = {
    "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
}

# Creates its tables under a lock, so several processes may start at once; records
# idempotency keys with the events and lets writers take turns per aggregate.
POSTGRES_APPLICATION_RECORDER = "infra.recorders:PostgresRecorder"
# Records idempotency keys with the events.
# The library's SQLite persistence, its writing transactions begun IMMEDIATE (it says why).
SQLITE_PERSISTENCE = "infra.sqlite_store"
SQLITE_APPLICATION_RECORDER = "infra.recorders:SQLiteRecorder"
# Records each new event's salts and digests for the audit chain (API.md, "Audit").
SEALING_MAPPER = "infra.codec:SealingMapper"


#: Settings that may be read from a file named by `LOFTEN_<NAME>_FILE`.
SECRET_FILE_SETTINGS = ("database_url", "admin_token", "session_key")


class ConfigurationError(ValueError):
    """A setting (the database URL) that cannot be used as given: the operator must fix it.

    Its message is a sentence for the operator and never repeats a password.
    """


class Settings(BaseSettings):
    """Everything the server reads from its environment (`LOFTEN_*`)."""

    model_config = SettingsConfigDict(env_prefix="LOFTEN_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    admin_token: SecretStr | None = None
    # Signs the workspace's session cookies; unset, a key kept beside the store is used.
    session_key: SecretStr | None = None
    deadline_check_seconds: float = 60.0
    # How long a read waits for the views to hold every earlier write before it answers
    # with what they hold (marked `X-Loften-Stale: true`).
    read_wait_seconds: float = 2.0
    # False: a separate worker process runs the projections and the deadline watcher,
    # and this API process only reads the views (the scale-out of ARCHITECTURE.md).
    run_background_work: bool = True
    # Aggregates kept in memory between commands (the library's aggregate cache), each
    # brought up to date from the store when loaded: a survey's next batch of
    # observations then reads only what others wrote since, not the whole survey.
    # 0 turns the cache off (every load replays the aggregate's events).
    aggregate_cache_size: int = Field(default=1000, ge=0)
    # SQLite: the saves of concurrent commands committed in one transaction (one fsync
    # for all of them; `infra.group_commit`). False: one transaction per save.
    group_commit: bool = True
    # Where deadline reminders are sent (`smtp://user:password@host:587?starttls=true`,
    # `smtps://...`); unset, reminders are recorded as due but not sent.
    smtp_url: SecretStr | None = None
    # The sender of reminders, and the base of the workspace links in them.
    reminder_from: str = "loftesboken@localhost"
    public_base_url: str = "http://localhost:8000"
    # True: `/metrics` answers anyone; false (the default): only an admin token.
    metrics_public: bool = False
    # The pool of an API process's tokens, idempotency records and sessions on PostgreSQL
    # (its statements are short; the event store's and views' pools take `?pool_size=`).
    api_pool_size: int = Field(default=2, ge=1)
    # Secrets from files (systemd credentials, Docker/Kubernetes secrets) rather than the
    # environment, which other processes of the same user may read: each names a file
    # whose content (one trailing newline dropped) is the setting. Setting both a value
    # and its file is refused, so it is never unclear which one is in force.
    database_url_file: Path | None = None
    admin_token_file: Path | None = None
    session_key_file: Path | None = None

    @model_validator(mode="after")
    def _secrets_from_files(self) -> Settings:
        for name in SECRET_FILE_SETTINGS:
            path: Path | None = getattr(self, f"{name}_file")
            if path is None:
                continue
            if name in self.model_fields_set:
                raise ValueError(
                    f"Set LOFTEN_{name.upper()} or LOFTEN_{name.upper()}_FILE, not both"
                )
            try:
                text = path.read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
            except OSError as exc:
                raise ValueError(
                    f"LOFTEN_{name.upper()}_FILE names {path}, which cannot be read: "
                    f"{exc.strerror or exc}"
                ) from None
            if not text:
                raise ValueError(f"LOFTEN_{name.upper()}_FILE names {path}, which is empty")
            value: str | SecretStr = text if name == "database_url" else SecretStr(text)
            object.__setattr__(self, name, value)
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def is_postgres(self) -> bool:
        return self.database_url.split(":", 1)[0] in POSTGRES_SCHEMES

    @property
    def sqlite_path(self) -> Path:
        """The event store's SQLite file (`sqlite:///relative` or `sqlite:////absolute`)."""
        if not self.is_sqlite:
            raise ValueError("not a SQLite database URL")
        path = unquote(self.database_url.removeprefix("sqlite:///"))
        if not path:
            raise ConfigurationError("the SQLite URL names no file: sqlite:///path/to/file.sqlite3")
        return Path(path)

    def store_description(self) -> str:
        """Where the event store is, for a message to the operator (never the password)."""
        if self.is_sqlite:
            return str(self.sqlite_path.resolve())
        if self.is_postgres:
            env = postgres_environment(self.database_url)
            return (
                f"PostgreSQL database {env['POSTGRES_DBNAME']!r} "
                f"on {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}"
            )
        return self.database_url.partition(":")[0] + ":"

    def sibling_sqlite(self, kind: str) -> Path:
        """A file beside the event store for one kind of derived data (views, tokens, ...).

        SQLite's tables in the event store have fixed names, and a long rebuild must not
        block the store's writers, so derived data lives in files of its own.
        """
        store = self.sqlite_path
        return store.with_name(f"{store.stem}.{kind}{store.suffix or '.sqlite3'}")

    def aggregate_cache_environment(self) -> dict[str, str]:
        """The library's variables for its aggregate cache: fast-forwarded on every load.

        Fast-forwarding reads the events stored after the cached version, so a cached
        aggregate is never behind what another process wrote (PostgreSQL with several
        API processes), and a command's copy is its own (`deepcopy`; a dialogue shares
        only its frozen observations), so a command that fails leaves the cache as it was.
        """
        if self.aggregate_cache_size == 0:
            return {}
        return {
            "AGGREGATE_CACHE_MAXSIZE": str(self.aggregate_cache_size),
            "AGGREGATE_CACHE_FASTFORWARD": "y",
            "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
        }

    def event_store_environment(self) -> dict[str, str]:
        """The `eventsourcing` library's own variables for the store this URL names."""
        if self.is_sqlite:
            path = self.sqlite_path
            path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": SQLITE_PERSISTENCE,
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": SQLITE_APPLICATION_RECORDER,
                "MAPPER_TOPIC": SEALING_MAPPER,
                "GROUP_COMMIT": "y" if self.group_commit else "n",
            }
        if self.is_postgres:
            return postgres_environment(self.database_url)
        scheme, colon, _ = self.database_url.partition(":")
        raise ConfigurationError(
            "LOFTEN_DATABASE_URL must start with sqlite:/// or postgresql://, "
            + (f"not {scheme}:" if colon else "and this one names no scheme")
        )


def postgres_environment(database_url: str) -> dict[str, str]:
    """The library's variables for `postgresql://user:password@host:port/dbname?option=value`.

    User, password and database name are percent-decoded. An option the library has no
    variable for is an error rather than silently ignored; libpq's own settings (TLS and
    the like) go in its `PG*` environment variables, e.g. `PGSSLMODE=verify-full`.
    """
    url = urlsplit(database_url)
    if url.scheme not in POSTGRES_SCHEMES:
        raise ConfigurationError(f"not a PostgreSQL database URL: {url.scheme}:")
    dbname = unquote(url.path.removeprefix("/"))
    if not dbname or "/" in dbname:
        raise ConfigurationError(
            "the PostgreSQL URL must name one database: postgresql://user:password@host:port/db"
        )
    try:
        port = url.port or 5432
    except ValueError as exc:
        raise ConfigurationError(f"the PostgreSQL URL has an invalid port: {exc}") from None
    environment = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname or "localhost",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(url.username or ""),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "APPLICATION_RECORDER_TOPIC": POSTGRES_APPLICATION_RECORDER,
        "MAPPER_TOPIC": SEALING_MAPPER,
        **POSTGRES_DEFAULTS,
    }
    for name, value in parse_qsl(url.query, keep_blank_values=True, strict_parsing=False):
        variable = POSTGRES_URL_OPTIONS.get(name)
        if variable is None:
            raise ConfigurationError(
                f"unknown option {name!r} in the PostgreSQL URL; known options: "
                f"{', '.join(POSTGRES_URL_OPTIONS)} (libpq settings such as sslmode go in "
                f"PG* environment variables, e.g. PGSSLMODE)"
            )
        environment[variable] = value
    return environment
