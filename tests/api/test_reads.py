"""The view reads over HTTP: lists, summary, outcomes, derivation, history, read-your-writes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.views import STALE_HEADER
from domain.values import DialogueEvidence, Party
from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from tests.support.api import (
    BUILDER,
    LUND,
    MALMO,
    STOCKHOLM,
    TODAY,
    Api,
    activity_body,
    api_settings,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    start_api,
)
from workflow.clock import FakeClock
from workflow.settings import Settings

NOTE = observation_body()["note"]


def ids(response_items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in response_items]


def all_items(api: Api, path: str, caller: str = "public") -> list[dict[str, Any]]:
    """Every item of a list, page by page, asserting each page is full but the last."""
    joiner = "&" if "?" in path else "?"
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        url = f"{path}{joiner}limit=2" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(url, caller)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page["items"]) == 2


def assert_422(api: Api, path: str, caller: str = "admin") -> None:
    response = api.get(path, caller)
    assert response.status_code == 422, f"{path}: {response.status_code} {response.text}"
    assert response.headers["content-type"] == "application/problem+json"


# -- read-your-writes ------------------------------------------------------------------


def test_a_write_is_seen_by_the_next_list_read_without_manual_catch_up(api: Api) -> None:
    projections: Projections = api.app.state.projections
    assert projections.is_running, "the lifespan runs the projections in the background"
    for n in range(5):
        created = api.ok("/api/v1/dialogues", dialogue_body(title=f"Dialog {n}"), "police")
        response = api.get(f"/api/v1/dialogues?municipality={MALMO}&limit=500")
        assert response.status_code == 200
        assert STALE_HEADER not in response.headers
        assert created["id"] in ids(response.json()["items"])
        summary = api.get(f"/api/v1/municipalities/{MALMO}").json()["summary"]
        assert summary["dialogues"] == n + 1


def test_a_read_the_views_cannot_catch_up_with_in_time_says_it_is_stale(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    projections: Projections = api.app.state.projections
    before = api.ok("/api/v1/dialogues", dialogue_body(), "police")
    assert before["id"] in ids(api.get("/api/v1/dialogues").json()["items"])
    projections.stop()  # nothing feeds the views now, and an API never feeds them itself
    # Only now a short wait: the read above may take its full wait on a busy machine.
    monkeypatch.setattr(projections, "read_wait_seconds", 0.05)
    try:
        after = api.ok("/api/v1/dialogues", dialogue_body(), "police")
        response = api.get("/api/v1/dialogues")
        assert response.status_code == 200
        assert response.headers[STALE_HEADER] == "true"
        assert ids(response.json()["items"]) == [before["id"]]
        ics = api.get(f"/api/v1/municipalities/{MALMO}/deadlines.ics")
        assert ics.headers[STALE_HEADER] == "true"
    finally:
        projections.start()
    assert projections.wait_until(projections.head(), timeout=30)
    response = api.get("/api/v1/dialogues")
    assert STALE_HEADER not in response.headers
    assert ids(response.json()["items"]) == [before["id"], after["id"]]


def test_an_api_process_without_background_work_reads_views_a_worker_keeps(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api_settings(tmp_path).model_copy(
        update={"run_background_work": False, "read_wait_seconds": 0.05}
    )
    for reader in start_api(settings, clock):
        assert reader.app.state.background_services == []
        created = reader.ok("/api/v1/dialogues", dialogue_body(), "police")
        stale = reader.get("/api/v1/dialogues")
        assert stale.headers[STALE_HEADER] == "true" and stale.json()["items"] == []
        # Ready all the same: this process needs no worker to answer; the lag is reported.
        ready = reader.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["views"] == "behind" and ready.json()["feeds_views"] is False
        assert ready.json()["lag"]["catalogue"] >= 1

        worker = Projections(reader.loftesboken, SQLiteViewStore(settings.sibling_sqlite("views")))
        try:
            worker.catch_up()  # what a separate `loften worker` would do
        finally:
            worker.close()
        fresh = reader.get("/api/v1/dialogues")
        assert STALE_HEADER not in fresh.headers
        assert ids(fresh.json()["items"]) == [created["id"]]
        assert reader.get("/readyz").json()["views"] == "current"


# -- a small world for the filters ---------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, dict[str, Any]]]:
    """Dialogues, issues and promises in Malmö, Stockholm and Lund, built once."""
    for api in start_api(api_settings(tmp_path_factory.mktemp("reads")), FakeClock(TODAY)):
        made: dict[str, Any] = {}
        made["walk"] = api.dialogue(MALMO, observations=2)
        made["survey"] = api.ok(
            "/api/v1/dialogues",
            dialogue_body(kind="survey", held_on="2024-11-04", title="Enkät 2024"),
            "municipality",
        )
        made["stockholm_walk"] = api.dialogue(STOCKHOLM, observations=1)
        made["issue_identified"] = api.issue(MALMO, prioritised=False)
        made["issue_stockholm"] = api.issue(STOCKHOLM)
        made["draft"] = api.promise(MALMO)
        made["draft_stockholm"] = api.promise(STOCKHOLM)
        made["issued"] = api.promise(MALMO, LUND, state="issued")
        made["issued_stockholm"] = api.promise(STOCKHOLM, state="issued")
        made["old"] = api.ok(
            "/api/v1/promises",
            promise_body(
                [MALMO],
                [api.issue(MALMO)["id"]],
                starts_on="2022-01-01",
                ends_on="2023-12-31",
                title="Medborgarlöfte 2022-2023",
                activities=[activity_body(due_on="2023-06-30")],
            ),
            "police",
        )
        yield api, made


def test_dialogues_are_listed_with_filters_and_cursors(world: tuple[Api, dict[str, Any]]) -> None:
    api, made = world
    walk, survey, other = made["walk"]["id"], made["survey"]["id"], made["stockholm_walk"]["id"]
    assert ids(all_items(api, "/api/v1/dialogues")) == [walk, survey, other]
    assert ids(all_items(api, f"/api/v1/dialogues?municipality={MALMO}")) == [walk, survey]
    assert ids(all_items(api, f"/api/v1/dialogues?municipality={MALMO}&year=2024")) == [survey]
    assert ids(all_items(api, "/api/v1/dialogues?kind=safety_walk")) == [walk, other]
    assert all_items(api, f"/api/v1/dialogues?municipality={LUND}") == []
    row = api.get(f"/api/v1/dialogues?municipality={MALMO}&year=2025").json()["items"][0]
    assert row["observations"] == 2 and row["mentions"] == 6 and row["version"] == 3
    assert NOTE not in json.dumps(api.get("/api/v1/dialogues", "admin").json())


def test_invalid_filters_cursors_and_limits_are_422(world: tuple[Api, dict[str, Any]]) -> None:
    api, _ = world
    foreign = api.get("/api/v1/promises?limit=1").json()["next_cursor"]
    assert foreign is not None
    forged = base64.urlsafe_b64encode(b'["dialogues",[true]]').decode().rstrip("=")
    for path in (
        "/api/v1/dialogues?municipality=9999",
        "/api/v1/dialogues?municipality=malmo",
        "/api/v1/dialogues?year=1800",
        "/api/v1/dialogues?year=twenty",
        "/api/v1/dialogues?kind=picnic",
        "/api/v1/dialogues?limit=0",
        "/api/v1/dialogues?limit=501",
        "/api/v1/dialogues?cursor=garbage!",
        f"/api/v1/dialogues?cursor={foreign}",
        f"/api/v1/dialogues?cursor={forged}",
        "/api/v1/issues?status=open",
        "/api/v1/issues?theme=weather",
        "/api/v1/promises?status=pending",
        "/api/v1/promises?year=3000",
        "/api/v1/deadlines?status=late",
        "/api/v1/deadlines?due_before=2025-02-30",
        "/api/v1/deadlines?due_before=9999-01-01",
        "/api/v1/deadlines?municipality=0000",
    ):
        assert_422(api, path)


def test_issues_are_not_public_and_each_token_lists_its_own(
    world: tuple[Api, dict[str, Any]],
) -> None:
    api, made = world
    assert api.get("/api/v1/issues").status_code == 401
    everything = all_items(api, "/api/v1/issues", "auditor")
    assert made["issue_identified"]["id"] in ids(everything)
    assert made["issue_stockholm"]["id"] in ids(everything)
    own = all_items(api, "/api/v1/issues", "police")
    assert own and {i["municipality"] for i in own} == {MALMO}
    assert api.get(f"/api/v1/issues?municipality={STOCKHOLM}", "police").status_code == 403
    stockholm = all_items(api, f"/api/v1/issues?municipality={STOCKHOLM}", "police_other")
    assert {i["municipality"] for i in stockholm} == {STOCKHOLM}
    identified = all_items(api, f"/api/v1/issues?municipality={MALMO}&status=identified", "admin")
    assert ids(identified) == [made["issue_identified"]["id"]]
    themed = all_items(api, "/api/v1/issues?theme=drugs", "admin")
    assert themed == []
    assert len(all_items(api, "/api/v1/issues?theme=public_environment", "admin")) == len(
        everything
    )


def test_promises_list_shows_drafts_only_to_those_who_may_see_them(
    world: tuple[Api, dict[str, Any]],
) -> None:
    api, made = world
    public = ids(all_items(api, "/api/v1/promises"))
    assert public == [made["issued"]["id"], made["issued_stockholm"]["id"]]
    malmo_police = ids(all_items(api, "/api/v1/promises", "police"))
    assert malmo_police == [
        made["draft"]["id"],
        made["issued"]["id"],
        made["issued_stockholm"]["id"],
        made["old"]["id"],
    ]
    stockholm_police = ids(all_items(api, "/api/v1/promises", "police_other"))
    assert made["draft_stockholm"]["id"] in stockholm_police
    assert made["draft"]["id"] not in stockholm_police
    assert len(all_items(api, "/api/v1/promises", "auditor")) == 5
    assert ids(all_items(api, f"/api/v1/promises?municipality={LUND}")) == [made["issued"]["id"]]
    in_2023 = all_items(api, f"/api/v1/promises?municipality={MALMO}&year=2023", "admin")
    assert ids(in_2023) == [made["old"]["id"]]
    assert all_items(api, f"/api/v1/promises?municipality={MALMO}&year=2023") == []
    drafts = all_items(api, "/api/v1/promises?status=draft")
    assert drafts == []
    issued = all_items(api, f"/api/v1/promises?status=issued&municipality={MALMO}", "police")
    assert ids(issued) == [made["issued"]["id"]]
    assert issued[0]["municipalities"] == [MALMO, LUND]


def test_a_municipality_carries_a_summary_of_its_record(
    world: tuple[Api, dict[str, Any]],
) -> None:
    api, _ = world
    public = api.get(f"/api/v1/municipalities/{MALMO}")
    assert public.status_code == 200
    body = public.json()
    assert body["name"] == "Malmö"
    summary = body["summary"]
    assert summary["dialogues"] == 2 and summary["observations"] == 2
    assert summary["issues"] == {"identified": 1, "prioritised": 3, "rejected": 0}
    assert summary["promises"] == {"issued": 1, "concluded": 0, "withdrawn": 0}
    assert summary["overdue_follow_ups"] == 0
    assert summary["next_deadline"] == "2025-03-31"
    internal = api.get(f"/api/v1/municipalities/{MALMO}", "municipality").json()["summary"]
    assert internal["promises"]["draft"] == 2
    other = api.get(f"/api/v1/municipalities/{MALMO}", "police_other").json()["summary"]
    assert "draft" not in other["promises"]
    assert api.get("/api/v1/municipalities/0000").status_code == 404


# -- "you said, we did" ------------------------------------------------------------------


def test_outcomes_show_what_became_of_each_observation(api: Api) -> None:
    dialogue = api.dialogue(MALMO, observations=2)
    first, second = dialogue["observations"]
    issue = api.ok(
        "/api/v1/issues",
        issue_body(evidence=[{"dialogue_id": dialogue["id"], "observation_id": first["id"]}]),
        "police",
    )
    api.ok(f"/api/v1/issues/{issue['id']}/prioritisation", {"priority": 1, "rationale": "Ja."})
    whole = api.ok(
        "/api/v1/issues", issue_body(evidence=[{"dialogue_id": dialogue["id"]}]), "police"
    )
    promise = api.ok("/api/v1/promises", promise_body([MALMO], [issue["id"]]), "police")

    response = api.get(f"/api/v1/dialogues/{dialogue['id']}/outcomes")
    assert response.status_code == 200
    outcomes = response.json()
    assert outcomes["dialogue"]["id"] == dialogue["id"]
    assert NOTE not in json.dumps(outcomes)
    # Only a draft addresses the issue, and nothing the other: neither is public yet.
    assert [o["issues"] for o in outcomes["observations"]] == [[], []]
    other = api.get(f"/api/v1/dialogues/{dialogue['id']}/outcomes", "police_other").json()
    assert [o["issues"] for o in other["observations"]] == [[], []]

    own = api.get(f"/api/v1/dialogues/{dialogue['id']}/outcomes", "police").json()
    by_observation = {o["id"]: o for o in own["observations"]}
    cited_first = {i["id"]: i for i in by_observation[first["id"]]["issues"]}
    assert set(cited_first) == {issue["id"], whole["id"]}
    assert cited_first[issue["id"]]["cites"] == "observation"
    assert cited_first[whole["id"]]["cites"] == "dialogue"
    assert [p["id"] for p in cited_first[issue["id"]]["promises"]] == [promise["id"]]
    assert cited_first[issue["id"]]["promises"][0]["status"] == "draft"
    assert [i["id"] for i in by_observation[second["id"]]["issues"]] == [whole["id"]]

    unknown = api.get(f"/api/v1/dialogues/{UUID(int=1)}/outcomes")
    assert unknown.status_code == 404


def test_outcomes_name_the_latest_follow_up_of_an_issued_promise(api: Api) -> None:
    promise = api.promise(MALMO, state="final_done")
    issue_id = promise["addresses"][0]
    dialogue = api.dialogue(MALMO, observations=1)
    app = api.loftesboken
    app.add_evidence(
        UUID(issue_id),
        DialogueEvidence(dialogue_id=UUID(dialogue["id"]), observation_id=None),
        actor=BUILDER,
    )
    outcomes = api.get(f"/api/v1/dialogues/{dialogue['id']}/outcomes").json()
    addressed = outcomes["observations"][0]["issues"][0]["promises"]
    assert [p["id"] for p in addressed] == [promise["id"]]
    latest = addressed[0]["latest_follow_up"]
    assert latest["status"] == "done" and latest["summary"] == "Klart."


def test_a_promise_withdrawn_as_a_draft_stays_out_of_public_reads(api: Api) -> None:
    """Withdrawing a draft does not publish it: public reads show only promises once issued."""
    dialogue = api.dialogue(MALMO, observations=1)
    observation = dialogue["observations"][0]
    issue = api.ok(
        "/api/v1/issues",
        issue_body(evidence=[{"dialogue_id": dialogue["id"], "observation_id": observation["id"]}]),
        "police",
    )
    api.ok(f"/api/v1/issues/{issue['id']}/prioritisation", {"priority": 1, "rationale": "Ja."})
    draft = api.ok("/api/v1/promises", promise_body([MALMO], [issue["id"]]), "police")
    api.ok(f"/api/v1/promises/{draft['id']}/withdrawal", {"reason": "Fel period."}, "police")
    issued = api.promise(MALMO, state="issued")
    api.ok(f"/api/v1/promises/{issued['id']}/withdrawal", {"reason": "Ersatt."}, "police")

    for path in (f"/api/v1/promises/{draft['id']}", f"/api/v1/promises/{draft['id']}/derivation"):
        assert api.get(path).status_code == 404
        assert api.get(path, "police_other").status_code == 404
        assert api.get(path, "police").status_code == 200
    assert api.get(f"/api/v1/promises/{issued['id']}").json()["status"] == "withdrawn"
    for path in ("/api/v1/promises", "/api/v1/promises?status=withdrawn"):
        assert ids(all_items(api, path)) == [issued["id"]]
        assert ids(all_items(api, path, "police_other")) == [issued["id"]]
        assert draft["id"] in ids(all_items(api, path, "police"))
    outcomes = api.get(f"/api/v1/dialogues/{dialogue['id']}/outcomes").json()
    assert outcomes["observations"][0]["issues"] == []  # addressed by no issued promise
    own = api.get(f"/api/v1/dialogues/{dialogue['id']}/outcomes", "police").json()
    assert [p["id"] for p in own["observations"][0]["issues"][0]["promises"]] == [draft["id"]]
    public = api.get(f"/api/v1/municipalities/{MALMO}").json()["summary"]["promises"]
    assert public == {"issued": 0, "concluded": 0, "withdrawn": 1}
    internal = api.get(f"/api/v1/municipalities/{MALMO}", "police").json()["summary"]
    assert internal["promises"]["withdrawn"] == 2


# -- derivation and history ------------------------------------------------------------


def test_the_derivation_of_an_issued_promise_is_public_and_has_no_notes(api: Api) -> None:
    dialogue = api.dialogue(MALMO, observations=1)
    observation = dialogue["observations"][0]
    issue = api.ok(
        "/api/v1/issues",
        issue_body(evidence=[{"dialogue_id": dialogue["id"], "observation_id": observation["id"]}]),
        "police",
    )
    api.ok(f"/api/v1/issues/{issue['id']}/prioritisation", {"priority": 2, "rationale": "Ofta."})
    promise = api.ok("/api/v1/promises", promise_body([MALMO], [issue["id"]]), "police")
    path = f"/api/v1/promises/{promise['id']}/derivation"
    assert api.get(path).status_code == 404  # a draft is not public
    assert api.get(path, "police").status_code == 200

    api.loftesboken.sign_promise(
        UUID(promise["id"]),
        party=Party.POLICE,
        name="Anna",
        title="Chef",
        signed_on=TODAY,
        actor=BUILDER,
    )
    api.ok(
        f"/api/v1/promises/{promise['id']}/signatures",
        {
            "party": "municipality",
            "municipality": MALMO,
            "name": "Erik",
            "title": "Ordförande",
            "signed_on": "2025-02-07",
        },
        "municipality",
    )
    before_more_evidence = datetime.now(UTC)
    api.ok(
        f"/api/v1/issues/{issue['id']}/evidence",
        {"source_type": "statistics", "reference": "BRÅ 2024"},
        "police",
    )
    api.ok(f"/api/v1/promises/{promise['id']}/issuance", {"issued_on": "2025-02-10"}, "police")

    response = api.get(path)
    assert response.status_code == 200
    derivation = response.json()
    assert NOTE not in json.dumps(derivation)
    assert derivation["promise"]["status"] == "issued"
    (derived,) = derivation["issues"]
    assert (derived["priority"], derived["rationale"]) == (2, "Ofta.")
    assert derived["evidence"] == [
        {
            "dialogue": {
                "id": dialogue["id"],
                "kind": "safety_walk",
                "held_on": "2025-02-04",
                "title": "Trygghetsvandring i Lindängen",
            },
            "observation": {
                "id": observation["id"],
                "theme": "public_environment",
                "summary": observation["summary"],
                "count": 3,
            },
            "retracted": False,
        },
        {"source_type": "statistics", "reference": "BRÅ 2024"},
    ]
    assert derived["evidence_retracted"] is False

    moment = before_more_evidence.isoformat()
    then = api.get(f"{path}?as_of={moment.replace('+00:00', 'Z')}")
    assert then.status_code == 404  # it was still a draft then, which the public may not see
    then = api.get(f"{path}?as_of={moment.replace('+', '%2B')}", "police")
    assert then.status_code == 200, then.text
    assert then.json()["promise"]["status"] == "draft"
    assert len(then.json()["issues"][0]["evidence"]) == 1
    naive = before_more_evidence.replace(tzinfo=None).isoformat()
    assert api.get(f"{path}?as_of={naive}", "police").json() == then.json()
    assert api.get(f"{path}?as_of=2000-01-01T00:00:00Z", "police").status_code == 404
    for bad in ("yesterday", "2025-13-01T00:00:00Z", "0001-01-01T00:00:00Z"):
        assert_422(api, f"{path}?as_of={bad}", "police")
    assert api.get(f"/api/v1/promises/{UUID(int=7)}/derivation").status_code == 404


def test_the_history_of_a_promise_is_for_tokens_only(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")
    path = f"/api/v1/promises/{promise['id']}/history"
    assert api.get(path).status_code == 401
    assert api.get(path, "police_other").status_code == 403
    draft = api.promise(MALMO)
    assert api.get(f"/api/v1/promises/{draft['id']}/history", "police_other").status_code == 404
    assert api.get(f"/api/v1/promises/{UUID(int=3)}/history", "auditor").status_code == 404

    items = all_items(api, path, "auditor")
    assert [i["version"] for i in items] == list(range(1, promise["version"] + 1))
    types = [i["event_type"] for i in items]
    assert types[0] == "PromiseDrafted" and "PromiseIssued" in types
    assert types.count("FollowUpScheduled") == 5
    assert items[0]["actor"] == {"label": BUILDER.label, "role": "admin"}
    assert all_items(api, path, "municipality") == items
    assert_422(api, f"{path}?cursor=nonsense", "auditor")


def test_reads_of_unknown_ids_are_404_never_500(api: Api) -> None:
    for path in (
        f"/api/v1/dialogues/{UUID(int=5)}/outcomes",
        f"/api/v1/promises/{UUID(int=5)}/derivation",
        f"/api/v1/promises/{UUID(int=5)}/history",
        "/api/v1/dialogues/not-an-id/outcomes",
        "/api/v1/promises/not-an-id/derivation",
    ):
        assert api.get(path, "admin").status_code == 404, path


def forged(kind: str, key: list[Any]) -> str:
    raw = json.dumps([kind, key]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_forged_cursors_are_422_not_500(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")
    huge = 10**30
    for path in (
        f"/api/v1/dialogues?cursor={forged('dialogues', [huge])}",
        f"/api/v1/deadlines?cursor={forged('deadlines', ['2025-01-01', huge])}",
        f"/api/v1/promises?cursor={forged('promises', [-huge])}",
        f"/api/v1/municipalities/{MALMO}/audit?cursor={forged('audit', [MALMO, 'abc'])}",
        f"/api/v1/municipalities/{MALMO}/audit?cursor={forged('audit', [MALMO, huge])}",
        f"/api/v1/promises/{promise['id']}/history?cursor={forged('history', ['abc'])}",
        f"/api/v1/promises/{promise['id']}/history?cursor={forged('history', [huge])}",
    ):
        assert_422(api, path)


def test_the_read_your_writes_wait_is_a_setting(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOFTEN_READ_WAIT_SECONDS", "0.25")
    assert Settings().read_wait_seconds == 0.25
    monkeypatch.delenv("LOFTEN_READ_WAIT_SECONDS")
    assert Settings().read_wait_seconds == 2.0
    settings = api_settings(tmp_path).model_copy(update={"read_wait_seconds": 0.25})
    for api in start_api(settings, clock):
        assert api.app.state.projections.read_wait_seconds == 0.25
