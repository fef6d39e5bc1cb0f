"""Tokens: issued by an admin or the CLI, stored only as hashes, recorded as the actor."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from domain.values import Actor, Role
from entrypoints.cli import cli
from infra.tokens import BOOTSTRAP_ADMIN_LABEL, hash_secret
from tests.api.conftest import (
    ADMIN_SECRET,
    BOTH_STORES,
    MALMO,
    Api,
    api_settings,
    dialogue_body,
)
from workflow.clock import FakeClock

pytestmark = BOTH_STORES


def test_an_admin_issues_a_token_that_acts_with_its_label(api: Api) -> None:
    response = api.post(
        "/api/v1/tokens",
        {"role": "municipality", "municipalities": [MALMO], "label": "Trygghetssamordnare"},
    )
    assert response.status_code == 201
    issued = response.json()
    assert issued.keys() == {"token", "role", "municipalities", "label"}
    assert issued["role"] == "municipality" and issued["municipalities"] == [MALMO]
    assert len(issued["token"]) > 40

    headers = {"Authorization": f"Bearer {issued['token']}"}
    response = api.client.post("/api/v1/dialogues", json=dialogue_body(), headers=headers)
    assert response.status_code == 201
    (event,) = api.loftesboken.aggregate_events(UUID(response.json()["id"]))
    assert event.actor == Actor("Trygghetssamordnare", Role.MUNICIPALITY)
    stockholm = dialogue_body("0180")
    response = api.client.post("/api/v1/dialogues", json=stockholm, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"role": "police", "label": "Utan kommun"},
        {"role": "auditor", "municipalities": [MALMO], "label": "Revisor med kommun"},
        {"role": "police", "municipalities": [MALMO, MALMO], "label": "Dubbel"},
        {"role": "police", "municipalities": ["9999"], "label": "Okänd kommun"},
        {"role": "system", "label": "Systemet"},
        {"role": "public", "label": "Allmänheten"},
        {"role": "admin", "label": ""},
        {"role": "admin", "label": "x", "scope": "all"},
    ],
)
def test_token_requests_that_make_no_sense_are_422(shared_api: Api, body: dict) -> None:  # type: ignore[type-arg]
    response = shared_api.post("/api/v1/tokens", body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def everything_the_api_stored(store: str, tmp_path: Path) -> bytes:
    """The API's SQLite files byte for byte, or every row of its PostgreSQL tables."""
    if store.startswith("sqlite"):
        return b"".join(p.read_bytes() for p in tmp_path.glob("*.api.sqlite3*"))
    with psycopg.connect(store) as connection:
        rows = [
            *connection.execute("SELECT * FROM loften_tokens").fetchall(),
            *connection.execute("SELECT * FROM loften_idempotency").fetchall(),
        ]
    return repr(rows).encode()


def test_only_hashes_are_stored(api: Api, store: str, tmp_path: Path) -> None:
    issued = api.post("/api/v1/tokens", {"role": "auditor", "label": "Revisor"}).json()
    api.post(
        "/api/v1/dialogues",
        dialogue_body(),
        **{"Idempotency-Key": "k1"},
    )
    stored = everything_the_api_stored(store, tmp_path)
    assert stored and hash_secret(issued["token"]).encode() in stored
    assert issued["token"].encode() not in stored
    assert ADMIN_SECRET.encode() not in stored


def test_the_admin_token_comes_from_the_environment_and_can_be_replaced(
    store: str, clock: FakeClock
) -> None:
    with TestClient(create_app(api_settings(store, admin="first"), clock)) as client:
        token = client.app.state.tokens.find("first")  # type: ignore[attr-defined]
        assert token.role is Role.ADMIN and token.label == BOOTSTRAP_ADMIN_LABEL
        response = client.post(
            "/api/v1/dialogues", json=dialogue_body(), headers={"Authorization": "Bearer first"}
        )
        assert response.status_code == 201
    with TestClient(create_app(api_settings(store, admin="second"), clock)) as client:
        for secret, status in (("first", 401), ("second", 201)):
            response = client.post(
                "/api/v1/dialogues",
                json=dialogue_body(),
                headers={"Authorization": f"Bearer {secret}"},
            )
            assert response.status_code == status


def test_the_cli_issues_tokens(
    store: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api_settings(store)
    monkeypatch.setenv("LOFTEN_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["token", "create", "--role", "police", "-m", MALMO, "--label", "Kommunpolis Malmö"],
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    refused = runner.invoke(cli, ["token", "create", "--role", "police", "--label", "Ingen"])
    assert refused.exit_code == 2

    with TestClient(create_app(settings, clock)) as client:
        response = client.post(
            "/api/v1/dialogues", json=dialogue_body(), headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 201
        application = client.app.state.loftesboken  # type: ignore[attr-defined]
        (event,) = application.aggregate_events(UUID(response.json()["id"]))
        assert event.actor == Actor("Kommunpolis Malmö", Role.POLICE)
