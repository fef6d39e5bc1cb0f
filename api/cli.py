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

    from api.app import api_store_path
    from api.schemas.tokens import CreateToken
    from api.tokens import SQLiteTokenStore
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
    store = SQLiteTokenStore(api_store_path(Settings()))
    issued = store.issue(Role(request.role), request.municipalities, request.label)
    typer.echo(issued.secret)


def main() -> None:
    cli()
