"""In Chromium, an admin sets who receives Malmö's deadline reminders: a bad address is
named beside the field and nothing saved, then a functional address is saved; both pages
pass axe and fit a phone at each width."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.support import ADMIN_TOKEN, LiveServer, review
from tests.browser.workspace import sign_in


def test_an_admin_sets_the_reminder_addresses_of_a_municipality(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, ADMIN_TOKEN)
    page.goto("/arbete/paminnelser/1280")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Malmö")
    field = page.get_by_label("E-postadresser, en per rad")

    before = live_server.event_count()
    field.fill("trygghet@malmo.se\ninte en adress")
    page.get_by_role("button", name="Spara adresserna").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()
    assert "inte en adress" in page.get_by_label("E-postadresser, en per rad").input_value()
    assert live_server.event_count() == before
    review(page, "workspace-reminders-error")

    page.get_by_label("E-postadresser, en per rad").fill("brottsforebyggande@malmo.se")
    page.get_by_role("button", name="Spara adresserna").click()
    expect(page.get_by_text("Adresserna är sparade.")).to_be_visible()
    assert live_server.event_count() == before + 1
    review(page, "workspace-reminders")
