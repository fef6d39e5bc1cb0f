"""The audit chain over HTTP: who may read it, recomputing it as a client, verification, /readyz."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from projections.readside import Projections
from tests.support.api import LUND, MALMO, STOCKHOLM, Api, dialogue_body, observation_body

GENESIS = "0" * 64
NOTE = observation_body()["note"]


def chain(api: Api, code: str, caller: str = "auditor", limit: int = 3) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = f"/api/v1/municipalities/{code}/audit?limit={limit}"
        response = api.get(query + (f"&cursor={cursor}" if cursor else ""), caller)
        assert response.status_code == 200, response.text
        page = response.json()
        entries += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return entries


def recompute(entry: dict[str, Any]) -> str:
    """The hash exactly as API.md tells any client to compute it."""
    body = {k: v for k, v in entry.items() if k not in ("hash", "prev_hash")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((entry["prev_hash"] + canonical).encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("public", 401),
        ("auditor", 200),
        ("admin", 200),
        ("police", 200),
        ("municipality", 200),
        ("police_other", 403),
        ("municipality_other", 403),
    ],
)
def test_who_may_read_the_audit_trail(shared_api: Api, caller: str, status: int) -> None:
    for path in (
        f"/api/v1/municipalities/{MALMO}/audit",
        f"/api/v1/municipalities/{MALMO}/audit/verification",
    ):
        response = shared_api.get(path, caller)
        assert response.status_code == status, (path, response.text)
        if status != 200:
            assert response.headers["content-type"] == "application/problem+json"


def test_a_client_recomputes_the_chain_and_the_server_verifies_it(api: Api) -> None:
    api.ok("/api/v1/dialogues", dialogue_body(), "police")
    dialogue = api.dialogue(MALMO, observations=2)
    promise = api.promise(MALMO, LUND, state="issued")
    api.dialogue(STOCKHOLM)

    entries = chain(api, MALMO)
    assert [e["position"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0]["prev_hash"] == GENESIS
    for previous, entry in zip([None, *entries], entries, strict=False):
        if previous is not None:
            assert entry["prev_hash"] == previous["hash"]
        assert recompute(entry) == entry["hash"]
    # The chain holds the events whole, notes too: that is why the public never reads it.
    assert NOTE in json.dumps(entries)
    assert {e["aggregate_id"] for e in entries} >= {dialogue["id"], promise["id"]}
    assert entries[0]["event_type"] == "DialogueHeld"
    assert entries[0]["actor"] == {"label": "police label", "role": "police"}

    lund = chain(api, LUND, "admin")

    def of_promise(found: list[dict[str, Any]]) -> list[tuple[str, int]]:
        mine = [e for e in found if e["aggregate_id"] == promise["id"]]
        return [(e["event_type"], e["version"]) for e in mine]

    assert of_promise(lund) == of_promise(entries)  # a promise of two kommuner is in both chains
    assert len(of_promise(lund)) == promise["version"]

    verification = api.get(f"/api/v1/municipalities/{MALMO}/audit/verification", "auditor")
    assert verification.json() == {
        "ok": True,
        "entries": len(entries),
        "head_hash": entries[-1]["hash"],
        "first_bad_position": None,
    }
    empty = api.get("/api/v1/municipalities/2584/audit/verification", "auditor").json()
    assert empty == {"ok": True, "entries": 0, "head_hash": GENESIS, "first_bad_position": None}


def test_the_chain_pages_by_position_and_cursor(api: Api) -> None:
    for _ in range(3):
        api.dialogue(MALMO, observations=1)
    everything = chain(api, MALMO, limit=500)
    assert len(everything) == 6 and chain(api, MALMO, limit=4) == everything
    path = f"/api/v1/municipalities/{MALMO}/audit"
    after = api.get(f"{path}?after=4", "police").json()
    assert after == {"items": everything[4:], "next_cursor": None}
    first = api.get(f"{path}?limit=2", "police").json()
    assert first["items"] == everything[:2]
    lund_cursor = api.get(f"/api/v1/municipalities/{LUND}/audit?limit=1", "auditor")
    assert lund_cursor.json()["next_cursor"] is None  # no chain in Lund yet
    for query in (
        "after=-1",
        "after=x",
        "limit=0",
        "limit=501",
        "cursor=zzz",
        f"cursor={first['next_cursor']}&limit=0",
    ):
        response = api.get(f"{path}?{query}", "auditor")
        assert response.status_code == 422, query
    stockholm = api.get(
        f"/api/v1/municipalities/{STOCKHOLM}/audit?cursor={first['next_cursor']}", "auditor"
    )
    assert stockholm.status_code == 422  # a cursor of another municipality's chain
    assert api.get("/api/v1/municipalities/9999/audit", "auditor").status_code == 404
    assert api.get("/api/v1/municipalities/9999/audit/verification", "admin").status_code == 404


def test_readyz_reports_each_projection_and_the_head(api: Api) -> None:
    api.dialogue(MALMO, observations=2)
    api.get("/api/v1/dialogues")  # a view read waits for the views: after it they are there
    response = api.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    head = api.event_count()
    assert body == {
        "status": "ready",
        "head": head,
        "positions": {"catalogue": head, "audit": head, "pages": head},
    }

    projections: Projections = api.app.state.projections
    projections.stop()
    try:
        api.dialogue(MALMO)
        behind = api.get("/readyz")
        assert behind.status_code == 503 and api.event_count() > head
        assert behind.json() == {
            "status": "catching_up",
            "head": api.event_count(),
            "positions": {"catalogue": head, "audit": head, "pages": head},
        }
    finally:
        projections.start()
    api.get("/api/v1/dialogues")
    assert api.get("/readyz").status_code == 200
