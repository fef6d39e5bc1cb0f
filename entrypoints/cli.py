"""The `loften` command line: serve the API, load the demo, manage tokens, inspect the store."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from domain.values import Actor
    from projections.reports import AnnualReport, NationalReport
    from projections.reports.source import ReportSource

cli = typer.Typer(
    name="loften",
    help="Löftesboken: the system of record for medborgarlöften.",
    no_args_is_help=True,
    add_completion=False,
)


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="API processes (more than 1 needs PostgreSQL)."
    ),
    worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="With --workers > 1: also start `loften worker` (--no-worker: one runs elsewhere).",
    ),
) -> None:
    """Serve the HTTP API.

    One process (the default) runs the projections and the deadline watcher in-process.
    With PostgreSQL, `--workers N` runs N API processes that only write events and read
    views, plus one `loften worker` process for the background work unless --no-worker.
    """
    import uvicorn

    from workflow.settings import Settings

    settings = Settings()
    if workers == 1:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port)
        return
    if not settings.is_postgres:
        typer.echo(
            f"--workers {workers} needs PostgreSQL (LOFTEN_DATABASE_URL=postgresql://...): "
            "a SQLite store is served by one process, which also keeps its views current. "
            "Run `loften serve` without --workers.",
            err=True,
        )
        raise typer.Exit(2)
    from infra.supervise import WorkerProcess

    # Inherited by the API processes uvicorn starts: they leave the background to the worker.
    os.environ["LOFTEN_RUN_BACKGROUND_WORK"] = "false"
    background = WorkerProcess() if worker else None
    if background is not None:
        background.start()
    try:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers)
    finally:
        if background is not None:
            background.stop()


@cli.command("worker")
def run_worker() -> None:
    """Keep the views current and watch deadlines, without HTTP, until SIGINT or SIGTERM.

    Only one worker is active per projection: another one started against the same
    store waits, and takes over when the active one stops or dies.
    """
    import logging
    import signal
    import threading

    from infra.worker import Worker

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    raise typer.Exit(Worker().run(stopping))


@cli.command()
def demo(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (and succeed) when the store already has events."
    ),
) -> None:
    """Load a believable demo year (Malmö; Stenungsund, Orust and Tjörn; Kiruna)."""
    from demo.load import DemoAlreadyLoaded, load_demo
    from infra.bootstrap import open_application

    app = open_application()
    try:
        summary = load_demo(app)
    except DemoAlreadyLoaded as exc:
        if if_empty:
            typer.echo("Demo data not loaded: the store already has events.")
            return
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        app.close()
    typer.echo(summary)


token_cli = typer.Typer(
    help="Issue, list and revoke bearer tokens for the API.", no_args_is_help=True
)
cli.add_typer(token_cli, name="token")


def _cli_actor() -> Actor:
    """Who a token command records as its actor: the CLI and the system user running it."""
    import getpass

    from domain.values import Actor, Role

    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "okänd användare"
    return Actor(label=f"loften token (CLI, {user})", role=Role.ADMIN)


@token_cli.command("create")
def token_create(
    role: str = typer.Option(..., help="police, municipality, auditor or admin."),
    municipality: Annotated[
        list[str] | None,
        typer.Option(
            "--municipality", "-m", help="A kommunkod the token acts for (repeat for more)."
        ),
    ] = None,
    label: str = typer.Option(..., help="Who uses the token; recorded on every event."),
    expires_on: str | None = typer.Option(
        None,
        "--expires-on",
        help="The token's last day, YYYY-MM-DD (Europe/Stockholm); not in the past.",
    ),
) -> None:
    """Issue a token and print it; it is shown this once and stored only as a hash."""
    from pydantic import ValidationError

    from api.schemas.tokens import CreateToken
    from domain.values import Role
    from infra.bootstrap import open_api_stores
    from workflow.clock import SystemClock, today
    from workflow.settings import Settings

    try:
        request = CreateToken.model_validate(
            {
                "role": role,
                "municipalities": municipality or [],
                "label": label,
                "expires_on": expires_on,
            }
        )
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "token"
            typer.echo(f"{where}: {error['msg']}", err=True)
        raise typer.Exit(2) from None
    now = today(SystemClock())
    if request.expires_on is not None and request.expires_on < now:
        typer.echo(f"expires_on: may not be in the past (today is {now.isoformat()})", err=True)
        raise typer.Exit(2)
    stores = open_api_stores(Settings())
    try:
        issued = stores.tokens.issue(
            Role(request.role),
            request.municipalities,
            request.label,
            expires_on=request.expires_on,
            actor=_cli_actor(),
        )
    finally:
        stores.close()
    typer.echo(issued.secret)


@token_cli.command("list")
def token_list() -> None:
    """List the tokens (never a secret): id, role, municipalities, label and life cycle."""
    from infra.bootstrap import open_api_stores
    from workflow.settings import Settings

    stores = open_api_stores(Settings())
    try:
        records = stores.tokens.tokens()
    finally:
        stores.close()
    if not records:
        typer.echo("No tokens have been issued (the bootstrap admin is not listed).")
        return
    typer.echo("id\trole\tmunicipalities\tlabel\tcreated_at\texpires_on\tlast_used_on\trevoked_at")
    for record in records:
        cells = [
            record.id,
            record.role.value,
            ",".join(record.municipalities) or "-",
            record.label,
            record.created_at.isoformat(timespec="seconds"),
            record.expires_on.isoformat() if record.expires_on else "-",
            record.last_used_on.isoformat() if record.last_used_on else "-",
            record.revoked_at.isoformat(timespec="seconds") if record.revoked_at else "-",
        ]
        typer.echo("\t".join(cells))


@token_cli.command("revoke")
def token_revoke(
    token_id: str = typer.Argument(..., help="The id `loften token list` shows."),
) -> None:
    """Revoke a token: every server refuses it within 5 seconds."""
    from infra.bootstrap import open_api_stores
    from workflow.settings import Settings

    stores = open_api_stores(Settings())
    try:
        if stores.tokens.get(token_id) is None:
            typer.echo(f"No token with id {token_id} (see `loften token list`).", err=True)
            raise typer.Exit(1)
        record = stores.tokens.revoke(token_id, _cli_actor())
    finally:
        stores.close()
    assert record is not None and record.revoked_at is not None
    typer.echo(f"Revoked {record.id} ({record.label}) at {record.revoked_at:%Y-%m-%d %H:%M} UTC.")


def main() -> None:
    cli()


# -- read side: rebuild the views, verify the audit chains --------------------------------
# Self-contained on purpose (its own imports, inside the commands): the projections'
# maintenance commands, kept apart from the serving commands above.


@cli.command()
def rebuild() -> None:
    """Drop every view and rebuild it from the event store, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from infra.bootstrap import open_application, open_read_side

    app = open_application()
    read_side = open_read_side(app, app.settings)
    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        ) as progress:
            task = progress.add_task("Bygger om vyerna", total=read_side.head())
            position = read_side.rebuild(
                lambda reached, head: progress.update(task, completed=reached, total=head)
            )
            progress.update(task, completed=position, total=position)
        names = ", ".join(read_side.positions())
    finally:
        read_side.close()
        app.close()
    typer.echo(f"Rebuilt {names} up to event {position}.")


