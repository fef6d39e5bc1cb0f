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
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

if TYPE_CHECKING:
    from domain.values import Actor
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


def command_group(help: str) -> typer.Typer:
    return typer.Typer(
        help=help,
        cls=Group,
        no_args_is_help=True,
        add_completion=False,
        # Plain click help and errors: no boxes, no `<bool>` placeholders.
        rich_markup_mode=None,
    )


cli = command_group("Löftesboken: the system of record for medborgarlöften.")
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
        message = str(error["msg"]).removeprefix("Value error, ")
        if not error["loc"]:  # a rule across settings: its message names them
            fail(f"{message}.", 2)
        name = "LOFTEN_" + "_".join(str(part) for part in error["loc"]).upper()
        fail(f"{name} cannot be used: {message}.", 2)


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


def check_connection_budget(settings: Settings, api_processes: int, *, worker: bool) -> None:
    """Refuse to start what PostgreSQL has no connections for, in a sentence, before any
    pool waits its 30 s for a connection that never comes."""
    from infra.postgres import connections_per_process, free_connections

    each = connections_per_process(settings)
    need = api_processes * each if api_processes else 0
    parts = [f"{api_processes} API process{'es' if api_processes > 1 else ''} x {each}"]
    if worker:
        worker_needs = connections_per_process(settings, worker=True)
        need += worker_needs
        parts.append(f"a worker's {worker_needs}")
    if not api_processes:
        parts = parts[1:]
    free = free_connections(settings)
    if need > free:
        fail(
            f"This deployment needs {need} PostgreSQL connections ({' + '.join(parts)}), "
            f"but PostgreSQL accepts only {free} more now. Raise max_connections (or the "
            "role's CONNECTION LIMIT), lower ?pool_size, or run fewer --workers."
        )


#: prometheus-client's variable naming the directory a deployment's processes share.
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"

#: How long a stopping server lets the requests under way finish before it closes them.
GRACEFUL_SHUTDOWN_SECONDS = 20


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
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="Proxies whose X-Forwarded-For/-Proto are trusted (comma-separated, or *).",
    ),
    root_path: str = typer.Option(
        "", "--root-path", metavar="PATH", help="The path prefix a reverse proxy serves us under."
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
    if settings.is_postgres:
        check_connection_budget(settings, workers, worker=worker and workers > 1)
    check_listen(host, port)
    from entrypoints.graceful import GracefulH11Protocol

    # Our JSON request lines replace uvicorn's access log; on SIGTERM uvicorn stops
    # accepting first, then lets the requests under way finish (at most the timeout);
    # `entrypoints.graceful` closes no connection that has a request on its way.
    options: dict[str, Any] = {
        "factory": True,
        "http": GracefulH11Protocol,
        "host": host,
        "port": port,
        "access_log": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "forwarded_allow_ips": forwarded_allow_ips,
        "root_path": root_path,
    }
    with startup_failure_file() as failure:
        if workers == 1:
            serve_one_process(options)
        else:
            serve_processes(workers, worker, options)
        if failure.stat().st_size:
            fail(failure.read_text(encoding="utf-8"), 3)


def serve_one_process(options: dict[str, Any]) -> None:
    """What `uvicorn.run` does for one process, with the server that drains its backlog."""
    import uvicorn

    from entrypoints.graceful import GracefulServer

    config = uvicorn.Config("api.app:create_app", **options)
    config.load_app()
    server = GracefulServer(config)
    exit_zero_after_sigterm()
    with suppress(KeyboardInterrupt):  # SIGINT, raised again after the graceful stop
        server.run()
    if not server.started:
        raise typer.Exit(3)


def exit_zero_after_sigterm() -> None:
    """Make a SIGTERM that uvicorn has answered with a graceful stop end the process with 0.

    uvicorn handles SIGTERM itself while it serves (stop accepting, finish the requests
    under way, run the lifespan's shutdown), then raises the signal again under the
    handler it found. With the default one the process then dies "killed by SIGTERM"
    (status -15) without running any clean-up of ours; with this one it exits 0. A
    SIGTERM before uvicorn took over (nothing is served yet) exits 0 at once as well.
    """
    import signal

    def stopped(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stopped)


@contextmanager
def startup_failure_file() -> Iterator[Path]:
    """A file an API process that cannot start writes its one sentence to (`api.startup`)."""
    from api.startup import STARTUP_FAILURE_FILE

    with tempfile.TemporaryDirectory(prefix="loften-serve-") as directory:
        # The pid tells the process that serves in this one (no --workers) to say it itself.
        path = Path(directory) / f"startup-failure-{os.getpid()}"
        path.touch()
        os.environ[STARTUP_FAILURE_FILE] = str(path)
        try:
            yield path
        finally:
            os.environ.pop(STARTUP_FAILURE_FILE, None)


def serve_processes(workers: int, worker: bool, options: dict[str, Any]) -> None:
    """`workers` API processes, and unless told otherwise the one worker beside them."""
    import uvicorn

    from infra.supervise import WorkerProcess

    # Inherited by the API processes uvicorn starts: they leave the background to the worker.
    os.environ["LOFTEN_RUN_BACKGROUND_WORK"] = "false"
    with shared_metrics_directory():
        background = WorkerProcess() if worker else None
        if background is not None:
            background.start()
        try:
            uvicorn.run("api.app:create_app", workers=workers, **options)
        finally:
            if background is not None:
                background.stop()


@contextmanager
def shared_metrics_directory() -> Iterator[None]:
    """A directory where every process of this deployment writes its metrics, so that the
    one answering a scrape reports them all (prometheus-client's multiprocess mode).

    The operator's `PROMETHEUS_MULTIPROC_DIR` if set (emptied of an earlier run's files
    first, as the library requires), else a temporary one, removed at the end.
    """
    # Not imported from infra.metrics: this process must not load prometheus-client (it
    # would write files of its own there), only the processes it starts.
    given = os.environ.get(MULTIPROCESS_DIRECTORY)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        yield
        return
    with tempfile.TemporaryDirectory(prefix="loften-metrics-") as directory:
        os.environ[MULTIPROCESS_DIRECTORY] = directory
        try:
            yield
        finally:
            os.environ.pop(MULTIPROCESS_DIRECTORY, None)


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

    settings = settings_from_environment()
    reachable_store(settings)
    if settings.is_postgres:
        check_connection_budget(settings, 0, worker=True)
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
            issued = stores.tokens.issue(actor.role, [MALMO], actor.label, actor=cli_actor())
            lines.append(f"  {actor.label} ({actor.role.value}, Malmö): {issued.secret}")
    finally:
        stores.close()
    return "\n".join(lines)


def cli_actor() -> Actor:
    """Who a token command records as its actor: the CLI and the system user running it."""
    import getpass

    from domain.values import Actor, Role

    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "unknown user"
    return Actor(label=f"loften token (CLI, {user})", role=Role.ADMIN)


def main() -> None:
    cli()


# The other commands register themselves on `cli` (they import it from here), in the
# order `loften --help` lists them.
# isort: off
from entrypoints import token_commands  # noqa: E402, F401
from entrypoints import store_commands  # noqa: E402, F401
from entrypoints import report_commands  # noqa: E402, F401
# isort: on

if __name__ == "__main__":
    main()
