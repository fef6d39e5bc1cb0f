"""GET/PUT /api/v1/municipalities/{code}/reminders: who may, what is refused, what is recorded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.api import BOTH_STORES, MALMO, STOCKHOLM, Api

pytestmark = BOTH_STORES

PATH = f"/api/v1/municipalities/{MALMO}/reminders"


def put(api: Api, body: Any, caller: str = "admin", path: str = PATH) -> httpx.Response:
    return api.client.put(path, json=body, headers=api.headers(caller))


def test_an_admin_and_the_municipality_set_and_read_the_addresses(api: Api) -> None:
    assert api.get(PATH, "municipality").json() == {
        "municipality": MALMO,
        "addresses": [],
        "sending": False,
    }
    before = api.event_count()
    answer = put(api, {"addresses": ["Trygghet@Malmo.se", "brottsforebyggande@malmo.se"]})
    assert answer.status_code == 200, answer.text
    wanted = ["brottsforebyggande@malmo.se", "trygghet@malmo.se"]
    assert answer.json()["addresses"] == wanted
    assert api.get(PATH, "admin").json()["addresses"] == wanted
    assert api.event_count() == before + 1

    assert put(api, {"addresses": wanted}, "municipality").status_code == 200
    assert api.event_count() == before + 1, "the same addresses again record nothing"
    changed = put(api, {"addresses": ["trygghet@malmo.se"]}, "municipality")
    assert changed.json()["addresses"] == ["trygghet@malmo.se"]
    assert api.event_count() == before + 2
    assert put(api, {"addresses": []}, "municipality").json()["addresses"] == []
    assert api.get(PATH, "municipality").json()["addresses"] == []


def test_the_setting_is_in_the_municipalitys_audit_chain_with_who_set_it(api: Api) -> None:
    put(api, {"addresses": ["trygghet@malmo.se"]}, "municipality")
    response = api.get(f"/api/v1/municipalities/{MALMO}/audit?limit=50", "auditor")
    [entry] = [e for e in response.json()["items"] if e["event_type"] == "RecipientsSet"]
    assert entry["fields"]["addresses"]["value"] == ["trygghet@malmo.se"]
    assert entry["fields"]["actor_label"]["value"] == "municipality label"
    stockholm = api.get(f"/api/v1/municipalities/{STOCKHOLM}/audit?limit=50", "auditor")
    assert stockholm.json()["items"] == []


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("public", 401),
        ("auditor", 403),
        ("police", 403),
        ("municipality_other", 403),
        ("police_other", 403),
    ],
)
def test_no_one_else_reads_or_sets_them(api: Api, caller: str, status: int) -> None:
    before = api.event_count()
    assert api.get(PATH, caller).status_code == status
    response = put(api, {"addresses": ["trygghet@malmo.se"]}, caller)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert api.event_count() == before


@pytest.mark.parametrize(
    "body",
    [
        {"addresses": ["inte-en-adress"]},
        {"addresses": ["trygghet@malmo.se", "två ord@malmo.se"]},
        {"addresses": [f"lag{i}@malmo.se" for i in range(11)]},
        {"addresses": "trygghet@malmo.se"},
        {"addresses": [3]},
        {"addresses": ["trygghet@malmo.se"], "extra": 1},
        {},
        [],
    ],
)
def test_bad_input_is_a_problem_and_changes_nothing(api: Api, body: Any) -> None:
    put(api, {"addresses": ["trygghet@malmo.se"]})
    before = api.event_count()
    response = put(api, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert api.event_count() == before
    assert api.get(PATH, "admin").json()["addresses"] == ["trygghet@malmo.se"]


def test_an_unknown_municipality_is_not_found(api: Api) -> None:
    path = "/api/v1/municipalities/9999/reminders"
    assert api.get(path, "admin").status_code == 404
    assert put(api, {"addresses": []}, path=path).status_code == 404


def test_the_endpoints_are_in_the_openapi_with_an_example(api: Api) -> None:
    schema = api.get("/openapi.json").json()
    operations = schema["paths"]["/api/v1/municipalities/{code}/reminders"]
    assert set(operations) >= {"get", "put"}
    body = schema["components"]["schemas"]["SetReminderAddresses"]
    assert body["examples"] == [{"addresses": ["trygghet@malmo.se"]}]
