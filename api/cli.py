"""The `loften` command line: serve the API, load the demo, manage tokens, inspect the store."""

from __future__ import annotations

from typing import Annotated

import typer

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
) -> None:
    """Serve the HTTP API (with projections and the deadline watcher in-process on SQLite)."""
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port)


@cli.command()
def demo(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (and succeed) when the store already has events."
    ),
) -> None:
    """Load a believable demo year (Malmö; Stenungsund, Orust and Tjörn; Kiruna)."""
    from workflow.application import Loftesboken
    from workflow.demo import DemoAlreadyLoaded, load_demo

    app = Loftesboken()
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


token_cli = typer.Typer(help="Issue bearer tokens for the API.", no_args_is_help=True)
cli.add_typer(token_cli, name="token")


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
) -> None:
    """Issue a token and print it; it is shown this once and stored only as a hash."""
    from pydantic import ValidationError

    from api.schemas.tokens import CreateToken
    from api.stores import open_api_stores
    from domain.values import Role
    from workflow.settings import Settings

    try:
        request = CreateToken.model_validate(
            {"role": role, "municipalities": municipality or [], "label": label}
        )
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "token"
            typer.echo(f"{where}: {error['msg']}", err=True)
        raise typer.Exit(2) from None
    stores = open_api_stores(Settings())
    try:
        issued = stores.tokens.issue(Role(request.role), request.municipalities, request.label)
    finally:
        stores.close()
    typer.echo(issued.secret)


def main() -> None:
    cli()


# -- read side: rebuild the views, verify the audit chains --------------------------------
# Self-contained on purpose (its own imports, inside the commands): the projections'
# maintenance commands, kept apart from the serving commands above.


@cli.command()
def rebuild() -> None:
    """Drop every view and rebuild it from the event store, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from api.stores import open_read_side
    from workflow.application import Loftesboken

    app = Loftesboken()
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

    from api.stores import open_read_side
    from domain.errors import UnknownMunicipality
    from domain.reference import municipality as find_municipality
    from projections.audit import verify_municipalities
    from workflow.application import Loftesboken

    if municipality is not None:
        try:
            find_municipality(municipality)
        except UnknownMunicipality as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(2) from None
    console = Console()
    app = Loftesboken()
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
