"""Fixtures of the browser tests: one server and one Chromium per session, a page per test.

`live_server` runs `loften serve` over the demo data for the whole session (tests
that change data make their own aggregates, so they do not disturb each other);
`page` is a fresh browser context (no cookies) at 1280 x 900, in Swedish.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.support import AXE_RESULTS, HEIGHTS, WIDTHS, LiveServer, launch_chromium


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    AXE_RESULTS.unlink(missing_ok=True)
    server = LiveServer(tmp_path_factory.mktemp("live"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]},
        locale="sv-SE",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
