"""`loften token create|list|revoke`: bearer tokens for the API, issued from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from entrypoints.cli import cli, cli_actor
from entrypoints.cli_support import (
    Command,
    command_group,
    existing_store,
    fail,
    settings_from_environment,
)

token_cli = command_group("Issue, list and revoke bearer tokens for the API.")
cli.add_typer(token_cli, name="token")


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
            actor=cli_actor(),
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
        record = stores.tokens.revoke(token_id, cli_actor())
    finally:
        stores.close()
    assert record is not None and record.revoked_at is not None
    typer.echo(f"Revoked {record.id} ({record.label}) at {record.revoked_at:%Y-%m-%d %H:%M} UTC.")
