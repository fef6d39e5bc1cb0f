"""`/arbete/paminnelser/{code}`: the municipality's reminder addresses, set in the browser."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.api import MALMO, Api
from tests.workspace.client import Person

PAGE = f"/arbete/paminnelser/{MALMO}"


def person(api: Api, caller: str) -> Person:
    someone = Person(TestClient(api.app))
    assert someone.sign_in(api.secrets[caller]).status_code == 303
    return someone


def test_the_municipality_sets_its_addresses_and_is_told_nothing_is_sent(api: Api) -> None:
    coordinator = person(api, "municipality")
    shown = coordinator.get(PAGE)
    assert shown.status_code == 200
    assert "LOFTEN_SMTP_URL" in shown.text  # no mail server here: the page says so
    saved = coordinator.send(PAGE, PAGE, {"addresses": "Trygghet@malmo.se\n\n"})
    assert saved.status_code == 200, saved.text
    assert "Adresserna är sparade" in saved.text
    assert api.loftesboken.reminder_addresses(MALMO) == ("trygghet@malmo.se",)
    assert coordinator.get("/arbete/paminnelser/").headers["location"].endswith(PAGE)


def test_a_bad_address_is_shown_as_a_field_error_and_nothing_changes(api: Api) -> None:
    admin = person(api, "admin")
    before = api.event_count()
    refused = admin.send(PAGE, PAGE, {"addresses": "inte en adress"})
    assert refused.status_code == 400
    assert 'id="addresses-error"' in refused.text
    shown = refused.text.split('id="addresses-error"')[1].split("</p>")[0]
    assert "&#39;inte en adress&#39; är inte en e-postadress (namn@domän.se)." in shown
    assert api.event_count() == before


def test_no_one_else_reaches_the_page_and_the_admin_page_links_to_it(api: Api) -> None:
    assert person(api, "police").get(PAGE).status_code == 403
    assert person(api, "municipality_other").get(PAGE).status_code == 403
    assert "/arbete/paminnelser/" in person(api, "admin").get("/arbete/admin/").text


def test_a_form_without_its_csrf_token_is_refused(api: Api) -> None:
    admin = person(api, "admin")
    response = admin.client.post(PAGE, data={"addresses": "trygghet@malmo.se"})
    assert response.status_code in (400, 403)
    assert api.loftesboken.reminder_addresses(MALMO) == ()
