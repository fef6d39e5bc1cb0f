"""Dialogues in the workspace: recording one, its observations by form, table and CSV,
the list and its filters; each refusal beside its field, with nothing recorded."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from tests.support.api import Api
from tests.workspace.client import Person, csrf_of

DIALOGUE = {
    "municipality": "1280",
    "kind": "safety_walk",
    "held_on": "2025-02-04",
    "title": "Trygghetsvandring i Lindängen",
    "place": "Lindängens centrum",
    "participants": "23",
    "organisers": "Kommunpolis Malmö\nTrygghetssamordnare Malmö stad\n",
}


def signed_in(api: Api, caller: str = "police") -> Person:
    someone = Person(TestClient(api.app))
    assert someone.sign_in(api.secrets[caller]).status_code == 303
    return someone


def hold(someone: Person, **overrides: str) -> Any:
    return someone.send(
        "/arbete/dialoger/ny?kommun=1280", "/arbete/dialoger", {**DIALOGUE, **overrides}
    )


def held(api: Api, someone: Person) -> str:
    answer = hold(someone)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/arbete/dialoger/([0-9a-f-]{36})", answer.headers["location"])
    assert found
    return found.group(1)


def test_a_dialogue_is_recorded_from_the_form(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    page = someone.get(f"/arbete/dialoger/{dialogue_id}")
    assert page.status_code == 200
    assert "Trygghetsvandring i Lindängen" in page.text
    recorded = api.loftesboken.get_dialogue(UUID(dialogue_id))
    assert recorded.organisers == ["Kommunpolis Malmö", "Trygghetssamordnare Malmö stad"]
    assert recorded.participants == 23


def test_bad_values_are_named_beside_their_fields_and_what_was_typed_is_kept(api: Api) -> None:
    someone = signed_in(api)
    before = api.event_count()
    answer = hold(someone, title="", held_on="4 februari", participants="många")
    assert answer.status_code == 400
    for field in ("title", "held_on", "participants"):
        assert f'id="{field}-error"' in answer.text
        assert f'href="#{field}"' in answer.text  # the summary links to the field
    assert 'value="Lindängens centrum"' in answer.text
    assert 'value="4 februari"' in answer.text
    assert api.event_count() == before


def test_a_rule_of_the_process_is_shown_next_to_the_date_it_concerns(api: Api) -> None:
    someone = signed_in(api)
    before = api.event_count()
    answer = hold(someone, held_on="2025-03-01")  # after today (2025-02-10)
    assert answer.status_code == 409
    assert 'id="held_on-error"' in answer.text and "2025-03-01" in answer.text
    assert api.event_count() == before


def test_a_coordinator_of_another_municipality_gets_a_403_page_and_nothing_is_recorded(
    api: Api,
) -> None:
    someone = signed_in(api, "municipality_other")
    before = api.event_count()
    answer = someone.send("/arbete/dialoger/ny", "/arbete/dialoger", DIALOGUE)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "Du har inte behörighet" in answer.text
    assert api.event_count() == before
    assert someone.get("/arbete/dialoger/ny?kommun=1280").status_code == 403


def rows(*filled: dict[str, str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for i, row in enumerate(filled):
        data.update({f"obs-{i}-{name}": value for name, value in row.items()})
    return data


def test_observations_come_in_as_a_table_and_blank_rows_are_skipped(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    path = f"/arbete/dialoger/{dialogue_id}"
    table = rows(
        {"theme": "drugs", "summary": "Försäljning vid torget", "count": "4", "note": "Port 3"},
        {"theme": "", "summary": "", "count": "", "place": "", "note": ""},
        {"theme": "public_environment", "summary": "Mörk tunnel", "count": "9", "place": "Tunneln"},
    )
    answer = someone.send(path, f"{path}/iakttagelser", {"version": "1", **table})
    assert answer.status_code == 303, answer.text
    page = someone.get(path)
    assert "Försäljning vid torget" in page.text and "Port 3" in page.text
    observations = api.loftesboken.get_dialogue(UUID(dialogue_id)).observations
    assert sorted(o.count for o in observations.values()) == [4, 9]


def test_one_bad_row_records_nothing_and_is_named(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    path = f"/arbete/dialoger/{dialogue_id}"
    before = api.event_count()
    table = rows(
        {"theme": "drugs", "summary": "Försäljning vid torget", "count": "4"},
        {"theme": "drugs", "summary": "Klotter", "count": "noll"},
        {"theme": "", "summary": "Utan tema", "count": "2"},
    )
    answer = someone.send(path, f"{path}/iakttagelser", {"version": "1", **table})
    assert answer.status_code == 400
    assert 'id="obs-1-count-error"' in answer.text and 'id="obs-2-theme-error"' in answer.text
    assert 'value="Försäljning vid torget"' in answer.text
    assert api.event_count() == before


def test_a_stale_form_says_someone_changed_it_and_records_nothing(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    path = f"/arbete/dialoger/{dialogue_id}"
    first = rows({"theme": "drugs", "summary": "Först", "count": "1"})
    assert someone.send(path, f"{path}/iakttagelser", {"version": "1", **first}).status_code == 303
    before = api.event_count()
    late = rows({"theme": "traffic", "summary": "Sent", "count": "2"})
    answer = someone.send(path, f"{path}/iakttagelser", {"version": "1", **late})
    assert answer.status_code == 412
    assert "Någon har ändrat detta sedan du öppnade sidan" in answer.text
    assert "Först" in answer.text and 'value="Sent"' in answer.text
    assert api.event_count() == before


GOOD_CSV = (
    "theme,summary,count,place\n"
    "drugs,Öppen narkotikaförsäljning vid torget,12,Lindängens centrum\n"
    "Trafik,För höga hastigheter på Munkhättegatan,7,\n"
)
BAD_CSV = (
    "theme;summary;count\n"
    "drugs;Öppen försäljning;12\n"
    "väder;Regn;3\n"
    "traffic;;4\n"
    "vandalism;Klotter;-2\n"
)


def upload(someone: Person, path: str, text: str) -> Any:
    page = someone.client.get(path)
    return someone.client.post(
        f"{path}/csv",
        data={"csrf_token": csrf_of(page.text), "version": "1"},
        files={"file": ("enkat.csv", text.encode("cp1252"), "text/csv")},
        follow_redirects=False,
    )


def test_a_csv_with_bad_rows_shows_each_error_and_records_nothing(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    path = f"/arbete/dialoger/{dialogue_id}"
    before = api.event_count()
    answer = upload(someone, path, BAD_CSV)
    assert answer.status_code == 400
    assert "3 av 4 rader har fel" in answer.text
    assert "Okänt tema ”väder”" in answer.text
    assert "summary: Fyll i det här fältet." in answer.text
    assert "count: Minst 1." in answer.text
    assert "csv/bekrafta" not in answer.text
    assert api.event_count() == before


def test_a_good_csv_is_previewed_then_recorded_once_confirmed(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    path = f"/arbete/dialoger/{dialogue_id}"
    before = api.event_count()
    preview = upload(someone, path, GOOD_CSV)
    assert preview.status_code == 200, preview.text
    assert "Alla 2 rader är rätt" in preview.text
    assert api.event_count() == before
    confirm = someone.client.post(
        f"{path}/csv/bekrafta",
        data={"csrf_token": csrf_of(preview.text), "version": "1", "csv": GOOD_CSV},
        follow_redirects=False,
    )
    assert confirm.status_code == 303, confirm.text
    observations = api.loftesboken.get_dialogue(UUID(dialogue_id)).observations
    assert sorted((o.theme.value, o.count) for o in observations.values()) == [
        ("drugs", 12),
        ("traffic", 7),
    ]


def test_the_list_filters_by_year_and_kind_and_the_history_shows_every_event(api: Api) -> None:
    someone = signed_in(api)
    dialogue_id = held(api, someone)
    hold(someone, kind="survey", title="Trygghetsmätning 2024", held_on="2024-10-01")
    walks = someone.get("/arbete/dialoger", kommun="1280", ar="2025", typ="safety_walk")
    assert "Trygghetsvandring i Lindängen" in walks.text
    assert "Trygghetsmätning 2024" not in walks.text
    every = someone.get("/arbete/dialoger", kommun="1280", ar="", typ="")
    assert "Trygghetsmätning 2024" in every.text
    history = someone.get(f"/arbete/historik/{dialogue_id}")
    assert history.status_code == 200 and "DialogueHeld" in history.text
