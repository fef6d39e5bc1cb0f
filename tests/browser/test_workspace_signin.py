"""In Chromium: signing in with the token the demo printed, the start page, signing out,
and a form whose CSRF token was taken away (403, nothing changed)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.support import LiveServer, review
from tests.browser.workspace import demo_token, sign_in


def test_a_kommunpolis_signs_in_with_the_demo_token_sees_malmo_and_signs_out(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/arbete/")
    expect(page).to_have_url(re.compile(r"/arbete/logga-in\?next=/arbete/"))
    expect(page.get_by_role("heading", name="Logga in i arbetsytan")).to_be_visible()
    review(page, "workspace-signin")

    page.get_by_label("Åtkomstnyckel").fill("lft_fel-nyckel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#token-error")).to_contain_text("okänd")
    review(page, "workspace-signin-error")

    sign_in(page, demo_token(live_server, "police"))
    expect(page.get_by_role("heading", name="Malmö", level=2)).to_be_visible()
    expect(page.get_by_text("Kommunpolis Malmö Centrum")).to_be_visible()
    review(page, "workspace-start")

    cookie = next(c for c in page.context.cookies() if c["name"] == "loften_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()
    page.context.add_cookies([cookie])  # the old cookie, replayed
    page.goto("/arbete/")
    expect(page.get_by_role("heading", name="Logga in i arbetsytan")).to_be_visible()


def test_a_form_without_its_csrf_token_is_refused_with_a_page_that_says_why(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, demo_token(live_server, "municipality"))
    before = live_server.event_count()
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Formuläret togs inte emot")).to_be_visible()
    expect(page.get_by_text("Ingenting har sparats eller ändrats.")).to_be_visible()
    review(page, "workspace-csrf-refused")
    page.goto("/arbete/")  # the session was not ended by the refused form
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    assert live_server.event_count() == before
