"""Steps the workspace's browser tests share: the demo's tokens, signing in, new browsers."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.support import HEIGHTS, WIDTHS, LiveServer

DEMO_TOKEN = re.compile(
    r"^  (?P<label>.+) \((?P<role>police|municipality), Malmö\): (?P<secret>lft_\S+)$", re.M
)


def demo_token(server: LiveServer, role: str) -> str:
    """The token `loften demo` printed for Malmö's kommunpolis or its coordinator."""
    for found in DEMO_TOKEN.finditer(server.demo_output):
        if found["role"] == role:
            return found["secret"]
    raise AssertionError(f"the demo printed no {role} token:\n{server.demo_output}")


def sign_in(page: Page, secret: str) -> None:
    page.goto("/arbete/")
    page.get_by_label("Åtkomstnyckel").fill(secret)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()


def another_person(browser: Browser, server: LiveServer, secret: str) -> Page:
    """A second browser (its own cookies), signed in with `secret`; close its context after."""
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]},
        locale="sv-SE",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, secret)
    return page
