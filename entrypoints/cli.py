"""The `loften` command line: serve the API, load the demo, manage tokens, inspect the store.

Every mistake an operator can make here (a store that is not there, a URL it cannot
use, a PostgreSQL that does not answer, a file it cannot write, a port out of range)
is answered with a sentence or two in English and a non-zero exit, never a traceback.
Only `serve`, `demo`, `worker` and `migrate` make a new store; the commands that read one
(`report`, `verify`, `rebuild`, `token create`) refuse a store that does not exist.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

if TYPE_CHECKING:
    from domain.values import Actor
    from projections.reports import AnnualReport, NationalReport
    from projections.reports.source import ReportSource
    from workflow.settings import Settings


def parameter_help(command: TyperCommand | TyperGroup, ctx: Any, formatter: Any) -> None:
    """The Arguments and Options sections: real names (`CODE`, `--port PORT`), no `<int>`."""
    arguments = [
        (param.metavar or (param.name or "").upper(), param.help or "")
        for param in command.get_params(ctx)
        if isinstance(param, TyperArgument) and not param.hidden
    ]
    options = [
        record
        for param in command.get_params(ctx)
        if not isinstance(param, TyperArgument)
        and (record := param.get_help_record(ctx)) is not None
    ]
    if arguments:
        with formatter.section("Arguments"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("Options"):
            formatter.write_dl(options)


class Command(TyperCommand):
    """A command whose help and usage name its arguments plainly: `report annual CODE YEAR`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(param.metavar or (param.name or "").upper())
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        parameter_help(self, ctx, formatter)


class Group(TyperGroup):
    """A command group whose own help has no `<type>` labels either."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        parameter_help(self, ctx, formatter)
        self.format_commands(ctx, formatter)


def _typer(help: str) -> typer.Typer:
    return typer.Typer(
        help=help,
        cls=Group,
        no_args_is_help=True,
        add_completion=False,
        # Plain click help and errors: no boxes, no `<bool>` placeholders.
        rich_markup_mode=None,
    )


cli = _typer("Löftesboken: the system of record for medborgarlöften.")
cli.info.name = "loften"


def fail(message: str, code: int = 1) -> NoReturn:
    """Say what is wrong in a sentence on stderr and stop with `code` (2: a bad argument)."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


def settings_from_environment() -> Settings:
    """The settings, or a sentence naming the `LOFTEN_*` variable that cannot be read."""
    from pydantic import ValidationError

    from workflow.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "LOFTEN_" + "_".join(str(part) for part in error["loc"]).upper()
        fail(f"{name} cannot be used: {error['msg']}.", 2)


def reachable_store(settings: Settings) -> bool:
    """Whether the store the settings name holds events yet; a sentence if it cannot be used.

    Checks the URL, and for PostgreSQL connects once with a short timeout, so a server
    that does not answer is reported within seconds rather than after the pool's 30 s.
    """
    from infra.postgres import StoreUnreachable, probe
    from workflow.settings import ConfigurationError

    try:
        if settings.is_postgres:
            return probe(settings)
        if settings.is_sqlite:
            return settings.sqlite_path.is_file()
        settings.event_store_environment()  # refuses the URL in a sentence
    except ConfigurationError as exc:
        message = str(exc).rstrip(".")
        if "LOFTEN_DATABASE_URL" not in message:
            message = f"LOFTEN_DATABASE_URL cannot be used: {message}"
        fail(f"{message}.", 2)
    except StoreUnreachable as exc:
        fail(str(exc))
    raise AssertionError("unreachable: a URL is SQLite, PostgreSQL or refused")


def existing_store(settings: Settings) -> None:
    """Refuse a store that does not exist, rather than make an empty one and read zeros."""
    if not reachable_store(settings):
        fail(
            f"No event store at {settings.store_description()}; set LOFTEN_DATABASE_URL "
            "to the store to use (`loften serve` or `loften demo` makes a new one)."
        )


def check_port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port number; use 1 to 65535.")
    return value


def check_workers(value: int) -> int:
    if value < 1:
        raise typer.BadParameter(f"{value} is not a number of processes; use 1 or more.")
    return value


