"""Refusals of the process read in Swedish beside their field and on the error page,
and unchanged in English on an English page (through the workspace's own forms)."""

from __future__ import annotations

from uuid import uuid4

from fastapi.testclient import TestClient

from tests.support.api import MALMO, Api
from tests.workspace.client import Person


def person(api: Api, caller: str) -> Person:
    someone = Person(TestClient(api.app))
    assert someone.sign_in(api.secrets[caller]).status_code == 303
    return someone


def error_of(html: str, field: str) -> str:
    return html.split(f'id="{field}-error"')[1].split("</p>")[0]


def follow_up_held_before_issuance(api: Api, lang: str | None) -> str:
    promise = api.promise(MALMO, state="issued")  # issued 2025-02-10
    follow_up = promise["follow_ups"][0]
    activity = promise["activities"][0]["id"]
    path = f"/arbete/loften/{promise['id']}/uppfoljningar/{follow_up['id']}"
    params = {"lang": lang} if lang else {}
    someone = person(api, "police")
    before = api.event_count()
    refused = someone.send(
        path + (f"?lang={lang}" if lang else ""),
        path,
        {
            "version": str(promise["version"]),
            f"a-{activity}-status": "in_progress",
            f"a-{activity}-comment": "Två av fyra vandringar gjorda.",
            "summary": "Halvvägs.",
            "held_on": "2025-02-01",
        },
        params=params,
    )
    assert refused.status_code == 409
    assert api.event_count() == before
    return error_of(refused.text, "held_on")


def test_a_follow_up_held_before_issuance_is_refused_in_swedish_beside_its_date(
    api: Api,
) -> None:
    shown = follow_up_held_before_issuance(api, None)
    assert "Uppföljningen hölls 2025-02-01, före löftets utfärdande 2025-02-10." in shown
    assert 'lang="en"' not in shown


def test_on_an_english_page_the_refusal_is_the_domain_s_own_sentence(api: Api) -> None:
    shown = follow_up_held_before_issuance(api, "en")
    assert "The follow-up was held on 2025-02-01, before the promise was issued on 2025-02-10." in (
        shown
    )
    assert 'lang="en"' not in shown  # the page is English already


def test_feedback_published_before_issuance_is_refused_in_swedish(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")  # issued 2025-02-10
    path = f"/arbete/loften/{promise['id']}"
    someone = person(api, "municipality")
    refused = someone.send(
        path,
        f"{path}/aterkoppling",
        {
            "version": str(promise["version"]),
            "fb-published_on": "2025-01-15",
            "fb-channel": "malmo.se",
            "fb-summary": "Så gick det.",
        },
    )
    assert refused.status_code == 409
    assert "Återkopplingen publicerades 2025-01-15, före löftets utfärdande 2025-02-10." in (
        error_of(refused.text, "fb-published_on")
    )


def test_the_error_page_gives_the_workflow_s_refusal_in_swedish(api: Api) -> None:
    someone = person(api, "police")
    missing = uuid4()
    page = someone.get(f"/arbete/loften/{missing}")
    assert page.status_code == 404
    assert f"<p>Det finns inget löfte med id {missing}.</p>" in page.text
    english = someone.get(f"/arbete/loften/{missing}", lang="en")
    assert f"<p>No promise with id {missing}.</p>" in english.text


def test_what_a_draft_still_needs_is_listed_in_swedish(api: Api) -> None:
    promise = api.promise(MALMO)  # a draft, signed by no one
    someone = person(api, "police")
    page = someone.get(f"/arbete/loften/{promise['id']}")
    assert page.status_code == 200
    assert "<li>polisens underskrift</li>" in page.text
    assert f"<li>underskrift av kommun {MALMO}</li>" in page.text
    english = someone.get(f"/arbete/loften/{promise['id']}", lang="en")
    assert "<li>the police signature</li>" in english.text
