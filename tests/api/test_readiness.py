"""`/readyz` fails only on what the answering process needs (issue #20).

A process that feeds its own views and has reached the head once stays ready while
busy (a write load keeps it a few events behind); the lag is reported, not fatal.
"""

from __future__ import annotations

import pytest

from tests.support.api import Api


def test_a_busy_process_that_feeds_its_views_stays_ready(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.dialogue()
    api.get("/api/v1/dialogues")
    assert api.get("/readyz").json()["views"] == "current"
    projections = api.app.state.projections
    behind = {name: 0 for name in projections.positions()}
    monkeypatch.setattr(projections, "positions", lambda: behind)
    response = api.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["views"] == "behind"
    assert response.json()["lag"] == {name: api.event_count() for name in behind}


def test_a_process_that_never_reached_the_head_is_not_ready(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.dialogue()
    projections = api.app.state.projections
    monkeypatch.setattr(projections, "positions", lambda: {"catalogue": 0})
    response = api.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "catching_up"


def test_views_of_another_layout_make_the_process_unready_and_say_rebuild(api: Api) -> None:
    api.dialogue()
    projections = api.app.state.projections
    assert api.get("/readyz").json()["outdated"] == {}
    with projections.catalogue.datastore.transaction(commit=True) as cursor:
        cursor.execute("UPDATE view_layouts SET layout = 'older' WHERE view_name = 'catalogue'")
    response = api.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["views"]) == ("unavailable", "outdated")
    assert list(body["outdated"]) == ["catalogue"]
    assert "run `loften rebuild`" in body["outdated"]["catalogue"]
