"""Follow-ups in the workspace (a row per activity, date rules beside their field, moving
one with a reason) and the admin's token pages (secret shown once, revocation)."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from domain.values import FollowUpStatus
from tests.support.api import MALMO, Api
from tests.workspace.client import Person


def person(api: Api, caller: str) -> Person:
    someone = Person(TestClient(api.app))
    assert someone.sign_in(api.secrets[caller]).status_code == 303
    return someone


def test_a_follow_up_has_a_row_per_activity_and_a_date_before_issuance_is_refused_beside_it(
    api: Api,
) -> None:
    promise = api.promise(MALMO, state="issued")  # issued 2025-02-10
    follow_up = promise["follow_ups"][0]
    activity = promise["activities"][0]["id"]
    path = f"/arbete/loften/{promise['id']}/uppfoljningar/{follow_up['id']}"
    someone = person(api, "police")
    page = someone.get(path)
    assert page.status_code == 200 and f'id="a-{activity}-status"' in page.text
    values = {
        "version": str(promise["version"]),
        f"a-{activity}-status": "in_progress",
        f"a-{activity}-comment": "Två av fyra vandringar gjorda.",
        "summary": "Halvvägs.",
        "held_on": "2025-02-01",
    }
    before = api.event_count()
    refused = someone.send(path, path, values)
    assert refused.status_code == 409
    assert 'id="held_on-error"' in refused.text and "2025-02-01" in refused.text
    held_on_error = refused.text.split('id="held_on-error"')[1].split("</p>")[0]
    assert "Uppföljningen hölls 2025-02-01, före löftets utfärdande 2025-02-10." in held_on_error
    assert 'value="Två av fyra vandringar gjorda."' in refused.text
    assert api.event_count() == before

    done = someone.send(path, path, {**values, "held_on": "2025-02-10"})
    assert done.status_code == 303, done.text
    recorded = api.loftesboken.get_promise(UUID(promise["id"])).follow_up(UUID(follow_up["id"]))
    assert recorded.status is FollowUpStatus.DONE
    assert recorded.reports[0].comment == "Två av fyra vandringar gjorda."


def test_feedback_dated_before_issuance_is_refused_beside_its_date(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")  # issued 2025-02-10
    path = f"/arbete/loften/{promise['id']}"
    someone = person(api, "municipality")
    before = api.event_count()
    values = {
        "version": str(promise["version"]),
        "fb-published_on": "2025-01-15",
        "fb-channel": "malmo.se",
        "fb-summary": "Så gick det.",
    }
    refused = someone.send(path, f"{path}/aterkoppling", values)
    assert refused.status_code == 409
    assert 'id="fb-published_on-error"' in refused.text and "2025-01-15" in refused.text
    assert 'value="malmo.se"' in refused.text
    assert api.event_count() == before


def test_a_follow_up_is_moved_with_a_reason(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")
    follow_up = promise["follow_ups"][0]
    path = f"/arbete/loften/{promise['id']}/uppfoljningar/{follow_up['id']}"
    someone = person(api, "municipality")
    missing = someone.send(
        path, f"{path}/flytt", {"version": str(promise["version"]), "mv-due_on": "2025-04-15"}
    )
    assert missing.status_code == 400 and 'id="mv-reason-error"' in missing.text
    moved = someone.send(
        path,
        f"{path}/flytt",
        {"version": str(promise["version"]), "mv-due_on": "2025-04-15", "mv-reason": "Påsklov."},
    )
    assert moved.status_code == 303, moved.text
    page = someone.get(path)
    assert "Påsklov." in page.text and "15 april 2025" in page.text


def test_only_an_admin_reaches_the_token_pages(api: Api) -> None:
    assert person(api, "police").get("/arbete/admin/").status_code == 403
    assert person(api, "auditor").get("/arbete/admin/").status_code == 403


def test_an_admin_issues_a_token_shown_once_and_revokes_it(api: Api) -> None:
    admin = person(api, "admin")
    refused = admin.send(
        "/arbete/admin/",
        "/arbete/admin/nycklar",
        {"role": "municipality", "municipalities": "", "label": "X", "expires_on": "2025-01-01"},
    )
    assert refused.status_code == 400
    assert (
        'id="municipalities-error"' in refused.text and 'id="expires_on-error"' not in refused.text
    )
    issued = admin.send(
        "/arbete/admin/",
        "/arbete/admin/nycklar",
        {"role": "municipality", "municipalities": "1480", "label": "Samordnare Göteborg"},
    )
    assert issued.status_code == 303
    shown = admin.get(issued.headers["location"])
    assert shown.status_code == 200
    secret = shown.text.split('id="new-secret">')[1].split("<")[0]
    assert api.app.state.tokens.find(secret) is not None
    listing = admin.get("/arbete/admin/")
    assert secret not in listing.text and "Samordnare Göteborg" in listing.text
    record = next(r for r in api.app.state.tokens.tokens() if r.label == "Samordnare Göteborg")
    revoked = admin.send("/arbete/admin/", f"/arbete/admin/nycklar/{record.id}/sparr", {})
    assert revoked.status_code == 303
    assert api.app.state.tokens.get(record.id).revoked_at is not None


def test_reloading_the_new_token_page_shows_nothing_and_issues_nothing(api: Api) -> None:
    """POST/redirect/GET: the secret is handed over once; a reload is told it was shown."""
    admin = person(api, "admin")
    before = len(api.app.state.tokens.tokens())
    issued = admin.send(
        "/arbete/admin/",
        "/arbete/admin/nycklar",
        {"role": "police", "municipalities": "1280", "label": "Utredare Malmö"},
    )
    assert issued.status_code == 303
    target = issued.headers["location"]
    assert person(api, "admin").get(target).status_code == 410  # another session: not its secret
    first = admin.get(target)
    secret = first.text.split('id="new-secret">')[1].split("<")[0]
    assert api.app.state.tokens.find(secret) is not None
    again = admin.get(target)
    assert again.status_code == 410
    assert 'id="new-secret"' not in again.text and secret not in again.text
    assert "Nyckeln är redan visad" in again.text
    assert len(api.app.state.tokens.tokens()) == before + 1
