"""What every `loften` command shares: help that lists options plainly, and the checks
that turn an operator's mistake (no store, a bad URL, a busy port) into a sentence."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

if TYPE_CHECKING:
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
