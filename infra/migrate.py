"""`loften migrate`: move a SQLite store to PostgreSQL: events, token hashes, then the views.

Events are copied as stored (topic and state bytes untouched, so an encrypted or
compressed store needs the same cipher settings on the target) in notification order,
batch by batch through the recorders' own `select_notifications` and `insert_events`.
Each keeps its notification id, which the audit chains hash, so every chain's head on
PostgreSQL equals its head on SQLite. The target must hold no events.

Token hashes move too, so every client keeps its token. Idempotency records do not:
they only protect retries for 24 hours, and a retry across a migration (the server
is stopped for it) is not a case worth a copy. Views are not copied but rebuilt from
the copied events on the target, which also proves the copy projects.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eventsourcing.application import LocalNotificationLog
from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.system import NotificationLogReader
from psycopg.sql import SQL, Identifier, Literal

from infra.bootstrap import open_api_stores, open_application, open_read_side
from infra.codec import PersonalStoredEvent
from infra.postgres import ApplicationRecorder
from infra.token_stores import POSTGRES_TOKENS_TABLE, TOKEN_COLUMNS
from workflow.application import Loftesboken
from workflow.settings import Settings

#: Events per insert: one transaction and one round trip each.
BATCH_SIZE = 2000

Progress = Callable[[int, int], None]
"""Told (events copied so far, events to copy) after each batch."""


class MigrationRefused(Exception):
    """The migration would not be safe or makes no sense: nothing was written."""


@dataclass(frozen=True)
class Migrated:
    events: int
    tokens: int
    position: int


def check_urls(source: Settings, target: Settings) -> None:
    """Only SQLite to PostgreSQL, from a store that exists."""
    if not source.is_sqlite:
        raise MigrationRefused("--from must be a SQLite store: sqlite:///path/to/loften.sqlite3")
    if not target.is_postgres:
        raise MigrationRefused("--to must be a PostgreSQL database: postgresql://user@host/db")
    if not source.sqlite_path.is_file():
        raise MigrationRefused(f"there is no SQLite store at {source.sqlite_path}")


def preflight(source: Settings, target: Settings) -> None:
    """Refuse before anything is written: wrong kinds of URL, no source, a non-empty target."""
    check_urls(source, target)
    target_app = open_application(target)
    try:
        _refuse_non_empty(target_app)
    finally:
        target_app.close()


def _refuse_non_empty(target: Loftesboken) -> None:
    if target.recorder.max_notification_id():
        raise MigrationRefused(
            "the target already holds events; migrate into an empty database only"
        )


def copy_events(
    source: Loftesboken,
    target: Loftesboken,
    *,
    batch_size: int = BATCH_SIZE,
    on_progress: Progress | None = None,
) -> int:
    """Copy every event in notification order, ids kept; how many were copied."""
    _refuse_non_empty(target)
    recorder = target.recorder
    if not isinstance(recorder, ApplicationRecorder):
        raise MigrationRefused("the target is not a PostgreSQL event store")
    total = source.recorder.max_notification_id() or 0
    copied, expected = 0, 1
    log = NotificationLogReader(LocalNotificationLog(source.recorder, batch_size), batch_size)
    for batch in log.select(start=0, inclusive_of_start=False):
        for run in _contiguous_runs(batch):
            if run[0].id != expected:  # a gap in the source: the target's ids skip it too
                _continue_ids_at(recorder, run[0].id)
            ids = recorder.insert_events([_stored(n) for n in run])
            if list(ids or []) != [n.id for n in run]:
                raise RuntimeError(
                    f"the target numbered events {run[0].id}-{run[-1].id} differently "
                    "(is another process writing to it?)"
                )
            expected = run[-1].id + 1
        copied += len(batch)
        if on_progress is not None:
            on_progress(copied, max(total, batch[-1].id))
    return copied


def _stored(notification: Notification) -> StoredEvent:
    """The event as stored, with the erasable values it keeps apart (copied with it)."""
    return PersonalStoredEvent(
        originator_id=notification.originator_id,
        originator_version=notification.originator_version,
        topic=notification.topic,
        state=notification.state,
        personal=getattr(notification, "personal", None),
    )


def _contiguous_runs(batch: Sequence[Notification]) -> list[list[Notification]]:
    runs: list[list[Notification]] = []
    for notification in batch:
        if runs and runs[-1][-1].id + 1 == notification.id:
            runs[-1].append(notification)
        else:
            runs.append([notification])
    return runs


def _continue_ids_at(recorder: ApplicationRecorder, next_id: int) -> None:
    """Make the events table's next notification id `next_id`."""
    table = f"{recorder.datastore.schema}.{recorder.events_table_name}"
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            SQL("SELECT setval(pg_get_serial_sequence({}, 'notification_id'), {}, false)").format(
                Literal(table), Literal(next_id)
            )
        )


def copy_tokens(source: Settings, target: Settings) -> int:
    """Copy every token hash (never a secret: none is stored); how many were new."""
    path = source.sibling_sqlite("api")
    if not path.is_file():
        return 0
    with sqlite3.connect(path) as connection:
        present = {row[1] for row in connection.execute("PRAGMA table_info(tokens)")}
        if not present:  # an API file without a tokens table
            return 0
        # Files made before tokens had a life cycle lack its columns: those are NULL.
        chosen = ", ".join(c if c in present else "NULL" for c in TOKEN_COLUMNS)
        rows = connection.execute(f"SELECT {chosen} FROM tokens").fetchall()
    stores = open_api_stores(target)
    try:
        datastore = stores.datastore
        assert datastore is not None  # a PostgreSQL target, checked by `check_urls`
        table = SQL("{}.{}").format(Identifier(datastore.schema), Identifier(POSTGRES_TOKENS_TABLE))
        columns = SQL(", ").join(Identifier(c) for c in TOKEN_COLUMNS)
        values = SQL(", ").join([SQL("%s")] * len(TOKEN_COLUMNS))
        added = 0
        with datastore.transaction(commit=True) as cursor:
            for row in rows:
                values_of = dict(zip(TOKEN_COLUMNS, row, strict=True))
                values_of["bootstrap"] = bool(values_of["bootstrap"])
                values_of["id"] = values_of["id"] or str(uuid.uuid4())
                cursor.execute(
                    SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (hash) DO NOTHING").format(
                        table, columns, values
                    ),
                    [values_of[c] for c in TOKEN_COLUMNS],
                )
                added += cursor.rowcount
    finally:
        stores.close()
    return added


def rebuild_views(target: Loftesboken, settings: Settings, on_progress: Progress | None) -> int:
    """Build the target's views from its (copied) events; the position reached."""
    read_side = open_read_side(target, settings)
    try:
        return read_side.rebuild(on_progress)
    finally:
        read_side.close()


def migrate(
    source: Settings,
    target: Settings,
    *,
    batch_size: int = BATCH_SIZE,
    on_events: Progress | None = None,
    on_views: Progress | None = None,
) -> Migrated:
    """Copy the events and token hashes from `source` to `target`, then build its views."""
    check_urls(source, target)
    source_app = open_application(source)
    try:
        target_app = open_application(target)
        try:
            events = copy_events(
                source_app, target_app, batch_size=batch_size, on_progress=on_events
            )
            tokens = copy_tokens(source, target)
            position = rebuild_views(target_app, target, on_views)
        finally:
            target_app.close()
    finally:
        source_app.close()
    return Migrated(events=events, tokens=tokens, position=position)
