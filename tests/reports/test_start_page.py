"""The start page: what this is, links to the docs and reports, the promises in force today."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.api.conftest import Api
from tests.projections.scenario import SECRET_NOTE
from tests.reports.conftest import World


class Links(HTMLParser):
    """Every link of a page with its text, and the page's language."""

    def __init__(self, document: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.lang: str | None = None
        self.viewport = False
        self._href: str | None = None
        self._text = ""
        self.feed(document)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "meta" and values.get("name") == "viewport":
            self.viewport = "width=device-width" in (values.get("content") or "")
        if tag == "a":
            self._href, self._text = values.get("href"), ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None


def test_the_start_page_lists_the_municipalities_with_a_promise_in_force(world: World) -> None:
    response = world.api.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Links(response.text)
    assert page.lang == "sv"
    assert page.viewport, "readable on a phone"
    assert "medborgarlöften" in response.text
    # Today (5 July 2025) Malmö's promise and the Fyrbodal promise of three are in force;
    # the 2024 promise has ended, the draft is not issued and the withdrawn one is gone.
    reports = [(href, text) for href, text in page.links if "/reports/annual/" in href]
    assert reports == [
        ("/api/v1/reports/annual/1280/2025?format=html", "Malmö"),
        ("/api/v1/reports/annual/1421/2025?format=html", "Orust"),
        ("/api/v1/reports/annual/1415/2025?format=html", "Stenungsund"),
        ("/api/v1/reports/annual/1419/2025?format=html", "Tjörn"),
    ]
    hrefs = [href for href, _ in page.links]
    assert "/docs" in hrefs
    assert "/api/v1/reports/national/2025?format=html" in hrefs
    assert SECRET_NOTE not in response.text
    assert "Anna Polis" not in response.text  # signatories are not on the page


def test_every_link_of_the_start_page_works(world: World) -> None:
    for href, _ in Links(world.api.get("/").text).links:
        response = world.api.get(href)
        assert response.status_code == 200, href
        if "/reports/" in href:
            assert response.headers["content-type"] == "text/html; charset=utf-8", href


def test_the_start_page_of_an_empty_store(fresh_api: Api) -> None:
    page = fresh_api.get("/").text
    assert "Inget medborgarlöfte gäller i dag." in page
    assert "/reports/annual/" not in page
    assert "/api/v1/reports/national/2025?format=html" in page  # this year, by the app's clock
