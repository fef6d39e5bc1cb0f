"""The `loften` command line: serve the API, load the demo, manage tokens, inspect the store.

Every mistake an operator can make here (a store that is not there, a URL it cannot
use, a PostgreSQL that does not answer, a file it cannot write, a port out of range)
is answered with a sentence or two in English and a non-zero exit, never a traceback.
Only `serve`, `demo`, `worker` and `migrate` make a new store; the commands that read one
(`report`, `verify`, `rebuild`, `token create`) refuse a store that does not exist.
The help format and those checks are in `entrypoints.cli_support`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from entrypoints.cli_support import (
    Command,
    check_connection_budget,
    check_listen,
    check_port,
    check_workers,
    command_group,
    fail,
    reachable_store,
    settings_from_environment,
)

if TYPE_CHECKING:
    from domain.values import Actor
    from workflow.settings import Settings


#: prometheus-client's variable naming the directory a deployment's processes share.
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"

#: How long a stopping server lets the requests under way finish before it closes them.
GRACEFUL_SHUTDOWN_SECONDS = 20


cli = command_group("Löftesboken: the system of record for medborgarlöften.")
cli.info.name = "loften"


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