@cli.command()
def verify(
    municipality: str | None = typer.Option(
        None, "--municipality", help="Verify only this municipality's chain (kommunkod)."
    ),
) -> None:
    """Recompute the audit chains from the event store; exit 1 if any differs."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress
    from rich.table import Table

    from domain.errors import UnknownMunicipality
    from domain.reference import municipality as find_municipality
    from infra.bootstrap import open_application, open_read_side
    from projections.audit import verify_municipalities

    if municipality is not None:
        try:
            find_municipality(municipality)
        except UnknownMunicipality as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(2) from None
    console = Console()
    app = open_application()
    read_side = open_read_side(app, app.settings)
    try:
        try:
            read_side.catch_up()
        except Exception as exc:  # a damaged store may not even project; verify what is there
            console.print(f"[yellow]The views could not catch up: {exc}[/yellow]")
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn()
        ) as progress:
            task = progress.add_task("Räknar om kedjorna", total=None)
            results = verify_municipalities(
                app,
                read_side.audit,
                None if municipality is None else [municipality],
                lambda reached, upto: progress.update(task, completed=reached, total=upto),
            )
    finally:
        read_side.close()
        app.close()
    table = Table("Kommun", "Ok", "Poster", "Första fel", "Senaste hash")
    for code, result in sorted(results.items()):
        table.add_row(
            code,
            "ja" if result.ok else "[red]NEJ[/red]",
            str(result.entries),
            "" if result.first_bad_position is None else str(result.first_bad_position),
            result.head_hash[:16] + "…",
        )
    console.print(table)
    if not all(result.ok for result in results.values()):
        raise typer.Exit(1)


# -- reports: a municipality's annual report and national coverage, to a file or stdout ---------

report_cli = typer.Typer(
    help="Write a report (JSON, CSV, HTML or PDF), read from the views.", no_args_is_help=True
)
cli.add_typer(report_cli, name="report")

FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="pdf, html, csv or json.", case_sensitive=False)
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of HTML and PDF: sv or en.")]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="The file to write (text forms go to stdout without)."),
]


@report_cli.command("annual")
def report_annual(
    code: Annotated[str, typer.Argument(help="The municipality's kommunkod, e.g. 1280.")],
    year: Annotated[int, typer.Argument(help="The calendar year.")],
    format: FormatOption = "json",
    lang: LangOption = "sv",
    output: OutputOption = None,
) -> None:
    """A municipality's annual accountability report for one year."""
    from domain.errors import UnknownMunicipality
    from domain.reference import municipality

    try:
        municipality(code)
    except UnknownMunicipality as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(2) from None
    _write_report(lambda source: source.annual(code, year), year, format, lang, output)


