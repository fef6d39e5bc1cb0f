"""Where everything the server keeps beside the events lives, chosen from the settings alone.

`LOFTEN_DATABASE_URL` decides for all of it, here and nowhere else:

| Kept                  | SQLite (`sqlite:///x.sqlite3`) | PostgreSQL (same database)           |
|-----------------------|--------------------------------|--------------------------------------|
| views                 | `x.views.sqlite3`              | schema `loften_views`                |
| tokens, idempotency   | `x.api.sqlite3`                | `loften_tokens`, `loften_idempotency`|
| workspace sessions    | `x.api.sqlite3`                | `loften_sessions`, `loften_session_key`|

There is no fallback: a URL that is neither is refused by the settings, and a
PostgreSQL URL never makes a SQLite file. The API's lifespan, the CLI and (later)
the worker open what they need through these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore

from infra.codec import OrjsonTranscoder
from infra.idempotency import IdempotencyStore, PostgresIdempotencyStore, SQLiteIdempotencyStore
from infra.postgres import creation_lock, datastore_options
from infra.sessions import PostgresSessionStore, SessionStore, SQLiteSessionStore
from infra.token_stores import PostgresTokenStore, SQLiteTokenStore
from infra.tokens import TokenStore
from infra.viewstores import (
    PostgresViewDatastore,
    PostgresViewStore,
    SQLiteViewStore,
    views_schema,
)
from projections.audit import AuditView
from projections.framework import TrackedView
from projections.readside import Projections
from projections.viewstore import ViewStore
from workflow.application import Loftesboken
from workflow.clock import Clock
from workflow.settings import Settings


def views_store(settings: Settings) -> ViewStore:
    """The views' database for these settings (not yet holding any table)."""
    if settings.is_postgres:
        options = datastore_options(settings)
        options["schema"] = views_schema(options["schema"])
        return PostgresViewStore(PostgresViewDatastore(**options))
    return SQLiteViewStore(settings.sibling_sqlite("views"))


def open_read_side(
    app: Application[UUID],
    settings: Settings,
    *,
    extra_views: Sequence[type[TrackedView]] = (),
    **options: Any,
) -> Projections:
    """The views of `app` where the settings keep them, created if missing, not started;
    reads wait for them at most `settings.read_wait_seconds`."""
    options.setdefault("read_wait_seconds", settings.read_wait_seconds)
    options.setdefault("rebuild_opener", ReadSideOpener(settings))
    return Projections(app, views_store(settings), extra_views=extra_views, **options)


@dataclass
class ApiStores:
    """The API's own records: token hashes, idempotency keys, workspace sessions."""

    tokens: TokenStore
    idempotency: IdempotencyStore
    sessions: SessionStore
    datastore: PostgresDatastore | None = field(default=None)

    def close(self) -> None:
        """Close the SQLite stores' per-thread connections, or the PostgreSQL pool."""
        if isinstance(self.tokens, SQLiteTokenStore):
            self.tokens.close()
        self.idempotency.close()
        self.sessions.close()
        if self.datastore is not None:
            self.datastore.close()


def open_api_stores(settings: Settings) -> ApiStores:
    """The token, idempotency and session stores for these settings, tables created if missing."""
    if settings.is_postgres:
        options = datastore_options(settings)
        options["pool_size"] = settings.api_pool_size
        datastore = PostgresDatastore(**options)
        tokens = PostgresTokenStore(datastore)
        sessions = PostgresSessionStore(datastore)
        try:
            idempotency = PostgresIdempotencyStore(datastore)
        except BaseException:
            datastore.close()
            raise
        try:
            with creation_lock(datastore):
                tokens.create_table()
                idempotency.create_table()
                sessions.create_table()
        except BaseException:
            idempotency.close()
            datastore.close()
            raise
        return ApiStores(tokens, idempotency, sessions, datastore)
    path = settings.sibling_sqlite("api")
    return ApiStores(SQLiteTokenStore(path), SQLiteIdempotencyStore(path), SQLiteSessionStore(path))


def open_application(
    settings: Settings | None = None,
    clock: Clock | None = None,
    env: dict[str, str] | None = None,
) -> Loftesboken:
    """The application on the store the settings name, writing with our orjson codec.

    The one place the codec is chosen: `workflow/` never imports the plumbing, it is
    handed the transcoder here (the library's JSON transcoder writes the same bytes).
    """
    return Loftesboken(settings, clock, env, transcoder=OrjsonTranscoder)


@dataclass(frozen=True)
class ReadSideOpener:
    """Opens the event store and the views' database again, in a rebuild's worker process.

    Picklable (settings, a path, a schema), so `projections.rebuild_jobs` can hand it to
    processes it spawns; `views_path` (SQLite) or `views_schema` (PostgreSQL) names a
    views' database other than the settings' own (the benchmarks and tests keep theirs
    apart).
    """

    settings: Settings
    views_path: Path | None = None
    views_schema: str | None = None

    def __call__(self) -> tuple[Application[UUID], ViewStore, Callable[[], None]]:
        app = open_application(self.settings)
        store: ViewStore
        if self.views_path is not None:
            store = SQLiteViewStore(self.views_path)
        elif self.views_schema is not None:
            options = {**datastore_options(self.settings), "schema": self.views_schema}
            store = PostgresViewStore(PostgresViewDatastore(**options))
        else:
            store = views_store(self.settings)

        def close() -> None:
            store.close()
            app.close()

        return app, store, close


@dataclass(frozen=True)
class ChainOpener:
    """Opens the event store and the audit view again, in a verification worker process.

    Picklable (settings and a path), so `projections.verification_jobs` can hand it to
    processes it spawns; `views_path` names a views file other than the settings' own
    (the benchmarks keep theirs apart).
    """

    settings: Settings
    views_path: Path | None = None

    def __call__(self) -> tuple[Application[UUID], AuditView, Callable[[], None]]:
        app, store, close = ReadSideOpener(self.settings, self.views_path)()
        return app, AuditView(store), close