def check_listen(host: str, port: int) -> None:
    """Refuse an address this machine cannot listen on before the server starts."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        fail(
            f"Cannot listen on {host}:{port}: {reason[0].lower()}{reason[1:]}. "
            "Stop the program using it or choose another --port (or --host)."
        )


@cli.command(cls=Command)
def serve(
    host: str = typer.Option("127.0.0.1", metavar="ADDRESS", help="Address to listen on."),
    port: int = typer.Option(8000, metavar="PORT", callback=check_port, help="Port to listen on."),
    workers: int = typer.Option(
        1,
        "--workers",
        metavar="N",
        callback=check_workers,
        help="API processes (more than 1 needs PostgreSQL).",
    ),
    worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="With --workers above 1: also start `loften worker` (--no-worker: one runs "
        "elsewhere).",
    ),
) -> None:
    """Serve the HTTP API.

    One process (the default) runs the projections and the deadline watcher in-process.
    With PostgreSQL, `--workers N` runs N API processes that only write events and read
    views, plus one `loften worker` process for the background work unless --no-worker.
    Makes a new store if LOFTEN_DATABASE_URL names none yet.
    """
    settings = settings_from_environment()
    if workers > 1 and not settings.is_postgres:
        fail(
            f"--workers {workers} needs PostgreSQL (LOFTEN_DATABASE_URL=postgresql://...): "
            "a SQLite store is served by one process, which also keeps its views current. "
            "Run `loften serve` without --workers.",
            2,
        )
    reachable_store(settings)
    check_listen(host, port)
    import uvicorn

    if workers == 1:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port)
        return
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


@cli.command(
    "worker", cls=Command, short_help="Keep the views current and watch deadlines, without HTTP."
)
def run_worker() -> None:
    """Keep the views current and watch deadlines, without HTTP, until SIGINT or SIGTERM.

    Only one worker is active per projection: another one started against the same
    store waits, and takes over when the active one stops or dies.
    """
    import logging
    import signal
    import threading

    from infra.worker import Worker

    reachable_store(settings_from_environment())
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    raise typer.Exit(Worker().run(stopping))


@cli.command(cls=Command, short_help="Load a believable demo year into an empty store.")
def demo(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (and succeed) when the store already has events."
    ),
) -> None:
    """Load a believable demo year (Malmö; Stenungsund, Orust and Tjörn; Kiruna).

    Makes a new store if LOFTEN_DATABASE_URL names none yet; refuses one that has events.
    """
    from demo.load import DemoAlreadyLoaded, load_demo
    from infra.bootstrap import open_application

    settings = settings_from_environment()
    reachable_store(settings)
    app = open_application(settings)
    try:
        summary = load_demo(app)
    except DemoAlreadyLoaded as exc:
        if not if_empty:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        summary = "Demo data not loaded: the store already has events."
    finally:
        app.close()
    typer.echo(summary)
    typer.echo(_demo_sign_ins(settings))


def _demo_sign_ins(settings: Settings) -> str:
    """Tokens for Malmö's kommunpolis and safety coordinator, so the workspace can be tried
    at once; new ones at every run (each is shown only this once)."""
    from demo.story import KOMMUN_MALMO, MALMO, POLIS_MALMO
    from infra.bootstrap import open_api_stores

    stores = open_api_stores(settings)
    try:
        lines = [
            "Sign in to the workspace at http://127.0.0.1:8000/arbete/ with one of these "
            "access tokens (shown this once; `loften token create` makes more):"
        ]
        for actor in (POLIS_MALMO, KOMMUN_MALMO):
            issued = stores.tokens.issue(actor.role, [MALMO], actor.label, actor=_cli_actor())
            lines.append(f"  {actor.label} ({actor.role.value}, Malmö): {issued.secret}")
    finally:
        stores.close()
    return "\n".join(lines)


token_cli = _typer("Issue, list and revoke bearer tokens for the API.")
cli.add_typer(token_cli, name="token")


def _cli_actor() -> Actor:
    """Who a token command records as its actor: the CLI and the system user running it."""
    import getpass

    from domain.values import Actor, Role

    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "unknown user"
    return Actor(label=f"loften token (CLI, {user})", role=Role.ADMIN)


@token_cli.command("create", cls=Command, short_help="Issue a token and print it, this once.")
def token_create(
    role: str = typer.Option(..., metavar="ROLE", help="police, municipality, auditor or admin."),
    municipality: Annotated[
        list[str] | None,
        typer.Option(
            "--municipality",
            "-m",
            metavar="CODE",
            help="A kommunkod the token acts for (repeat for more).",
        ),
    ] = None,
    label: str = typer.Option(
        ..., metavar="LABEL", help="Who uses the token; recorded on every event."
    ),
    expires_on: str | None = typer.Option(
        None,
        "--expires-on",
        metavar="DATE",
        help="The token's last day, YYYY-MM-DD (Europe/Stockholm); not in the past.",
    ),
) -> None:
    """Issue a token and print it; it is shown this once and stored only as a hash."""
    from pydantic import ValidationError

    from api.schemas.tokens import CreateToken
    from domain.values import Role
    from infra.bootstrap import open_api_stores
    from workflow.clock import SystemClock, today

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
        fail(f"--expires-on may not be in the past (today is {now.isoformat()}).", 2)
    settings = settings_from_environment()
    existing_store(settings)
    stores = open_api_stores(settings)
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


@token_cli.command("list", cls=Command, short_help="List the tokens (never a secret).")
def token_list() -> None:
    """List the tokens (never a secret): id, role, municipalities, label and life cycle."""
    from infra.bootstrap import open_api_stores

    settings = settings_from_environment()
    existing_store(settings)
    stores = open_api_stores(settings)
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


@token_cli.command("revoke", cls=Command, short_help="Revoke a token in every server.")
def token_revoke(
    token_id: str = typer.Argument(..., metavar="ID", help="The id `loften token list` shows."),
) -> None:
    """Revoke a token: every server refuses it within 5 seconds."""
    from infra.bootstrap import open_api_stores

    settings = settings_from_environment()
    existing_store(settings)
    stores = open_api_stores(settings)
    try:
        if stores.tokens.get(token_id) is None:
            fail(f"No token with id {token_id} (see `loften token list`).")
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
def rebuild() -> None:
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
                lambda reached, head: progress.update(task, completed=reached, total=head)
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
    from infra.bootstrap import open_application, open_read_side
    from projections.verification import verify_municipalities

    if url is not None or position is not None or head is not None:
        verify_url(url, municipality, position, head)
        return
    if municipality is not None:
        try:
            find_municipality(municipality)
        except UnknownMunicipality as exc:
            fail(f"{exc.message}.", 2)
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


# -- reports: a municipality's annual report and national coverage, to a file or stdout ---------

report_cli = _typer("Write a report (JSON, CSV, HTML or PDF), read from the views.")
cli.add_typer(report_cli, name="report")

FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="pdf, html, csv or json.", case_sensitive=False
    ),
]
LangOption = Annotated[
    str, typer.Option("--lang", metavar="LANG", help="Language of HTML and PDF: sv or en.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="The file to write (without it, JSON, CSV and HTML go to stdout).",
    ),
]
CodeArgument = Annotated[
    str, typer.Argument(metavar="CODE", help="The municipality's kommunkod, e.g. 1280.")
]
YearArgument = Annotated[int, typer.Argument(metavar="YEAR", help="The calendar year.")]


@report_cli.command("annual", cls=Command)
def report_annual(
    code: CodeArgument,
    year: YearArgument,
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
        fail(f"{exc.message}.", 2)
    _write_report(lambda source: source.annual(code, year), year, format, lang, output)


@report_cli.command(
    "national", cls=Command, short_help="National coverage of promises in force in one year."
)
def report_national(
    year: YearArgument,
    format: FormatOption = "json",
    lang: LangOption = "sv",
    output: OutputOption = None,
) -> None:
    """National coverage: which of the 290 municipalities had a promise in force."""
    _write_report(lambda source: source.national(year), year, format, lang, output)


def check_output(output: Path) -> None:
    """Refuse a file that cannot be written before any work is done."""
    folder = output.parent
    if output.is_dir():
        fail(f"Cannot write {output}: it is a directory; give a file name.", 2)
    if not folder.is_dir():
        fail(f"Cannot write {output}: the directory {folder} does not exist.", 2)
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        fail(f"Cannot write {output}: permission denied.", 2)


def _write_report(
    build: Callable[[ReportSource], AnnualReport | NationalReport],
    year: int,
    format: str,
    lang: str,
    output: Path | None,
) -> None:
    """Catch the views up with the store, build the report, render it, and write it.

    The arguments and the store are checked before the reports' libraries are imported
    (seconds on a busy machine), so a mistake is answered at once.
    """
    if not 1900 <= year <= 2999:
        fail(f"The year must be a calendar year from 1900 to 2999, not {year}.", 2)
    if output is not None:
        check_output(output)
    settings = settings_from_environment()
    existing_store(settings)

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

    try:
        form = choose_format(format=format)
        language = parse_lang(lang)
    except (UnknownFormat, UnsupportedLanguage) as exc:
        message = str(exc)
        fail(message[0].upper() + message[1:], 2)
    if form is ReportFormat.PDF and output is None:
        fail("A PDF is written to a file: give --output FILE.", 2)
    app = open_application(settings)
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
    try:
        output.write_bytes(rendered.body)
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}.")
    typer.echo(f"Wrote {output} ({len(rendered.body)} bytes).", err=True)


# -- open data: the public record as a Frictionless Data Package -----------------------------

export_cli = _typer("Export the public record, read from the views.")
cli.add_typer(export_cli, name="export")


@export_cli.command(
    "open-data", cls=Command, short_help="The open data as a zip file (a Data Package, CC0-1.0)."
)
def export_open_data(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The zip file to write.")
    ],
    municipality_code: Annotated[
        str | None,
        typer.Option(
            "--municipality",
            metavar="CODE",
            help="One municipality's kommunkod, e.g. 1280 (without it, the whole country).",
        ),
    ] = None,
) -> None:
    """The public record (a municipality's, or the whole country's) as the Frictionless Data
    Package that /api/v1/open-data/ serves: datapackage.json and one CSV per table."""
    from domain.errors import UnknownMunicipality
    from domain.reference import municipality

    if municipality_code is not None:
        try:
            municipality(municipality_code)
        except UnknownMunicipality as exc:
            fail(f"{exc.message}.", 2)
    check_output(output)
    settings = settings_from_environment()
    existing_store(settings)

    from infra.bootstrap import open_application, open_read_side
    from projections.open_data import open_data_package, read_tables

    app = open_application(settings)
    read_side = open_read_side(app, app.settings)
    try:
        read_side.catch_up()
        package = open_data_package(
            read_tables(read_side.catalogue, read_side.pages, municipality_code)
        )
    finally:
        read_side.close()
        app.close()
    try:
        output.write_bytes(package.body)
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}.")
    typer.echo(f"Wrote {output} ({len(package.body)} bytes).", err=True)


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


if __name__ == "__main__":
    main()
