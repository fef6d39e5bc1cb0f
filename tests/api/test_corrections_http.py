"""Corrections through HTTP and the views: each correction shows its old and new value in
the history (or the audit chain), the corrected value in the views and the report, the
old one in `derivation?as_of=` before it, and `loften rebuild` gives the same views."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tests.support.api import (
    BOTH_STORES,
    MALMO,
    Api,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    signature_body,
)
from tests.support.views import dump_views
from workflow.clock import FakeClock

pytestmark = BOTH_STORES

REPORT = "/api/v1/reports/annual/1280/2025?format=json"


def audit_of(api: Api, aggregate_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(event_type, {field: value}) of the aggregate's entries in Malmö's chain, as admin."""
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = f"/api/v1/municipalities/{MALMO}/audit?limit=500"
        page = api.get(query + (f"&cursor={cursor}" if cursor else ""), "admin").json()
        entries += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return [(e["event_type"], _values(e)) for e in entries if e["aggregate_id"] == aggregate_id]


def _values(entry: dict[str, Any]) -> dict[str, Any]:
    """The values an entry shows: per field (chain v2) or as the event's data (v1)."""
    if "fields" in entry:
        return {name: field.get("value") for name, field in entry["fields"].items()}
    return dict(entry["data"])


def history_of(api: Api, promise_id: str) -> list[tuple[str, dict[str, Any]]]:
    items = api.get(f"/api/v1/promises/{promise_id}/history?limit=500", "admin").json()["items"]
    return [(item["event_type"], item["data"]) for item in items]


def correct(api: Api, path: str, body: dict[str, Any], caller: str = "police") -> dict[str, Any]:
    return api.ok(path, body, caller)


def world(api: Api, clock: FakeClock) -> dict[str, Any]:
    walk = api.ok(
        "/api/v1/dialogues", dialogue_body(title="Trygghetsvandring i Lindangen"), "police"
    )
    walk = api.ok(
        f"/api/v1/dialogues/{walk['id']}/observations",
        {
            "observations": [
                observation_body(theme="drugs", count=9),
                observation_body(theme="public_disorder", summary="Dubblett.", count=2),
            ]
        },
        "police",
    )
    kept, doubled = (o["id"] for o in walk["observations"])
    tunnel = api.ok(
        "/api/v1/issues",
        issue_body(
            title="Otrygg gångtunel",
            evidence=[{"dialogue_id": walk["id"], "observation_id": kept}],
        ),
        "police",
    )
    noise = api.ok(
        "/api/v1/issues",
        issue_body(
            title="Oro på torget", evidence=[{"dialogue_id": walk["id"], "observation_id": doubled}]
        ),
        "police",
    )
    for issue in (tunnel, noise):
        api.ok(f"/api/v1/issues/{issue['id']}/prioritisation", {"priority": 1, "rationale": "Ja."})
    promise = api.ok(
        "/api/v1/promises", promise_body([MALMO], [tunnel["id"], noise["id"]]), "police"
    )
    path = f"/api/v1/promises/{promise['id']}"
    api.ok(f"{path}/signatures", signature_body("police"), "police")
    api.ok(f"{path}/signatures", signature_body("municipality", MALMO), "municipality")
    promise = api.ok(f"{path}/issuance", {"issued_on": "2025-02-10"}, "police")
    clock.set(date(2025, 4, 5))
    march = promise["follow_ups"][0]["id"]
    api.ok(
        f"{path}/follow-ups/{march}",
        {"held_on": "2025-04-02", "summary": "Beställd.", "activities": []},
        "police",
    )
    promise = api.ok(
        f"{path}/feedback",
        {"published_on": "2025-04-03", "channel": "malmo.se", "summary": "Belysning beställd."},
        "police",
    )
    return {
        "walk": walk["id"],
        "kept": kept,
        "doubled": doubled,
        "tunnel": tunnel["id"],
        "noise": noise["id"],
        "promise": promise["id"],
        "march": march,
        "feedback": promise["feedback"][0]["id"],
    }


