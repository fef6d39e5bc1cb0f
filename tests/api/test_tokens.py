"""Tokens: issued by an admin or the CLI, stored only as hashes, recorded as the actor."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from domain.values import Actor, Role
from entrypoints.cli import cli
from infra.bootstrap import open_application
from infra.tokens import BOOTSTRAP_ADMIN_LABEL, hash_secret
from tests.support.api import (
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
    assert issued.keys() == {
        "id", "token", "role", "municipalities", "label", "created_at", "expires_on"
    }  # fmt: skip
    assert issued["expires_on"] is None
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
    missing = runner.invoke(cli, ["token", "create", "--role", "admin", "--label", "Drift"])
    assert missing.exit_code == 1, "a token is not issued for a store that does not exist"
    open_application(settings, clock).close()  # the store, as `loften serve` makes it
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


# -- the life cycle: listed, expiring, revoked -------------------------------------------


def _issue(api: Api, **body: Any) -> dict[str, Any]:
    response = api.post(
        "/api/v1/tokens",
        {"role": "police", "municipalities": [MALMO], "label": "Kommunpolis"} | body,
    )
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


def _as(api: Api, secret: str) -> Any:
    return api.client.post(
        "/api/v1/dialogues", json=dialogue_body(), headers={"Authorization": f"Bearer {secret}"}
    )


def test_the_listing_shows_each_token_but_never_a_secret(api: Api) -> None:
    issued = _issue(api, label="Kommunpolis Rosengård", expires_on="2025-12-31")
    listed = api.get("/api/v1/tokens", "admin")
    assert listed.status_code == 200
    items = listed.json()["items"]
    mine = next(item for item in items if item["id"] == issued["id"])
    assert mine.keys() == {
        "id", "role", "municipalities", "label", "created_at", "expires_on", "last_used_on",
        "revoked_at", "created_by", "revoked_by",
    }  # fmt: skip
    assert mine["expires_on"] == "2025-12-31" and mine["revoked_at"] is None
    assert mine["created_by"] == {"label": BOOTSTRAP_ADMIN_LABEL, "role": "admin"}
    assert mine["last_used_on"] is None
    assert _as(api, issued["token"]).status_code == 201
    used = api.get(f"/api/v1/tokens/{issued['id']}", "admin").json()
    assert used["last_used_on"] == "2025-02-10"
    text = listed.text + api.get(f"/api/v1/tokens/{issued['id']}", "admin").text
    for secret in [issued["token"], ADMIN_SECRET, *api.secrets.values()]:
        assert secret not in text
    labels = [item["label"] for item in items]
    assert BOOTSTRAP_ADMIN_LABEL not in labels  # the bootstrap admin is not listed
    assert {"police label", "auditor label"} <= set(labels)


def test_the_listing_is_paged_and_for_admins_only(api: Api) -> None:
    for n in range(3):
        _issue(api, label=f"Polis {n}")
    first = api.client.get("/api/v1/tokens?limit=2", headers=api.headers()).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api.client.get(
        f"/api/v1/tokens?limit=500&cursor={first['next_cursor']}", headers=api.headers()
    ).json()
    ids = [item["id"] for item in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == len(api.secrets) - 1 + 3
    for caller, status in (("public", 401), ("auditor", 403), ("police", 403)):
        assert api.get("/api/v1/tokens", caller).status_code == status
        assert (
            api.client.delete(f"/api/v1/tokens/{ids[0]}", headers=api.headers(caller)).status_code
            == status
        )


def test_a_revoked_token_is_401_saying_so_and_the_revocation_is_kept_with_its_actor(
    api: Api,
) -> None:
    issued = _issue(api)
    assert _as(api, issued["token"]).status_code == 201
    deleted = api.client.delete(f"/api/v1/tokens/{issued['id']}", headers=api.headers())
    assert deleted.status_code == 204
    refused = _as(api, issued["token"])
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "revoked" in refused.json()["detail"]
    public_read = api.client.get(
        "/api/v1/municipalities", headers={"Authorization": f"Bearer {issued['token']}"}
    )
    assert public_read.status_code == 401  # public reads included
    record = api.get(f"/api/v1/tokens/{issued['id']}", "admin").json()
    assert record["revoked_at"] is not None
    assert record["revoked_by"] == {"label": BOOTSTRAP_ADMIN_LABEL, "role": "admin"}
    again = api.client.delete(f"/api/v1/tokens/{issued['id']}", headers=api.headers())
    assert again.status_code == 204
    assert api.get(f"/api/v1/tokens/{issued['id']}", "admin").json() == record


def test_unknown_tokens_and_the_bootstrap_admin_are_not_revoked_over_http(api: Api) -> None:
    for token_id in ("00000000-0000-0000-0000-000000000000", "inte-ett-id"):
        response = api.client.delete(f"/api/v1/tokens/{token_id}", headers=api.headers())
        assert response.status_code == 404
    bootstrap = api.app.state.tokens.find(ADMIN_SECRET)
    response = api.client.delete(f"/api/v1/tokens/{bootstrap.id}", headers=api.headers())
    assert response.status_code == 404
    assert api.get("/api/v1/tokens", "admin").status_code == 200


def test_a_token_works_through_its_last_day_and_is_401_expired_after(
    api: Api, clock: FakeClock
) -> None:
    issued = _issue(api, expires_on="2025-02-11")
    assert _as(api, issued["token"]).status_code == 201
    clock.advance(timedelta(days=1))
    assert _as(api, issued["token"]).status_code == 201
    clock.advance(timedelta(days=1))
    refused = _as(api, issued["token"])
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"] and "2025-02-11" in refused.json()["detail"]


def test_an_expiry_in_the_past_is_422(api: Api) -> None:
    response = api.post(
        "/api/v1/tokens",
        {"role": "auditor", "label": "Revisor", "expires_on": "2025-02-09"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "expires_on"]
    assert _issue(api, expires_on="2025-02-10")["expires_on"] == "2025-02-10"  # today is fine


def test_the_cli_lists_and_revokes_tokens_and_issues_expiring_ones(
    store: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api_settings(store)
    monkeypatch.setenv("LOFTEN_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    assert runner.invoke(cli, ["token", "list"]).exit_code == 1, "no store, no list"
    open_application(settings, clock).close()  # the store, as `loften serve` makes it
    created = runner.invoke(
        cli,
        [
            "token",
            "create",
            "--role",
            "auditor",
            "--label",
            "Revisor",
            "--expires-on",
            "2099-12-31",
        ],
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip()
    past = runner.invoke(
        cli, ["token", "create", "--role", "auditor", "--label", "R", "--expires-on", "2001-01-01"]
    )
    assert past.exit_code == 2 and "past" in past.output
    listed = runner.invoke(cli, ["token", "list"])
    assert listed.exit_code == 0 and secret not in listed.output
    (row,) = [line for line in listed.output.splitlines() if "Revisor" in line]
    token_id = row.split("\t")[0]
    assert "2099-12-31" in row
    with TestClient(create_app(settings, clock)) as client:
        record = client.get(
            f"/api/v1/tokens/{token_id}", headers={"Authorization": f"Bearer {ADMIN_SECRET}"}
        ).json()
        assert record["created_by"]["label"].startswith("loften token (CLI")
    revoked = runner.invoke(cli, ["token", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert runner.invoke(cli, ["token", "revoke", "nej"]).exit_code == 1
    with TestClient(create_app(settings, clock)) as client:
        response = client.get(
            "/api/v1/municipalities", headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 401 and "revoked" in response.json()["detail"]
