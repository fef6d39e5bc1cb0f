"""Corrections in the workspace: only what changed, with a reason, as a correction event;
an observation retracted; a draft amended; a follow-up and a feedback corrected."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from domain.values import ActivityReport, ActivityStatus
from tests.support.api import BUILDER, MALMO, TODAY, Api
from tests.workspace.client import Person, csrf_of


def person(api: Api, caller: str = "police") -> Person:
    someone = Person(TestClient(api.app))
    assert someone.sign_in(api.secrets[caller]).status_code == 303
    return someone


def correct(someone: Person, path: str, **changes: str) -> Any:
    page = someone.get(path)
    assert page.status_code == 200, page.text
    return someone.send(path, path, changes)


def event_types(api: Api, aggregate_id: str) -> list[str]:
    return [type(e).__name__ for e in api.loftesboken.aggregate_events(UUID(aggregate_id))]


def test_a_dialogue_is_corrected_with_only_what_changed_and_a_reason(api: Api) -> None:
    dialogue = api.dialogue(MALMO, observations=1)
    someone = person(api)
    path = f"/arbete/dialoger/{dialogue['id']}/rattelse"
    form = someone.get(path).text
    assert 'value="Trygghetsvandring i Lindängen"' in form  # the values as they stand
    before = api.event_count()
    unchanged = correct(
        someone, path, version=str(dialogue["version"]), title=dialogue["title"], reason="Ingenting"
    )
    assert unchanged.status_code == 400 and "Inget fält är ändrat" in unchanged.text
    no_reason = correct(someone, path, version=str(dialogue["version"]), title="Ny", reason="")
    assert no_reason.status_code == 400 and 'id="reason-error"' in no_reason.text
    assert api.event_count() == before
    values = {name: str(dialogue[name] or "") for name in ("kind", "held_on", "place")}
    done = someone.send(
        path,
        path,
        {
            **values,
            "version": str(dialogue["version"]),
            "title": "Trygghetsvandring i Lindängen 2025",
            "participants": "32",
            "organisers": "Kommunpolis Malmö",
            "reason": "Fel antal.",
        },
    )
    assert done.status_code == 303, done.text
    corrected = api.loftesboken.get_dialogue(UUID(dialogue["id"]))
    assert corrected.title.endswith("2025") and corrected.participants == 32
    assert event_types(api, dialogue["id"])[-1] == "DialogueCorrected"


def test_an_observation_is_corrected_then_retracted(api: Api) -> None:
    dialogue = api.dialogue(MALMO, observations=1)
    observation = dialogue["observations"][0]
    someone = person(api, "municipality")
    base = f"/arbete/dialoger/{dialogue['id']}/iakttagelser/{observation['id']}"
    page = someone.get(f"/arbete/dialoger/{dialogue['id']}").text
    assert f"{base}/rattelse" in page
    done = someone.send(
        f"{base}/rattelse",
        f"{base}/rattelse",
        {
            "version": str(dialogue["version"]),
            "theme": observation["theme"],
            "summary": observation["summary"],
            "place": observation["place"],
            "count": "5",
            "note": observation["note"],
            "reason": "Fem, inte tre.",
        },
    )
    assert done.status_code == 303, done.text
    version = str(api.loftesboken.get_dialogue(UUID(dialogue["id"])).version)
    retracted = someone.send(
        f"{base}/rattelse",
        f"{base}/tillbakadragning",
        {"version": version, "retract_reason": "Registrerades två gånger."},
    )
    assert retracted.status_code == 303, retracted.text
    page = someone.get(f"/arbete/dialoger/{dialogue['id']}").text
    assert "tillbakadragen" in page and "Registrerades två gånger." in page
    assert event_types(api, dialogue["id"])[-2:] == ["ObservationCorrected", "ObservationRetracted"]


def test_a_draft_is_amended_and_an_issued_promise_is_refused_beside_the_form(api: Api) -> None:
    draft = api.promise(MALMO)
    someone = person(api)
    path = f"/arbete/loften/{draft['id']}/andring"
    values = {
        name: str(draft[name]) for name in ("title", "police_district", "starts_on", "ends_on")
    }
    values["follow_up_cadence"] = draft["follow_up_cadence"]
    done = someone.send(
        path,
        path,
        {
            **values,
            "version": str(draft["version"]),
            "text": "Ny löftestext.",
            "reason": "KS ville ändra.",
        },
    )
    assert done.status_code == 303, done.text
    assert api.loftesboken.get_promise(UUID(draft["id"])).text == "Ny löftestext."

    issued = api.promise(MALMO, state="issued")
    path = f"/arbete/loften/{issued['id']}/andring"
    values = {
        name: str(issued[name]) for name in ("title", "police_district", "starts_on", "ends_on")
    }
    values["follow_up_cadence"] = issued["follow_up_cadence"]
    before = api.event_count()
    refused = someone.send(
        path,
        path,
        {**values, "version": str(issued["version"]), "text": "Annan text.", "reason": "Försök."},
    )
    assert refused.status_code == 409 and "Annan text." in refused.text
    assert api.event_count() == before


def test_a_follow_up_and_a_feedback_are_corrected(api: Api) -> None:
    promise = api.promise(MALMO, state="final_done")
    app = api.loftesboken
    app.publish_feedback(
        UUID(promise["id"]),
        published_on=TODAY,
        channel="malmo.se",
        summary="Så gick det.",
        actor=BUILDER,
    )
    current = app.get_promise(UUID(promise["id"]))
    final = current.final_follow_up
    assert final is not None
    someone = person(api)
    path = f"/arbete/loften/{promise['id']}/uppfoljningar/{final.id}/rattelse"
    done = someone.send(
        path,
        path,
        {
            "version": str(current.version),
            "held_on": TODAY.isoformat(),
            "summary": "Klart, med protokoll.",
            "reason": "Förtydligat.",
        },
    )
    assert done.status_code == 303, done.text
    current = app.get_promise(UUID(promise["id"]))
    feedback = current.feedback[0]
    path = f"/arbete/loften/{promise['id']}/aterkoppling/{feedback.id}/rattelse"
    done = someone.send(
        path,
        path,
        {
            "version": str(current.version),
            "published_on": TODAY.isoformat(),
            "channel": "malmo.se och Sydsvenskan",
            "summary": feedback.summary,
            "reason": "Även i tidningen.",
        },
    )
    assert done.status_code == 303, done.text
    assert event_types(api, promise["id"])[-2:] == ["FollowUpCorrected", "FeedbackCorrected"]


def test_a_draft_is_amended_to_address_another_prioritised_issue(api: Api) -> None:
    draft = api.promise(MALMO)
    other = api.issue(MALMO)
    someone = person(api, "municipality")
    path = f"/arbete/loften/{draft['id']}/andring"
    form = someone.get(path).text
    assert f'value="{other["id"]}"' in form and f'value="{draft["addresses"][0]}" checked' in form
    answer = someone.client.post(
        path,
        data={
            "csrf_token": csrf_of(form),
            "version": str(draft["version"]),
            "addresses__sent": "1",
            "addresses": [draft["addresses"][0], other["id"]],
            "reason": "Även det andra problemet.",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    amended = api.loftesboken.get_promise(UUID(draft["id"]))
    assert {str(i) for i in amended.addresses} == {draft["addresses"][0], other["id"]}
    none_left = someone.send(
        path, path, {"version": str(amended.version), "addresses__sent": "1", "reason": "Inget."}
    )
    assert none_left.status_code == 400 and 'id="addresses-error"' in none_left.text


def test_a_follow_up_correction_changes_an_activitys_reported_status(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")
    app = api.loftesboken
    first = promise["follow_ups"][0]["id"]
    activity = promise["activities"][0]["id"]
    app.record_follow_up(
        UUID(promise["id"]),
        UUID(first),
        held_on=TODAY,
        summary="Pågår.",
        activities=[ActivityReport(UUID(activity), ActivityStatus.IN_PROGRESS, None)],
        actor=BUILDER,
    )
    version = str(app.get_promise(UUID(promise["id"])).version)
    someone = person(api)
    path = f"/arbete/loften/{promise['id']}/uppfoljningar/{first}/rattelse"
    form = someone.get(path).text
    assert re.search(rf'id="r-{activity}-status".*?value="in_progress" selected', form, re.S)
    done = someone.send(
        path,
        path,
        {
            "version": version,
            f"r-{activity}-status": "done",
            f"r-{activity}-comment": "Klar redan då.",
            "reason": "Fel status i protokollet.",
        },
    )
    assert done.status_code == 303, done.text
    report = app.get_promise(UUID(promise["id"])).follow_up(UUID(first)).reports[0]
    assert report.status is ActivityStatus.DONE and report.comment == "Klar redan då."
