"""In Chromium: a resident's way through the public pages, in Swedish and in English.

From the start page a resident searches for Malmö (no JavaScript needed: a GET form),
opens a promise in force, follows its derivation to the dialogue behind it and goes
back. Every page on the way, the coverage page and the reports as HTML are checked
at 1280 and 390 pixels: axe-core's default rules find no serious or critical
violation, nothing is wider than the screen, and a screenshot is kept
(tests/browser/screenshots/public-*.png).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import LiveServer, review

LABELS = {
    "sv": {"search": "Kommunens namn eller kommunkod", "button": "Sök", "skip": "Hoppa till"},
    "en": {"search": "Municipality name or code", "button": "Search", "skip": "Skip to"},
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_from_the_start_to_a_promise_and_the_dialogue_behind_it(page: Page, lang: str) -> None:
    words = LABELS[lang]
    suffix = "?lang=en" if lang == "en" else ""
    page.goto("/" + suffix)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("link", name=re.compile(words["skip"]))).to_be_attached()
    review(page, f"public-start-{lang}")

    page.get_by_label(words["search"]).fill("Malmö")
    page.get_by_role("button", name=words["button"]).click()
    expect(page).to_have_url(re.compile(r"/kommun/1280(\?lang=en)?$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Malmö")
    review(page, f"public-municipality-{lang}")

    promise_link = page.locator("#promises-heading ~ table a[href*='/lofte/']").first
    title = promise_link.inner_text()
    promise_link.click()
    expect(page).to_have_url(re.compile(r"/lofte/[0-9a-f-]{36}(\?lang=en)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    promise_url = page.url
    review(page, f"public-promise-{lang}")

    dialogue_link = page.locator("main a[href*='/dialog/']").first
    dialogue_title = dialogue_link.inner_text()
    dialogue_link.click()
    expect(page).to_have_url(re.compile(r"/dialog/[0-9a-f-]{36}(\?lang=en)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(dialogue_title)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # "Ni sa – vi gjorde": the dialogue's page links back to the promise it led to.
    expect(
        page.locator(f"main a[href*='{promise_url.split('/lofte/')[1]}']").first
    ).to_be_attached()
    review(page, f"public-dialogue-{lang}")

    page.go_back()
    expect(page).to_have_url(promise_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_coverage_page_and_the_reports_as_a_reader_meets_them(
    page: Page, live_server: LiveServer, lang: str
) -> None:
    year = date.today().year
    query = "&lang=en" if lang == "en" else ""
    for name, url in (
        ("coverage", f"/tackning/{year}" + ("?lang=en" if lang == "en" else "")),
        ("annual-report", f"/api/v1/reports/annual/1280/{year}?format=html{query}"),
        ("national-report", f"/api/v1/reports/national/{year}?format=html{query}"),
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        expect(page.locator("html")).to_have_attribute("lang", lang)
        review(page, f"public-{name}-{lang}")


def test_a_page_that_is_not_there_says_so_accessibly(page: Page) -> None:
    response = page.goto("/kommun/0000")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    review(page, "public-not-found")


def test_the_way_through_works_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    """A resident whose browser runs no scripts gets as far: search, promise, dialogue."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="sv-SE"
    )
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_label(LABELS["sv"]["search"]).fill("Malmö")
        page.get_by_role("button", name=LABELS["sv"]["button"]).click()
        expect(page).to_have_url(re.compile(r"/kommun/1280$"))
        page.locator("#promises-heading ~ table a[href*='/lofte/']").first.click()
        expect(page).to_have_url(re.compile(r"/lofte/[0-9a-f-]{36}$"))
        page.locator("main a[href*='/dialog/']").first.click()
        expect(page).to_have_url(re.compile(r"/dialog/[0-9a-f-]{36}$"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        context.close()
