"""End to end: a real `loften serve` process on a free port, driven over HTTP.

These few tests check what only a real process shows: the console script starts,
the admin token comes from the environment, the lifespan starts and stops the
background services, and the store survives a restart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.support.processes import READ_WAIT_SECONDS

pytestmark = pytest.mark.e2e

ADMIN = "e2e-admin-token-0123456789abcdef"
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """One `loften serve` process on loopback."""

    def __init__(self, database: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "LOFTEN_DATABASE_URL": f"sqlite:///{database}",
            "LOFTEN_ADMIN_TOKEN": ADMIN,
            "LOFTEN_READ_WAIT_SECONDS": READ_WAIT_SECONDS,
        }
        loften = Path(sys.executable).with_name("loften")
        self.process = subprocess.Popen(
            [str(loften), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        # Start-up imports the report libraries; on a shared 2-core machine under load that
        # alone took 33 s, so 30 s was not enough to tell a slow start from a broken one.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"loften serve exited early:\n{self.process.stdout.read()}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"loften serve did not answer /healthz within {STARTUP_SECONDS} s")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "loften.sqlite3"


@pytest.fixture
def server(database: Path) -> Iterator[Server]:
    running = Server(database)
    yield running
    running.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create_token(client: httpx.Client, role: str, municipalities: list[str], label: str) -> str:
    response = client.post(
        "/api/v1/tokens",
        json={"role": role, "municipalities": municipalities, "label": label},
        headers=bearer(ADMIN),
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def test_a_promise_is_made_over_http_and_survives_a_restart(database: Path) -> None:
    server = Server(database)
    today = date.today()
    held = (today - timedelta(days=30)).isoformat()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            police = create_token(client, "police", ["1280"], "Kommunpolis Malmö")
            kommun = create_token(client, "municipality", ["1280"], "Trygghetssamordnare Malmö")

            dialogue = client.post(
                "/api/v1/dialogues",
                json={
                    "municipality": "1280",
                    "kind": "safety_walk",
                    "held_on": held,
                    "title": "Trygghetsvandring Möllevången",
                    "participants": 24,
                },
                headers=bearer(police),
            )
            assert dialogue.status_code == 201, dialogue.text
            dialogue_id = dialogue.json()["id"]
            observed = client.post(
                f"/api/v1/dialogues/{dialogue_id}/observations",
                json={
                    "observations": [
                        {
                            "theme": "public_environment",
                            "summary": "Mörk gångtunnel under järnvägen upplevs otrygg",
                            "count": 9,
                            "note": "Internt: boende nämnde en specifik port",
                        }
                    ]
                },
                headers=bearer(police),
            )
            assert observed.status_code == 201, observed.text
            observation_id = observed.json()["observations"][0]["id"]

            issue = client.post(
                "/api/v1/issues",
                json={
                    "municipality": "1280",
                    "title": "Otrygga passager kvällstid",
                    "theme": "public_environment",
                    "description": "Gångtunnlar och dåligt upplysta stråk.",
                    "evidence": [{"dialogue_id": dialogue_id, "observation_id": observation_id}],
                },
                headers=bearer(kommun),
            )
            assert issue.status_code == 201, issue.text
            issue_id = issue.json()["id"]
            prioritised = client.post(
                f"/api/v1/issues/{issue_id}/prioritisation",
                json={"priority": 1, "rationale": "Nämns i alla dialoger"},
                headers=bearer(kommun),
            )
            assert prioritised.status_code == 200, prioritised.text

            promise = client.post(
                "/api/v1/promises",
                json={
                    "municipalities": ["1280"],
                    "police_district": "LPO Malmö Centrum",
                    "starts_on": today.replace(month=1, day=1).isoformat(),
                    "ends_on": today.replace(month=12, day=31).isoformat(),
                    "title": "Tryggare stråk i Möllevången",
                    "text": "Polisen och Malmö stad lovar att göra stråken tryggare.",
                    "addresses": [issue_id],
                    "activities": [
                        {
                            "description": "Minst fyra trygghetsvandringar",
                            "responsible": "police",
                            "due_on": today.replace(month=12, day=1).isoformat(),
                        }
                    ],
                },
                headers=bearer(police),
            )
            assert promise.status_code == 201, promise.text
            promise_id = promise.json()["id"]
            assert promise.headers["location"].endswith(promise_id)

            # A draft is not public.
            assert client.get(f"/api/v1/promises/{promise_id}").status_code == 404

            for token, body in [
                (
                    police,
                    {
                        "party": "police",
                        "name": "Lena Holm",
                        "title": "Lokalpolisområdeschef",
                        "signed_on": held,
                    },
                ),
                (
                    kommun,
                    {
                        "party": "municipality",
                        "municipality": "1280",
                        "name": "Erik Sand",
                        "title": "Kommunstyrelsens ordförande",
                        "signed_on": held,
                    },
                ),
            ]:
                signed = client.post(
                    f"/api/v1/promises/{promise_id}/signatures",
                    json=body,
                    headers=bearer(token),
                )
                assert signed.status_code == 201, signed.text
            version = signed.json()["version"]
            issued = client.post(
                f"/api/v1/promises/{promise_id}/issuance",
                json={"issued_on": held},
                headers={**bearer(police), "If-Match": f'"{version}"'},
            )
            assert issued.status_code == 200, issued.text
            assert issued.json()["status"] == "issued"
            assert issued.headers["etag"] == f'"{issued.json()["version"]}"'

            public = client.get(f"/api/v1/promises/{promise_id}")
            assert public.status_code == 200
            assert public.json()["follow_ups"], "issuance schedules follow-ups"
            dialogue_public = client.get(f"/api/v1/dialogues/{dialogue_id}").json()
            assert "Internt" not in str(dialogue_public)
    finally:
        assert server.stop() == 0

    again = Server(database)
    try:
        response = httpx.get(f"{again.url}/api/v1/promises/{promise_id}", timeout=10)
        assert response.status_code == 200
        assert response.json()["status"] == "issued"
    finally:
        assert again.stop() == 0


def test_bad_input_is_a_problem_document_not_a_crash(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        response = client.post(
            "/api/v1/dialogues",
            content=b"{not json",
            headers={**bearer(ADMIN), "Content-Type": "application/json"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert client.get("/api/v1/promises/not-a-uuid").status_code == 404  # an unknown id
        assert client.post("/api/v1/dialogues", json={}).status_code == 401


def test_a_list_read_right_after_a_write_sees_it_and_the_server_is_ready(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        held = (date.today() - timedelta(days=1)).isoformat()
        for n in range(3):
            created = client.post(
                "/api/v1/dialogues",
                json={
                    "municipality": "1280",
                    "kind": "citizen_dialogue",
                    "held_on": held,
                    "title": f"Medborgardialog {n}",
                },
                headers=bearer(ADMIN),
            )
            assert created.status_code == 201, created.text
            listed = client.get("/api/v1/dialogues", params={"municipality": "1280"})
            assert listed.status_code == 200
            assert "x-loften-stale" not in listed.headers
            assert created.json()["id"] in [d["id"] for d in listed.json()["items"]]
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ready"
        assert set(ready.json()["positions"].values()) == {ready.json()["head"]}
        checked = client.post("/api/v1/admin/deadline-checks", headers=bearer(ADMIN))
        assert checked.status_code == 200 and checked.json() == {"marked": 0}
    assert server.stop() == 0