def test_every_correction_shows_in_history_views_report_and_derivation(
    api: Api, clock: FakeClock
) -> None:
    ids = world(api, clock)
    promise_path = f"/api/v1/promises/{ids['promise']}"
    before = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    derivation_then = api.get(f"{promise_path}/derivation?as_of={before}").json()
    report_then = api.get(REPORT).json()
    assert report_then["follow_ups"]["late"] == 1
    assert set(report_then["observations_by_theme"]) == {"drugs", "public_disorder"}

    walk = correct(
        api,
        f"/api/v1/dialogues/{ids['walk']}/correction",
        {"title": "Trygghetsvandring i Lindängen", "reason": "Stavfel i titeln."},
    )
    assert walk["title"] == "Trygghetsvandring i Lindängen"
    walk = correct(
        api,
        f"/api/v1/dialogues/{ids['walk']}/observations/{ids['kept']}/correction",
        {"theme": "public_environment", "reason": "Fel tema: det gäller belysningen."},
    )
    walk = correct(
        api,
        f"/api/v1/dialogues/{ids['walk']}/observations/{ids['doubled']}/retraction",
        {"reason": "Registrerades två gånger."},
    )
    assert [(o["theme"], o["retracted"]) for o in walk["observations"]] == [
        ("public_environment", False),
        ("public_disorder", True),
    ]
    tunnel = correct(
        api,
        f"/api/v1/issues/{ids['tunnel']}/correction",
        {"title": "Otrygg gångtunnel", "reason": "Stavfel."},
    )
    assert tunnel["title"] == "Otrygg gångtunnel"
    noise = api.get(f"/api/v1/issues/{ids['noise']}", "police").json()
    assert noise["evidence"][0]["retracted"] is True
    promise = correct(
        api,
        f"{promise_path}/follow-ups/{ids['march']}/correction",
        {"held_on": "2025-03-28", "reason": "Mötet hölls den 28 mars; fel datum i protokollet."},
    )
    assert promise["follow_ups"][0]["held_on"] == "2025-03-28"
    assert promise["follow_ups"][0]["late"] is False
    promise = correct(
        api,
        f"{promise_path}/feedback/{ids['feedback']}/correction",
        {"channel": "malmo.se och Lindängens medborgarkontor", "reason": "Även på kontoret."},
    )
    assert promise["feedback"][0]["channel"] == "malmo.se och Lindängens medborgarkontor"

    # the history keeps both: the first record and the correction
    history = history_of(api, ids["promise"])
    recorded = [data for kind, data in history if kind == "FollowUpRecorded"]
    corrected = [data for kind, data in history if kind == "FollowUpCorrected"]
    assert recorded[0]["held_on"] == "2025-04-02" and corrected[0]["held_on"] == "2025-03-28"
    assert corrected[0]["reason"].startswith("Mötet hölls")
    assert "summary" not in corrected[0]  # only the fields it changes
    assert [d["channel"] for k, d in history if k.startswith("Feedback")] == [
        "malmo.se",
        "malmo.se och Lindängens medborgarkontor",
    ]
    dialogue_trail = audit_of(api, ids["walk"])
    assert [kind for kind, _ in dialogue_trail] == [
        "DialogueHeld",
        "ObservationRecorded",
        "ObservationRecorded",
        "DialogueCorrected",
        "ObservationCorrected",
        "ObservationRetracted",
    ]
    assert dialogue_trail[0][1]["title"] == "Trygghetsvandring i Lindangen"
    assert dialogue_trail[3][1]["title"] == "Trygghetsvandring i Lindängen"
    issue_fields = set(audit_of(api, ids["tunnel"])[-1][1])
    assert {"title", "reason"} <= issue_fields and not {"theme", "description"} & issue_fields

    # the views and the report use the corrected values; the retracted one stops counting
    [row] = api.get(f"/api/v1/dialogues?municipality={MALMO}").json()["items"]
    assert (row["title"], row["observations"], row["mentions"]) == (
        "Trygghetsvandring i Lindängen",
        1,
        9,
    )
    report = api.get(REPORT).json()
    assert report["observations_by_theme"] == {
        "public_environment": {"observations": 1, "mentions": 9}
    }
    assert report["follow_ups"]["on_time"] == 1 and report["follow_ups"]["late"] == 0
    assert report["feedback"][0]["channel"] == "malmo.se och Lindängens medborgarkontor"
    outcomes = api.get(f"/api/v1/dialogues/{ids['walk']}/outcomes").json()
    assert [o["id"] for o in outcomes["observations"]] == [ids["kept"]]

    # the derivation now, and as it stood before the corrections
    now = api.get(f"{promise_path}/derivation").json()
    tunnel_now, noise_now = now["issues"]
    assert tunnel_now["title"] == "Otrygg gångtunnel"
    assert tunnel_now["evidence"][0]["dialogue"]["title"] == "Trygghetsvandring i Lindängen"
    assert tunnel_now["evidence"][0]["observation"]["theme"] == "public_environment"
    assert noise_now["evidence"][0]["retracted"] is True and noise_now["evidence_retracted"] is True
    assert tunnel_now["evidence_retracted"] is False
    assert api.get(f"{promise_path}/derivation?as_of={before}").json() == derivation_then
    tunnel_then = derivation_then["issues"][0]
    assert tunnel_then["title"] == "Otrygg gångtunel"
    assert tunnel_then["evidence"][0]["observation"]["theme"] == "drugs"
    assert derivation_then["issues"][1]["evidence"][0]["retracted"] is False

    # the public promise page shows the evidence citing the retracted observation as such
    page = api.get(f"/lofte/{ids['promise']}")
    assert page.status_code == 200
    assert page.text.count("återkallad, räknas inte längre") == 1
    assert "Otrygg gångtunnel" in page.text and "Otrygg gångtunel" not in page.text

    # rebuilding the views from the events gives the same views
    read_side = api.app.state.projections
    live = dump_views(read_side)
    read_side.rebuild()
    assert dump_views(read_side) == live


