"""If-Match: a write pinned to a stale version is 412 and records nothing."""

from __future__ import annotations

import pytest

from tests.support.api import BOTH_STORES, Api, observation_body

pytestmark = BOTH_STORES


def observations_path(api: Api) -> str:
    return f"/api/v1/dialogues/{api.dialogue(observations=0)['id']}/observations"


BODY = {"observations": [observation_body()]}


def test_a_stale_if_match_is_412_and_nothing_is_recorded(shared_api: Api) -> None:
    api = shared_api
    path = observations_path(api)
    first = api.post(path, BODY, **{"If-Match": '"1"'})
    assert first.status_code == 201 and first.headers["ETag"] == '"2"'
    before = api.event_count()
    stale = api.post(path, BODY, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.headers["ETag"] == '"2"'
    assert api.event_count() == before
    dialogue = api.get(path.removesuffix("/observations")).json()
    assert dialogue["version"] == 2 and len(dialogue["observations"]) == 1


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('"1"', 201),
        ('"1", "7"', 201),
        ('"7", "8"', 412),
        ("*", 201),
        ('W/"1"', 412),
        ("1", 400),
        ('"one"', 400),
        ('"1', 400),
        ("", 400),
    ],
)
def test_if_match_forms(shared_api: Api, header: str, status: int) -> None:
    api = shared_api
    path = observations_path(api)
    before = api.event_count()
    response = api.post(path, BODY, **{"If-Match": header})
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert api.event_count() == before


def test_if_match_is_honoured_on_promise_and_issue_writes(shared_api: Api) -> None:
    api = shared_api
    issue = api.issue(prioritised=False)
    stale = f'"{issue["version"] - 1}"'
    response = api.post(
        f"/api/v1/issues/{issue['id']}/prioritisation",
        {"priority": 1, "rationale": "x"},
        **{"If-Match": stale},
    )
    assert response.status_code == 412
    promise = api.promise()
    response = api.post(
        f"/api/v1/promises/{promise['id']}/withdrawal",
        {"reason": "x"},
        **{"If-Match": f'"{promise["version"]}"'},
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{promise["version"] + 1}"'


def test_etag_on_every_read_and_write(shared_api: Api) -> None:
    api = shared_api
    promise = api.promise(state="issued")
    response = api.get(f"/api/v1/promises/{promise['id']}")
    assert response.headers["ETag"] == f'"{promise["version"]}"'
    assert response.json()["version"] == promise["version"]
