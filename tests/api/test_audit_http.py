"""The audit chain over HTTP: what each reader sees, recomputing it as a client, verification,
heads, /readyz."""

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


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recompute(entry: dict[str, Any]) -> str:
    """The hash exactly as API.md tells any client to compute it, checking each value shown."""
    for name, field in entry["fields"].items():
        if "value" in field:
            digest = sha256_hex(f"{field['salt']}\n{name}\n{canonical(field['value'])}")
            assert digest == field["digest"], (entry["position"], name)
    keys = ("position", "recorded_at", "event_type", "aggregate_type", "aggregate_id", "version")
    head = {key: entry[key] for key in keys}
    head["digests"] = {name: field["digest"] for name, field in entry["fields"].items()}
    return sha256_hex(entry["prev_hash"] + canonical(head))


@pytest.mark.parametrize(
    ("caller", "sees_all"),
    [
        ("public", False),
        ("auditor", True),
        ("admin", True),
        ("police", True),
        ("municipality", True),
        ("police_other", False),
        ("municipality_other", False),
    ],
)
def test_anyone_reads_the_audit_trail_and_sees_what_they_may(
    shared_api: Api, caller: str, sees_all: bool
) -> None:
    shared_api.dialogue(MALMO, observations=1)
    entries = chain(shared_api, MALMO, caller, limit=50)
    assert entries
    shown = json.dumps(entries, ensure_ascii=False)
    assert (NOTE in shown) is sees_all
    for entry in entries:
        assert "value" in entry["fields"]["actor_role"]
        assert ("value" in entry["fields"]["actor_label"]) is sees_all
        assert recompute(entry) == entry["hash"]
    for path in ("audit/verification", "audit/head?position=1"):
        response = shared_api.get(f"/api/v1/municipalities/{MALMO}/{path}", caller)
        assert response.status_code == 200, (path, response.text)


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
    public = chain(api, MALMO, "public")
    assert [recompute(e) for e in public] == [e["hash"] for e in entries]
    assert NOTE in json.dumps(entries) and NOTE not in json.dumps(public)
    assert {e["aggregate_id"] for e in entries} >= {dialogue["id"], promise["id"]}
    assert entries[0]["event_type"] == "DialogueHeld"
    assert entries[0]["fields"]["actor_label"]["value"] == "police label"
    assert entries[0]["fields"]["actor_role"]["value"] == "police"

    lund = chain(api, LUND, "admin")

    def of_promise(found: list[dict[str, Any]]) -> list[tuple[str, int]]:
        mine = [e for e in found if e["aggregate_id"] == promise["id"]]
        return [(e["event_type"], e["version"]) for e in mine]

    assert of_promise(lund) == of_promise(entries)  # a promise of two kommuner is in both chains
    assert len(of_promise(lund)) == promise["version"]

    verification = api.get(f"/api/v1/municipalities/{MALMO}/audit/verification", "public")
    assert verification.json() == {
        "ok": True,
        "entries": len(entries),
        "head_hash": entries[-1]["hash"],
        "first_bad_position": None,
    }
    empty = api.get("/api/v1/municipalities/2584/audit/verification", "public").json()
    assert empty == {"ok": True, "entries": 0, "head_hash": GENESIS, "first_bad_position": None}
    for entry in (entries[0], entries[-1]):
        head = api.get(f"/api/v1/municipalities/{MALMO}/audit/head?position={entry['position']}")
        assert head.json() == {"position": entry["position"], "hash": entry["hash"]}
    past = api.get(f"/api/v1/municipalities/{MALMO}/audit/head?position={len(entries) + 1}")
    assert past.status_code == 404
    assert past.headers["content-type"] == "application/problem+json"
    for query in ("", "?position=0", "?position=x"):
        assert api.get(f"/api/v1/municipalities/{MALMO}/audit/head{query}").status_code == 422


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
    assert api.get("/api/v1/municipalities/9999/audit/head?position=1").status_code == 404


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
        "views": "current",
        "outdated": {},
        "lag": {"catalogue": 0, "audit": 0, "pages": 0},
        "feeds_views": True,
    }

    projections: Projections = api.app.state.projections
    projections.stop()
    try:
        api.dialogue(MALMO)
        behind = api.get("/readyz")
        assert behind.status_code == 503 and api.event_count() > head
        behind_by = api.event_count() - head
        assert behind.json() == {
            "status": "catching_up",
            "head": api.event_count(),
            "positions": {"catalogue": head, "audit": head, "pages": head},
            "views": "behind",
            "outdated": {},
            "lag": {"catalogue": behind_by, "audit": behind_by, "pages": behind_by},
            "feeds_views": True,
        }
    finally:
        projections.start()
    api.get("/api/v1/dialogues")
    assert api.get("/readyz").status_code == 200
