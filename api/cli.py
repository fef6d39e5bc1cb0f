"""The `loften` command line: serve the API, load the demo, manage tokens, inspect the store."""

from __future__ import annotations

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


def main() -> None:
    cli()
