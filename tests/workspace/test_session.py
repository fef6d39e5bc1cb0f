"""Signing in to the workspace: a token for a server-held session, and every way it ends.

The cookie is HttpOnly, SameSite=Strict, scoped to /arbete, Secure over HTTPS; the
session is refused after sign-out, after the token's revocation, and after 8 hours
idle; a form without its CSRF token or from another origin is a 403 page and
changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from domain.values import Actor, Role
from infra.sessions import IDLE
from tests.support.api import BOTH_STORES, Api
from tests.workspace.client import Person, csrf_of

pytestmark = BOTH_STORES


def person(api: Api, base_url: str = "http://testserver") -> Person:
    return Person(TestClient(api.app, base_url=base_url))


def signed_in(api: Api, caller: str = "police") -> Person:
    someone = person(api)
    answer = someone.sign_in(api.secrets[caller])
    assert answer.status_code == 303, answer.text
    return someone


def test_the_start_page_needs_a_sign_in_and_comes_back_after_it(api: Api) -> None:
    someone = person(api)
    answer = someone.get("/arbete/")
    assert answer.status_code == 303
    assert unquote(answer.headers["location"]).startswith("/arbete/logga-in?next=/arbete/&")

    signed = someone.sign_in(api.secrets["police"], "/arbete/")
    assert signed.status_code == 303 and signed.headers["location"] == "/arbete/"
    start = someone.get("/arbete/")
    assert start.status_code == 200
    assert "Malmö" in start.text and "police label" in start.text
    assert start.headers["cache-control"] == "no-store"


def test_the_cookie_is_httponly_strict_and_secure_only_over_https(api: Api) -> None:
    plain = person(api).sign_in(api.secrets["police"])
    cookie = next(c for c in plain.headers.get_list("set-cookie") if "loften_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/arbete" in cookie
    assert "Secure" not in cookie
    secure = person(api, "https://testserver").sign_in(api.secrets["police"])
    cookie = next(c for c in secure.headers.get_list("set-cookie") if "loften_session=" in c)
    assert "Secure" in cookie


def test_a_wrong_token_is_named_next_to_the_field_and_opens_nothing(api: Api) -> None:
    someone = person(api)
    answer = someone.sign_in("lft_not-a-token")
    assert answer.status_code == 400
    assert 'id="token-error"' in answer.text and "okänd" in answer.text
    assert 'aria-describedby="token-hint token-error"' in answer.text
    assert someone.get("/arbete/").status_code == 303


def test_a_cookie_replayed_after_sign_out_is_refused(api: Api) -> None:
    someone = signed_in(api)
    cookie = someone.client.cookies.get("loften_session", path="/arbete")
    assert cookie
    page = someone.get("/arbete/")
    out = someone.client.post(
        "/arbete/logga-ut", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert someone.get("/arbete/").status_code == 303

    replay = TestClient(api.app, cookies={"loften_session": cookie})
    answer = replay.get("/arbete/", follow_redirects=False)
    assert answer.status_code == 303 and "signin_reason_ended" in answer.headers["location"]


def test_a_session_ends_when_its_token_is_revoked(api: Api) -> None:
    issued = api.app.state.tokens.issue(Role.POLICE, ["1280"], "soon revoked")
    someone = person(api)
    assert someone.sign_in(issued.secret).status_code == 303
    assert someone.get("/arbete/").status_code == 200
    api.app.state.tokens.revoke(issued.record.id, Actor("admin", Role.ADMIN))
    answer = someone.get("/arbete/")
    assert answer.status_code == 303 and "signin_reason_revoked" in answer.headers["location"]
    assert someone.get("/arbete/").status_code == 303


def test_a_session_ends_after_eight_hours_idle(api: Api) -> None:
    someone = signed_in(api)
    clock = api.app.state.clock
    clock.advance(IDLE - timedelta(minutes=5))
    assert someone.get("/arbete/").status_code == 200  # used: the eight hours start again
    clock.advance(IDLE - timedelta(minutes=5))
    assert someone.get("/arbete/").status_code == 200
    clock.advance(IDLE)
    answer = someone.get("/arbete/")
    assert answer.status_code == 303 and "signin_reason_ended" in answer.headers["location"]


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(api: Api) -> None:
    someone = signed_in(api)
    answer = someone.client.post("/arbete/logga-ut", data={}, follow_redirects=False)
    assert answer.status_code == 403
    assert "säkerhetskod" in answer.text and "Ingenting har sparats" in answer.text
    assert someone.get("/arbete/").status_code == 200  # still signed in


def test_a_form_from_another_origin_is_refused(api: Api) -> None:
    someone = signed_in(api)
    page = someone.get("/arbete/")
    answer = someone.client.post(
        "/arbete/logga-ut",
        data={"csrf_token": csrf_of(page.text)},
        headers={"Origin": "https://elak.example"},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and "annan webbplats" in answer.text
    assert someone.get("/arbete/").status_code == 200


def test_the_sign_in_form_needs_its_own_csrf_token(api: Api) -> None:
    someone = person(api)
    answer = someone.client.post(
        "/arbete/logga-in", data={"token": api.secrets["police"]}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert someone.get("/arbete/").status_code == 303


@pytest.mark.parametrize("target", ["https://elak.example/", "//elak.example/x", "/api/v1/tokens"])
def test_sign_in_never_sends_anyone_off_the_workspace(api: Api, target: str) -> None:
    answer = person(api).sign_in(api.secrets["police"], target)
    assert answer.headers["location"] == "/arbete/"


def test_an_unknown_workspace_page_is_a_page_not_json(api: Api) -> None:
    someone = signed_in(api)
    answer = someone.get("/arbete/finns-inte")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")


def test_an_auditor_reads_every_municipality_and_is_offered_no_form(api: Api) -> None:
    dialogue = api.dialogue("0180", observations=1)
    someone = signed_in(api, "auditor")
    start = someone.get("/arbete/")
    assert start.status_code == 200 and "Stockholm" in start.text
    page = someone.get(f"/arbete/dialoger/{dialogue['id']}")
    assert page.status_code == 200 and "Intern anteckning" in page.text
    assert "/iakttagelser" not in page.text and "Registrera en dialog" not in start.text
