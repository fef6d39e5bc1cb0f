"""The app as a whole: reference data, health, the OpenAPI document, the lifespan hook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from infra.background import Runtime
from tests.support.api import Api, api_settings, sqlite_url
from workflow.application import Loftesboken
from workflow.clock import FakeClock

OWNED_PATHS = {
    ("post", "/api/v1/dialogues"),
    ("post", "/api/v1/dialogues/{dialogue_id}/observations"),
    ("get", "/api/v1/dialogues/{dialogue_id}"),
    ("post", "/api/v1/issues"),
    ("post", "/api/v1/issues/{issue_id}/evidence"),
    ("post", "/api/v1/issues/{issue_id}/prioritisation"),
    ("post", "/api/v1/issues/{issue_id}/rejection"),
    ("get", "/api/v1/issues/{issue_id}"),
    ("post", "/api/v1/promises"),
    ("post", "/api/v1/promises/{promise_id}/activities"),
    ("post", "/api/v1/promises/{promise_id}/signatures"),
    ("post", "/api/v1/promises/{promise_id}/issuance"),
    ("post", "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}"),
    ("post", "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/rescheduling"),
    ("post", "/api/v1/promises/{promise_id}/feedback"),
    ("post", "/api/v1/promises/{promise_id}/conclusion"),
    ("post", "/api/v1/promises/{promise_id}/withdrawal"),
    ("get", "/api/v1/promises/{promise_id}"),
    ("post", "/api/v1/tokens"),
    ("get", "/api/v1/municipalities"),
    ("get", "/api/v1/municipalities/{code}"),
    ("get", "/api/v1/themes"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/dialogues"),
    ("get", "/api/v1/dialogues/{dialogue_id}/outcomes"),
    ("get", "/api/v1/issues"),
    ("get", "/api/v1/promises"),
    ("get", "/api/v1/promises/{promise_id}/derivation"),
    ("get", "/api/v1/promises/{promise_id}/history"),
    ("get", "/api/v1/deadlines"),
    ("get", "/api/v1/municipalities/{code}/deadlines.ics"),
    ("get", "/api/v1/municipalities/{code}/audit"),
    ("get", "/api/v1/municipalities/{code}/audit/verification"),
    ("get", "/api/v1/municipalities/{code}/audit/head"),
    ("post", "/api/v1/dialogues/{dialogue_id}/erasure"),
    ("post", "/api/v1/admin/deadline-checks"),
    # Corrections (API.md "Corrections"); every POST must show an example body (below).
    ("post", "/api/v1/dialogues/{dialogue_id}/correction"),
    ("post", "/api/v1/dialogues/{dialogue_id}/observations/{observation_id}/correction"),
    ("post", "/api/v1/dialogues/{dialogue_id}/observations/{observation_id}/retraction"),
    ("post", "/api/v1/issues/{issue_id}/correction"),
    ("post", "/api/v1/promises/{promise_id}/amendment"),
    ("post", "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/correction"),
    ("post", "/api/v1/promises/{promise_id}/feedback/{feedback_id}/correction"),
}


def test_health(shared_api: Api) -> None:
    response = shared_api.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_municipalities_are_paged(shared_api: Api) -> None:
    everything = shared_api.get("/api/v1/municipalities?limit=500").json()
    assert len(everything["items"]) == 290 and everything["next_cursor"] is None
    malmo = next(m for m in everything["items"] if m["code"] == "1280")
    assert malmo == {
        "code": "1280",
        "name": "Malmö",
        "county": "Skåne län",
        "police_region": "Polisregion Syd",
    }
    stockholm = next(m for m in everything["items"] if m["code"] == "0180")
    assert (stockholm["county"], stockholm["police_region"]) == (
        "Stockholms län",
        "Polisregion Stockholm",
    )

    seen: list[str] = []
    url = "/api/v1/municipalities?limit=100"
    while url:
        page = shared_api.get(url).json()
        seen += [m["code"] for m in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/v1/municipalities?limit=100&cursor={cursor}" if cursor else ""
    assert seen == [m["code"] for m in everything["items"]]
    assert len(shared_api.get("/api/v1/municipalities").json()["items"]) == 50

    for query in ("limit=0", "limit=501", "limit=x", "cursor=garbage", "cursor=dGhlbWU6ZHJ1Z3M"):
        response = shared_api.get(f"/api/v1/municipalities?{query}")
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/problem+json"


def test_a_single_municipality(shared_api: Api) -> None:
    response = shared_api.get("/api/v1/municipalities/0180")
    assert response.status_code == 200 and response.json()["name"] == "Stockholm"
    assert shared_api.get("/api/v1/municipalities/0000").status_code == 404


def test_themes_carry_both_labels(shared_api: Api) -> None:
    themes = shared_api.get("/api/v1/themes").json()
    assert [t["theme"] for t in themes["items"]] == [
        "drugs", "violence", "youth_crime", "burglary", "fraud", "traffic", "vandalism",
        "public_disorder", "public_environment", "domestic_violence", "organised_crime", "other",
    ]  # fmt: skip
    assert themes["items"][0] == {"theme": "drugs", "label_sv": "Narkotika", "label_en": "Drugs"}
    first = shared_api.get("/api/v1/themes?limit=5").json()
    rest = shared_api.get(f"/api/v1/themes?limit=50&cursor={first['next_cursor']}").json()
    assert first["items"] + rest["items"] == themes["items"]


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    resolved: dict[str, Any] = document
    for part in ref.removeprefix("#/").split("/"):
        resolved = resolved[part]
    return resolved


def test_the_openapi_document_covers_every_owned_endpoint(shared_api: Api) -> None:
    document = shared_api.get("/openapi.json").json()
    operations = {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert operations.keys() >= OWNED_PATHS
    assert document["components"]["securitySchemes"]
    for (method, path), operation in operations.items():
        if method != "post":
            continue
        problems = [r for s, r in operation["responses"].items() if s.startswith("4")]
        assert problems and all("application/problem+json" in r["content"] for r in problems)
        if path == "/api/v1/admin/deadline-checks":  # the one POST without a body
            assert "requestBody" not in operation
            continue
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert _resolve(body, document).get("examples"), f"no example for {path}"
        assert "422" in operation["responses"]
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) is (path != "/api/v1/tokens")
    assert shared_api.get("/docs").status_code == 200


class Recorder:
    def __init__(self, runtime: Runtime, log: list[str]) -> None:
        self.runtime = runtime
        self.log = log

    def start(self) -> None:
        assert isinstance(self.runtime.loftesboken, Loftesboken)
        self.log.append("start")

    def stop(self) -> None:
        self.log.append("stop")


def test_background_services_start_and_stop_with_the_app(tmp_path: Path, clock: FakeClock) -> None:
    log: list[str] = []
    app = create_app(
        api_settings(sqlite_url(tmp_path)), clock, services=[lambda rt: Recorder(rt, log)]
    )
    with TestClient(app) as client:
        assert log == ["start"]
        assert len(client.app.state.background_services) == 1  # type: ignore[attr-defined]
        assert client.get("/healthz").status_code == 200
    assert log == ["start", "stop"]


def test_the_factory_runs_from_the_environment(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("LOFTEN_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    with TestClient(create_app()) as client:
        assert client.get("/api/v1/themes").status_code == 200
    assert (tmp_path / "env.api.sqlite3").exists()


def test_the_docs_page_needs_no_network(api) -> None:
    """Swagger UI's script and style come from this server, not from a CDN."""
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    scripts = [part.split('"')[0] for part in page.text.split('src="')[1:]]
    assert scripts, "the page loads Swagger UI's script"
    for src in scripts:
        assert src.startswith("/"), src
        assert api.client.get(src).status_code == 200
