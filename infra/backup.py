"""`loften backup` and `loften restore` for a SQLite deployment: one file, one moment.

Everything the server keeps sits in three SQLite files (`infra.bootstrap`): the event
store, the views and the API's own records (tokens, idempotency keys, sessions). Each
is copied with SQLite's online backup API, which reads a consistent snapshot of a
database while others keep writing to it (WAL). The copies are taken views first and
the event store last: the views then never hold an event the copied store lacks (they
catch up on the rest at the next start), and every write acknowledged before the
backup began is in it. The archive is a tar of the copies and a manifest.

PostgreSQL keeps all of it in one database: `pg_dump` takes the same consistent copy
(docs/deployment.md, "Backup and restore").
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow.settings import Settings

FORMAT = "loftesboken-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: The files a SQLite deployment keeps, copied in this order (see the module's docstring).
KINDS = ("views", "api", "events")


class BackupRefused(Exception):
    """A backup or restore that cannot be done as asked; the message says why, in a sentence."""


@dataclass(frozen=True)
class Backup:
    """What a backup holds: which files, and the event store's head when it was copied."""

    path: Path
    kinds: tuple[str, ...]
    head: int


def files_of(settings: Settings) -> dict[str, Path]:
    """Each kind of file of the SQLite deployment the settings name."""
    return {
        "views": settings.sibling_sqlite("views"),
        "api": settings.sibling_sqlite("api"),
        "events": settings.sqlite_path,
    }


def take_backup(settings: Settings, output: Path) -> Backup:
    """Copy the deployment into the archive `output` (written whole, then renamed)."""
    if not settings.is_sqlite:
        raise BackupRefused(
            "loften backup copies a SQLite deployment; on PostgreSQL use pg_dump "
            "(docs/deployment.md, Backup and restore)."
        )
    files = files_of(settings)
    if not files["events"].is_file():
        raise BackupRefused(f"No event store at {files['events'].resolve()} to back up.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".loften-backup-") as work:
        copied: list[str] = []
        for kind in KINDS:
            source = files[kind]
            if not source.is_file():
                continue  # e.g. no views yet: a restore rebuilds them
            _copy(source, Path(work) / f"{kind}.sqlite3")
            copied.append(kind)
        head = _head(Path(work) / "events.sqlite3")
        manifest = {"format": FORMAT, "version": FORMAT_VERSION, "files": copied, "head": head}
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            for kind in copied:
                archive.add(Path(work) / f"{kind}.sqlite3", arcname=f"{kind}.sqlite3")
        os.replace(partial, output)
    return Backup(output, tuple(copied), head)


def restore_backup(settings: Settings, archive_path: Path) -> Backup:
    """Unpack the archive where the settings keep a SQLite deployment, which must not exist."""
    if not settings.is_sqlite:
        raise BackupRefused(
            "loften restore restores a SQLite deployment; on PostgreSQL use pg_restore "
            "(docs/deployment.md, Backup and restore)."
        )
    files = files_of(settings)
    present = [str(path) for path in files.values() if path.exists()]
    if present:
        raise BackupRefused(
            f"{present[0]} already exists; restore into a location that holds no store "
            "(set LOFTEN_DATABASE_URL to a new file), so nothing is overwritten."
        )
    try:
        with tarfile.open(archive_path, "r") as archive:
            manifest = _manifest(archive, archive_path)
            kinds = tuple(manifest["files"])
            target = files["events"].parent
            target.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=target, prefix=".loften-restore-") as work:
                for kind in kinds:
                    member = archive.extractfile(f"{kind}.sqlite3")
                    if member is None or kind not in KINDS:
                        raise BackupRefused(f"{archive_path} is damaged: no {kind} copy.")
                    unpacked = Path(work) / f"{kind}.sqlite3"
                    unpacked.write_bytes(member.read())
                    _check(unpacked, archive_path)
                for kind in kinds:
                    os.replace(Path(work) / f"{kind}.sqlite3", files[kind])
    except (tarfile.TarError, OSError, KeyError, ValueError) as exc:
        raise BackupRefused(f"{archive_path} is not a backup loften can restore: {exc}.") from None
    return Backup(archive_path, kinds, int(manifest["head"]))


def _copy(source: Path, target: Path) -> None:
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)  # all pages in one step: one snapshot, however busy the writers


def _head(events: Path) -> int:
    with closing(sqlite3.connect(events)) as connection:
        try:
            row = connection.execute("SELECT MAX(rowid) FROM stored_events").fetchone()
        except sqlite3.OperationalError:
            return 0
    return int(row[0] or 0)


def _check(copy: Path, archive_path: Path) -> None:
    with closing(sqlite3.connect(copy)) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    if result is None or result[0] != "ok":
        raise BackupRefused(f"{archive_path} is damaged: {copy.name} fails SQLite's check.")


def _manifest(archive: tarfile.TarFile, archive_path: Path) -> dict[str, Any]:
    member = archive.extractfile(MANIFEST)
    if member is None:
        raise BackupRefused(f"{archive_path} holds no {MANIFEST}.")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupRefused(f"{archive_path} is not a loften backup of format {FORMAT_VERSION}.")
    return dict(manifest)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))