def test_a_draft_amended_loses_its_signatures_and_keeps_the_old_text_in_its_history(
    api: Api,
) -> None:
    promise = api.promise(MALMO, state="signed")
    path = f"/api/v1/promises/{promise['id']}"
    before = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    amended = correct(
        api,
        f"{path}/amendment",
        {"text": "Under 2025 lovar polisen och Malmö stad att lysa upp tunneln.", "reason": "KS."},
    )
    assert amended["signatures"] == []
    assert amended["text"] == "Under 2025 lovar polisen och Malmö stad att lysa upp tunneln."
    kind, data = history_of(api, promise["id"])[-1]
    assert kind == "PromiseAmended"
    assert [s["party"] for s in data["signatures_cleared"]] == ["police", "municipality"]
    then = api.get(f"{path}/derivation?as_of={before}", "police").json()
    assert then["promise"]["text"] == promise["text"]
    refused = api.post(f"{path}/issuance", {"issued_on": "2025-02-10"}, "police")
    assert refused.status_code == 409
    assert "the police signature" in refused.json()["detail"]


def test_a_correction_without_a_field_or_reason_is_a_422_and_of_an_issued_promise_a_409(
    api: Api,
) -> None:
    walk = api.dialogue(observations=0)
    path = f"/api/v1/dialogues/{walk['id']}/correction"
    for body in ({"reason": "Varför inte."}, {"title": "Ny"}, {"title": None, "reason": "x"}):
        response = api.post(path, body, "police")
        assert response.status_code == 422, (body, response.text)
    issued = api.promise(MALMO, state="issued")
    response = api.post(
        f"/api/v1/promises/{issued['id']}/amendment", {"title": "Nytt", "reason": "x"}, "police"
    )
    assert response.status_code == 409
    assert "its signed text is fixed" in response.json()["detail"]
    other = api.post(path, {"title": "Ny", "reason": "x"}, "police_other")
    assert other.status_code == 403
