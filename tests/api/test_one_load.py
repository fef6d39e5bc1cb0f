"""A write loads its aggregate once: the API's checks (scope, If-Match) read the load the
command then changes, in the aggregate's turn, not a load of their own before it."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from tests.support.api import Api, observation_body, signature_body


@pytest.fixture
def loads(api: Api, monkeypatch: pytest.MonkeyPatch) -> Counter[UUID]:
    counted: Counter[UUID] = Counter()
    repository = api.loftesboken.repository
    get = repository.get

    def counting_get(aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
        counted[aggregate_id] += 1
        return get(aggregate_id, *args, **kwargs)

    monkeypatch.setattr(repository, "get", counting_get)
    return counted


def test_each_kind_of_write_loads_its_aggregate_once(api: Api, loads: Counter[UUID]) -> None:
    promise = api.promise()
    issue = api.issue(prioritised=False)
    dialogue = api.dialogue()
    loads.clear()
    writes = [
        (promise["id"], f"/api/v1/promises/{promise['id']}/signatures", signature_body("police")),
        (
            issue["id"],
            f"/api/v1/issues/{issue['id']}/prioritisation",
            {"priority": 2, "rationale": "Ja."},
        ),
        (
            dialogue["id"],
            f"/api/v1/dialogues/{dialogue['id']}/observations",
            {"observations": [observation_body()]},
        ),
    ]
    for aggregate_id, path, body in writes:
        api.ok(path, body, "admin")
        assert loads[UUID(aggregate_id)] == 1, path


def test_a_refused_write_is_refused_on_that_one_load(api: Api, loads: Counter[UUID]) -> None:
    promise = api.promise()
    loads.clear()
    path = f"/api/v1/promises/{promise['id']}/withdrawal"
    response = api.post(path, {"reason": "Fel."}, "police_other")
    assert response.status_code == 404, "a draft of another municipality does not exist for it"
    response = api.post(path, {"reason": "Fel."}, "admin", **{"If-Match": '"999"'})
    assert response.status_code == 412
    assert loads[UUID(promise["id"])] == 2
    assert api.get(f"/api/v1/promises/{promise['id']}", "admin").json()["status"] == "draft"
