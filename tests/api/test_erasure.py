"""Erasure of personal data: a planted personal number is gone from everything, the chain verifies.

API.md ("Audit"): `POST /api/v1/dialogues/{id}/erasure` erases named free-text fields
for good. The test plants a made-up personal number in an observation's note and
summary, erases both, and looks for it in every read, report, view, the output of a
rebuild and the bytes of every database file, while the audit chain still verifies
and the erasure event says what was erased and why (never the value).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.bootstrap import open_read_side
from tests.support.api import BOTH_STORES, MALMO, Api, dialogue_body, observation_body

pytestmark = BOTH_STORES

PNR = "19121212-1212"  # Skatteverket's test person "Tolvan Tolvansson": made up
REASON = "Personnummer i fritext (GDPR art. 17)"


def planted(api: Api) -> tuple[dict[str, Any], str]:
    dialogue = api.ok("/api/v1/dialogues", dialogue_body(), "police")
    body = {
        "observations": [
            observation_body(summary=f"Grannen {PNR} klagar på klotter", note=f"Ring {PNR}"),
            observation_body(summary="Mörk gångtunnel vid skolan."),
        ]
    }
    path = f"/api/v1/dialogues/{dialogue['id']}/observations"
    # With an Idempotency-Key: the answer kept for its repeats holds the values too.
    answer = api.post(path, body, "police", **{"Idempotency-Key": f"plant-{dialogue['id']}"})
    assert answer.status_code == 201, answer.text
    dialogue = answer.json()
    observation_id = dialogue["observations"][0]["id"]
    # A correction that keeps the number: its values must go with the record's.
    corrected = api.post(
        f"{path}/{observation_id}/correction",
        {"summary": f"Grannen {PNR} klagar på klotter vid skolan", "reason": "Platsen saknades."},
        "police",
    )
    assert corrected.status_code == 200, corrected.text
    return corrected.json(), observation_id


def reads(api: Api, dialogue_id: str) -> str:
    """Everything a reader can get that could show an observation: JSON, pages, reports."""
    paths = [
        f"/api/v1/dialogues/{dialogue_id}",
        f"/api/v1/dialogues?municipality={MALMO}",
        f"/api/v1/dialogues/{dialogue_id}/outcomes",
        f"/api/v1/municipalities/{MALMO}/audit?limit=500",
        f"/api/v1/reports/annual/{MALMO}/2025",
        f"/api/v1/reports/annual/{MALMO}/2025?format=csv",
        f"/api/v1/reports/annual/{MALMO}/2025?format=html",
        f"/dialog/{dialogue_id}",
    ]
    shown = []
    for caller in ("public", "police", "auditor"):
        for path in paths:
            answer = api.get(path, caller)
            assert answer.status_code == 200, (path, caller, answer.text)
            shown.append(answer.text)
    return "\n".join(shown)


def database_bytes(api: Api) -> bytes:
    store: Path = api.loftesboken.settings.sqlite_path
    files = sorted(store.parent.glob(f"{store.stem}*"))
    assert any(f.name.endswith(".views.sqlite3") for f in files)
    return b"".join(f.read_bytes() for f in files if f.is_file())


def test_an_erased_personal_number_is_nowhere_and_the_chain_still_verifies(
    api: Api, store: str
) -> None:
    dialogue, observation_id = planted(api)
    assert PNR in reads(api, dialogue["id"])  # the test can see it while it is there
    sqlite = store.startswith("sqlite")
    if sqlite:
        assert PNR.encode() in database_bytes(api)

    erased = api.post(
        f"/api/v1/dialogues/{dialogue['id']}/erasure",
        {
            "fields": [
                {"observation_id": observation_id, "field": "summary"},
                {"observation_id": observation_id, "field": "note"},
            ],
            "reason": REASON,
        },
        "police",
    )
    assert erased.status_code == 200, erased.text
    first = erased.json()["observations"][0]
    assert (first["summary"], first["note"], first["erased_fields"]) == (
        None,
        None,
        ["summary", "note"],
    )
    assert erased.json()["observations"][1]["summary"] == "Mörk gångtunnel vid skolan."

    assert PNR not in reads(api, dialogue["id"])
    page = api.get(f"/dialog/{dialogue['id']}").text
    assert "None" not in page  # an erased summary is shown as nothing, not as "None"
    verification = api.get(f"/api/v1/municipalities/{MALMO}/audit/verification").json()
    assert verification["ok"] is True, verification
    chain = api.get(f"/api/v1/municipalities/{MALMO}/audit?limit=500", "auditor").json()["items"]
    recorded = [e for e in chain if e["aggregate_id"] == dialogue["id"]]
    observed = next(e for e in recorded if e["event_type"] == "ObservationRecorded")
    assert observed["fields"]["summary"] == {
        "digest": observed["fields"]["summary"]["digest"],
        "erased": True,
    }
    assert observed["fields"]["note"]["erased"] is True
    erasure = recorded[-1]
    assert erasure["event_type"] == "PersonalDataErased"
    assert erasure["fields"]["reason"]["value"] == REASON
    assert erasure["fields"]["fields"]["value"] == [
        {"observation_id": observation_id, "field": "summary"},
        {"observation_id": observation_id, "field": "note"},
    ]
    assert erasure["fields"]["actor_role"]["value"] == "police"

    # Loading the dialogue again, and rebuilding every view, brings nothing back.
    again = api.get(f"/api/v1/dialogues/{dialogue['id']}", "police").json()
    assert again["observations"][0]["erased_fields"] == ["summary", "note"]
    app = api.loftesboken
    read_side = open_read_side(app, app.settings)
    try:
        read_side.rebuild()
    finally:
        read_side.close()
    assert PNR not in reads(api, dialogue["id"])
    assert api.get(f"/api/v1/municipalities/{MALMO}/audit/verification").json()["ok"] is True
    if sqlite:
        assert PNR.encode() not in database_bytes(api)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ([{"field": "summary"}], 422),  # a dialogue has no summary of its own
        ([{"observation_id": "00000000-0000-0000-0000-000000000001", "field": "note"}], 404),
        ([], 422),
        ([{"field": "kind"}], 422),
    ],
)
def test_what_cannot_be_erased_is_refused_and_changes_nothing(
    api: Api, fields: list[dict[str, Any]], status: int
) -> None:
    dialogue, _ = planted(api)
    before = api.event_count()
    answer = api.post(
        f"/api/v1/dialogues/{dialogue['id']}/erasure",
        {"fields": fields, "reason": REASON},
        "police",
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert api.event_count() == before


def test_only_the_dialogue_s_municipality_or_an_admin_erases(api: Api) -> None:
    dialogue, observation_id = planted(api)
    body = {"fields": [{"observation_id": observation_id, "field": "note"}], "reason": REASON}
    path = f"/api/v1/dialogues/{dialogue['id']}/erasure"
    assert api.post(path, body, "public").status_code == 401
    assert api.post(path, body, "auditor").status_code == 403
    assert api.post(path, body, "police_other").status_code == 403
    assert api.post(path, body, "admin").status_code == 200
