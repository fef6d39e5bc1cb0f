"""A request does its per-request work once: the token it presents is looked up once,
by the app's global check, and the route reuses what that check found."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Api, dialogue_body


@pytest.fixture
def lookups(api: Api, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    found: list[str] = []
    store = api.app.state.tokens
    find = store.find

    def counting_find(secret: str, *args: Any, **kwargs: Any) -> Any:
        found.append(secret)
        return find(secret, *args, **kwargs)

    monkeypatch.setattr(store, "find", counting_find)
    return found


def test_a_write_looks_its_token_up_once(api: Api, lookups: list[str]) -> None:
    response = api.post("/api/v1/dialogues", dialogue_body(), "police")
    assert response.status_code == 201, response.text
    assert lookups == [api.secrets["police"]]


def test_a_refused_token_is_refused_by_that_one_lookup(api: Api, lookups: list[str]) -> None:
    response = api.client.post(
        "/api/v1/dialogues", json=dialogue_body(), headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
    assert lookups == ["nope"]


def test_a_public_write_is_refused_without_a_lookup(api: Api, lookups: list[str]) -> None:
    response = api.post("/api/v1/dialogues", dialogue_body(), "public")
    assert response.status_code == 401
    assert lookups == []
