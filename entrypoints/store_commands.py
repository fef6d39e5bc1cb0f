"""`loften rebuild|verify|upgrade|migrate`: the store's maintenance, each command self-contained.

Its own imports sit inside the commands, so the serving commands start without them.
"""

from __future__ import annotations

import os
from typing import Any

import typer

from entrypoints.cli import cli
from entrypoints.cli_support import Command, existing_store, fail, settings_from_environment


def progress_bar(*columns: Any) -> Any:
    """A rich progress bar on stderr, so stdout holds only the command's result."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        *columns,
        console=Console(stderr=True),
    )


@cli.command(cls=Command, short_help="Drop every view and rebuild it from the event store.")
def rebuild(
    jobs: int = typer.Option(
        os.cpu_count() or 1,
        "--jobs",
        min=1,
        metavar="N",
        help="Processes the rebuild may use (2 or more: the audit chains in a worker).",
        show_default="the number of CPUs",
    ),
) -> None:
    """Drop every view and rebuild it from the event store, with a progress bar."""
    from rich.progress import TimeRemainingColumn

    from infra.bootstrap import open_application, open_read_side

    settings = settings_from_environment()
    existing_store(settings)
    app = open_application(settings)
    read_side = open_read_side(app, app.settings)
    try:
        with progress_bar(TimeRemainingColumn()) as progress:
            task = progress.add_task("Rebuilding the views", total=read_side.head())
            position = read_side.rebuild(
                lambda reached, head: progress.update(task, completed=reached, total=head),
                jobs=jobs,
            )
            progress.update(task, completed=position, total=position)
        names = ", ".join(read_side.positions())
    finally:
        read_side.close()
        app.close()
    typer.echo(f"Rebuilt {names} up to event {position}.")


@cli.command(cls=Command, short_help="Recompute the audit chains; exit 1 if any differs.")
def verify(
    municipality: str | None = typer.Option(
        None,
        "--municipality",
        metavar="CODE",
        help="Verify only this municipality's chain (its kommunkod, e.g. 1280).",
    ),
    url: str | None = typer.Option(
        None,
        "--url",
        metavar="URL",
        help="Check the public chain a server shows instead, trusting nothing of it.",
    ),
    position: int | None = typer.Option(
        None, "--position", metavar="P", help="With --url: the position a report printed."
    ),
    head: str | None = typer.Option(
        None, "--head", metavar="HASH", help="With --url: the head hash the report printed."
    ),
    jobs: int = typer.Option(
        os.cpu_count() or 1,
        "--jobs",
        min=1,
        metavar="N",
        help="Worker processes sharing the municipalities (1: all in this process).",
        show_default="the number of CPUs",
    ),
) -> None:
    """Recompute the audit chains from the event store; exit 1 if any differs.

    With `--url URL --municipality CODE [--position P --head HASH]`, check a server's
    public chain instead, as anyone can (the same code as docs/verify.py, standard
    library only): every digest shown, every hash, and that the chain still reaches
    the head a report printed.

    Prints one line per municipality: whether its chain holds, its number of entries,
    the first position that differs, and the full head hash, to compare with the
    `head_hash` an annual report carries.
    """
    from domain.errors import UnknownMunicipality
    from domain.reference import municipality as find_municipality
    from infra.bootstrap import ChainOpener, open_application, open_read_side
    from projections.verification import verify_municipalities
    from projections.verification_jobs import verification_workers

    if url is not None or position is not None or head is not None:
        verify_url(url, municipality, position, head)
        return
    if municipality is not None:
        try:
            find_municipality(municipality)
        except UnknownMunicipality as exc:
            fail(f"{exc.message}.", 2)
    # The workers first, forked while this process holds no connection to the store.
    with verification_workers(1 if municipality is not None else jobs, fork=True) as workers:
        settings = settings_from_environment()
        existing_store(settings)
        app = open_application(settings)
        read_side = open_read_side(app, app.settings)
        try:
            try:
                read_side.catch_up()
            except Exception as exc:  # a damaged store may not even project; verify what is there
                typer.echo(f"The views could not catch up: {exc}", err=True)
            with progress_bar() as progress:
                task = progress.add_task("Recomputing the chains", total=None)
                results = verify_municipalities(
                    app,
                    read_side.audit,
                    None if municipality is None else [municipality],
                    lambda reached, upto: progress.update(task, completed=reached, total=upto),
                    opener=ChainOpener(settings),
                    workers=workers,
                )
        finally:
            read_side.close()
            app.close()
    typer.echo(f"{'code':<4}  {'chain':<6}  {'entries':>7}  {'first bad':>9}  head hash")
    for code, result in sorted(results.items()):
        first_bad = "" if result.first_bad_position is None else str(result.first_bad_position)
        typer.echo(
            f"{code:<4}  {'ok' if result.ok else 'BROKEN':<6}  {result.entries:>7}  "
            f"{first_bad:>9}  {result.head_hash}"
        )
    if not results:
        typer.echo("The store holds no audit chain yet.")
    if not all(result.ok for result in results.values()):
        broken = sorted(code for code, result in results.items() if not result.ok)
        fail(f"The audit chain of {', '.join(broken)} does not match the events.")


def verify_url(
    url: str | None, municipality: str | None, position: int | None, head: str | None
) -> None:
    """`loften verify --url`: a server's public chain checked by docs/verify.py's code."""
    from entrypoints import verify_remote

    if url is None or municipality is None:
        fail("Give --url and --municipality to check a server's chain.", 2)
    if (position is None) != (head is None):
        fail("Give --position and --head together, as the report prints them.", 2)
    try:
        outcome = verify_remote.verify(url, municipality, position, head)
    except verify_remote.Unreadable as exc:
        fail(f"Could not read the chain: {exc}", 2)
    typer.echo(verify_remote.describe(municipality, outcome))
    if not outcome.ok:
        raise typer.Exit(1)
    if position is not None:
        typer.echo(f"It reaches the head printed for position {position}.")


@cli.command(cls=Command, short_help="Give a store recorded before chain v2 its salts and digests.")
def upgrade() -> None:
    """Give every event recorded before audit chain v2 its salts and digests, once, then
    rebuild the views. Stop the server first; running it again changes nothing."""
    from rich.progress import TimeRemainingColumn

    from infra.bootstrap import open_application, open_read_side
    from infra.upgrade import seal_store

    settings = settings_from_environment()
    existing_store(settings)
    app = open_application(settings)
    try:
        with progress_bar(TimeRemainingColumn()) as progress:
            task = progress.add_task("Sealing the events", total=None)
            sealed = seal_store(
                app, lambda done, head: progress.update(task, completed=done, total=head)
            )
        read_side = open_read_side(app, app.settings)
        try:
            with progress_bar(TimeRemainingColumn()) as progress:
                task = progress.add_task("Rebuilding the views", total=read_side.head())
                position = read_side.rebuild(
                    lambda reached, head: progress.update(task, completed=reached, total=head)
                )
        finally:
            read_side.close()
    finally:
        app.close()
    typer.echo(f"Sealed {sealed} events recorded before chain v2; views rebuilt up to {position}.")


# -- migration: a SQLite store to PostgreSQL -------------------------------------------------


@cli.command(cls=Command, short_help="Copy a SQLite store to an empty PostgreSQL database.")
def migrate(
    source: str = typer.Option(
        ..., "--from", metavar="URL", help="The SQLite store: sqlite:///path/to/file."
    ),
    target: str = typer.Option(
        ..., "--to", metavar="URL", help="An empty PostgreSQL database: postgresql://..."
    ),
) -> None:
    """Copy a SQLite store's events and tokens to an empty PostgreSQL database, then build
    its views. Stop the server first; idempotency records are not copied."""
    from rich.progress import TimeRemainingColumn

    from infra.migrate import MigrationRefused, preflight
    from infra.migrate import migrate as run_migration
    from infra.postgres import StoreUnreachable, probe
    from workflow.settings import Settings

    source_settings, target_settings = Settings(database_url=source), Settings(database_url=target)
    try:
        if target_settings.is_postgres:
            probe(target_settings)
        preflight(source_settings, target_settings)
    except (MigrationRefused, ValueError) as exc:
        fail(f"Not migrated: {str(exc).rstrip('.')}.", 2)
    except StoreUnreachable as exc:
        fail(f"Not migrated. {exc}")
    with progress_bar(TimeRemainingColumn()) as progress:
        events = progress.add_task("Copying the events", total=None)
        views = progress.add_task("Building the views", total=None, start=False)

        def on_events(done: int, total: int) -> None:
            progress.update(events, completed=done, total=total)

        def on_views(done: int, total: int) -> None:
            progress.start_task(views)
            progress.update(views, completed=done, total=total)

        result = run_migration(
            source_settings, target_settings, on_events=on_events, on_views=on_views
        )
    typer.echo(
        f"Copied {result.events} events and {result.tokens} tokens; "
        f"views built up to event {result.position}."
    )


@cli.command(cls=Command, short_help="Copy the whole SQLite deployment into one file, online.")
def backup(
    output: str = typer.Option(
        ..., "-o", "--output", metavar="FILE", help="The backup file to write (a tar archive)."
    ),
) -> None:
    """Copy the event store, the views and the API's records into FILE while the server runs.

    One consistent moment per file (SQLite's online backup API), the views first and the
    events last, so every write acknowledged before the command began is in the copy.
    On PostgreSQL use pg_dump (docs/deployment.md).
    """
    import time
    from pathlib import Path

    from infra.backup import BackupRefused, take_backup

    settings = settings_from_environment()
    started = time.perf_counter()
    try:
        taken = take_backup(settings, Path(output))
    except BackupRefused as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}.")
    seconds = time.perf_counter() - started
    typer.echo(
        f"Backed up {', '.join(taken.kinds)} up to event {taken.head} into {output} "
        f"in {seconds:.1f} s."
    )


@cli.command(cls=Command, short_help="Restore a backup into a location that holds no store.")
def restore(
    archive: str = typer.Argument(..., metavar="FILE", help="A file `loften backup` wrote."),
) -> None:
    """Restore FILE where LOFTEN_DATABASE_URL points; refuses if a store is there already.

    Then run `loften verify`; the views catch up on any events the copy holds beyond
    them at the next start (or `loften rebuild`).
    """
    from pathlib import Path

    from infra.backup import BackupRefused, restore_backup

    settings = settings_from_environment()
    if not Path(archive).is_file():
        fail(f"No backup file at {archive}.", 2)
    try:
        restored = restore_backup(settings, Path(archive))
    except BackupRefused as exc:
        fail(str(exc))
    typer.echo(
        f"Restored {', '.join(restored.kinds)} up to event {restored.head} into "
        f"{settings.store_description()}; now run `loften verify`."
    )