@report_cli.command("national")
def report_national(
    year: Annotated[int, typer.Argument(help="The calendar year.")],
    format: FormatOption = "json",
    lang: LangOption = "sv",
    output: OutputOption = None,
) -> None:
    """National coverage: which of the 290 municipalities had a promise in force."""
    _write_report(lambda source: source.national(year), year, format, lang, output)


def _write_report(
    build: Callable[[ReportSource], AnnualReport | NationalReport],
    year: int,
    format: str,
    lang: str,
    output: Path | None,
) -> None:
    """Catch the views up with the store, build the report, render it, and write it."""
    from infra.bootstrap import open_application, open_read_side
    from projections.reports import (
        ReportFormat,
        UnknownFormat,
        UnsupportedLanguage,
        choose_format,
        parse_lang,
        render,
    )
    from projections.reports.source import ReportSource

    if not 1900 <= year <= 2999:
        typer.echo(f"year must be a calendar year 1900-2999, not {year}.", err=True)
        raise typer.Exit(2)
    try:
        form = choose_format(format=format)
        language = parse_lang(lang)
    except (UnknownFormat, UnsupportedLanguage) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if form is ReportFormat.PDF and output is None:
        typer.echo("A PDF is written to a file: give --output FILE.", err=True)
        raise typer.Exit(2)
    app = open_application()
    read_side = open_read_side(app, app.settings)
    try:
        read_side.catch_up()
        report = build(ReportSource(read_side.catalogue, read_side.audit))
    finally:
        read_side.close()
        app.close()
    rendered = render(report, form, language)
    if output is None:
        sys.stdout.write(rendered.body.decode("utf-8"))
        sys.stdout.flush()
        return
    output.write_bytes(rendered.body)
    typer.echo(f"Wrote {output} ({len(rendered.body)} bytes).", err=True)


# -- migration: a SQLite store to PostgreSQL -------------------------------------------------


@cli.command()
def migrate(
    source: str = typer.Option(..., "--from", help="The SQLite store: sqlite:///path/to/file."),
    target: str = typer.Option(..., "--to", help="An empty PostgreSQL database: postgresql://..."),
) -> None:
    """Copy a SQLite store's events and tokens to an empty PostgreSQL database, then build
    its views. Stop the server first; idempotency records are not copied."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from infra.migrate import MigrationRefused, preflight
    from infra.migrate import migrate as run_migration
    from workflow.settings import Settings

    source_settings, target_settings = Settings(database_url=source), Settings(database_url=target)
    try:
        preflight(source_settings, target_settings)
    except (MigrationRefused, ValueError) as exc:
        typer.echo(f"Not migrated: {exc}", err=True)
        raise typer.Exit(2) from None
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    ) as progress:
        events = progress.add_task("Kopierar händelser", total=None)
        views = progress.add_task("Bygger vyerna", total=None, start=False)

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


if __name__ == "__main__":
    main()
