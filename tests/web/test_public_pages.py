"""The public pages over HTTP: what each shows, in which language, and what it never shows."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.api import Api
from tests.support.reports import World
from tests.support.scenario import SECRET_NOTE
from tests.web.html import Page

#: Titles and texts the public must never see in the scenario: a draft, a draft withdrawn
#: before issuance, an issue no issued promise addresses, an observation's note, and the
#: token labels of the people who recorded things.
NEVER_PUBLIC = (
    "Utkast: Gångtunnlar",
    "Dragits tillbaka",
    "Mopeder",
    "Hanteras av trafikenheten",
    SECRET_NOTE,
    "Kommunpolis Malmö",
    "Trygghetssamordnare Malmö",
)


def page(world: World, url: str, status: int = 200) -> Page:
    response = world.api.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    for secret in NEVER_PUBLIC:
        assert secret not in response.text, (url, secret)
    return Page(response.text)


def urls(world: World) -> list[str]:
    ids = world.ids
    return [
        "/",
        "/kommun/1280",
        "/kommun/1415",
        f"/lofte/{ids.malmo_promise}",
        f"/lofte/{ids.old_promise}",
        f"/lofte/{ids.fyrbodal_promise}",
        f"/dialog/{ids.citizen_dialogue}",
        f"/dialog/{ids.walk}",
        f"/dialog/{ids.fyrbodal_dialogue}",
        "/tackning/2025",
    ]


def test_every_page_has_its_language_title_description_open_graph_and_json_twin(
    world: World,
) -> None:
    for url in urls(world):
        for lang, query in (("sv", ""), ("en", "?lang=en")):
            found = page(world, url + query)
            assert found.lang == lang, url
            assert found.title.endswith(" – Löftesboken"), url
            assert found.meta["description"], url
            for key in ("og:title", "og:description", "og:type", "og:url", "og:locale"):
                assert found.meta.get(key), (url, key)
            assert found.meta["og:url"].startswith("http"), "Open Graph wants absolute URLs"
            assert found.meta["viewport"].startswith("width=device-width")
            assert ("stylesheet", "", "/static/loften.css") in found.link_rels
            twins = [href for rel, kind, href in found.link_rels if kind == "application/json"]
            assert twins and twins[0].startswith("/api/v1/"), url
            assert twins[0] in found.hrefs(), "the JSON twin is linked in the page too"
            assert "main" in found.ids, "the skip link's target"
            assert found.links[0] == (
                "#main",
                "Hoppa till innehållet" if lang == "sv" else "Skip to content",
            )
            assert {"header", "nav", "main", "footer"} <= set(found.landmarks)


def test_the_language_switch_keeps_the_page(world: World) -> None:
    url = f"/lofte/{world.ids.malmo_promise}"
    swedish = page(world, url)
    assert (url + "?lang=en", "English") in swedish.links
    english = page(world, url + "?lang=en")
    assert (url, "Svenska") in english.links
    # Links within the English pages stay English.
    assert "/kommun/1280?lang=en" in english.hrefs()


def test_every_link_of_every_page_leads_somewhere(world: World) -> None:
    seen: set[str] = set()
    for url in urls(world):
        for href in page(world, url).hrefs():
            target = urlsplit(href)
            if target.scheme or href.startswith("#") or href in seen:
                continue
            seen.add(href)
            response = world.api.get(href)
            assert response.status_code == 200, (url, href, response.status_code)


def test_the_stylesheet_is_served(world: World) -> None:
    response = world.api.get("/static/loften.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "@media print" in response.text


def test_the_start_page_shows_coverage_search_municipalities_and_feedback(world: World) -> None:
    found = page(world, "/")
    text = found.text
    assert "4 av 290" in text  # Malmö and the three of Fyrbodal, in force in 2025
    assert "Polisregion Syd" in text and "Polisregion Väst" in text
    assert "/kommun/2584" in found.hrefs(), "every municipality is listed, Kiruna too"
    assert len([h for h in found.hrefs() if h.startswith("/kommun/")]) == 290
    assert "Malmö ✓ löfte gäller" in text
    assert "Kiruna ✓" not in text
    # The latest feedback anywhere, newest first, linked to its promise.
    assert text.index("Vi har börjat") < text.index("Vi gjorde det vi lovade")
    assert f"/lofte/{world.ids.malmo_promise}" in found.hrefs()
    assert "/api/v1/open-data/national.zip" in found.hrefs()
    assert "/docs" in found.hrefs()


def test_the_search_finds_a_municipality_without_javascript(world: World) -> None:
    client = world.api.client
    one = client.get("/kommun", params={"q": " malmö "}, follow_redirects=False)
    assert one.status_code == 303 and one.headers["location"] == "/kommun/1280"
    by_code = client.get("/kommun", params={"q": "2584", "lang": "en"}, follow_redirects=False)
    assert by_code.headers["location"] == "/kommun/2584?lang=en"
    several = Page(client.get("/kommun", params={"q": "sten"}).text)
    assert "/kommun/1415" in several.hrefs()  # Stenungsund, among others
    none = client.get("/kommun", params={"q": "Atlantis"})
    assert none.status_code == 200 and "Ingen kommun matchar ”Atlantis”." in Page(none.text).text


def test_a_municipality_page(world: World) -> None:
    ids = world.ids
    found = page(world, "/kommun/1280")
    text = found.text
    hrefs = found.hrefs()
    assert "Medborgarlöften i Malmö" in found.title
    assert f"/lofte/{ids.malmo_promise}" in hrefs and f"/lofte/{ids.old_promise}" in hrefs
    assert text.index("Tryggare Möllan 2025") < text.index("Trygg sommar 2024")
    assert "Delvis uppfyllt" in text  # the old promise's outcome
    assert f"/dialog/{ids.citizen_dialogue}" in hrefs and f"/dialog/{ids.walk}" in hrefs
    assert "80 deltagare" in text and "Otrygga offentliga miljöer (30 omnämnanden)" in text
    assert "30 september 2025: Tryggare Möllan 2025" in text  # next follow-up
    assert "missade 31 mars 2025, 15 april 2025" in text  # missed, moved, missed again
    assert "Vi har börjat" in text
    for year in (2024, 2025):
        for form in ("html", "pdf", "csv", "json"):
            assert f"/api/v1/reports/annual/1280/{year}?format={form}" in hrefs
    assert "/api/v1/municipalities/1280/deadlines.ics" in hrefs
    assert "/api/v1/open-data/1280.zip" in hrefs
    assert "/api/v1/municipalities/1280" in hrefs  # the JSON twin


def test_a_municipality_without_anything_yet(world: World) -> None:
    text = page(world, "/kommun/2584").text
    assert "Inget medborgarlöfte gäller i Kiruna i dag." in text
    assert "Inga dialoger har registrerats ännu." in text
    assert page(world, "/kommun/9999", status=404).title.startswith("Sidan finns inte")


def test_a_promise_page_shows_text_signatories_follow_ups_and_derivation(world: World) -> None:
    ids = world.ids
    found = page(world, f"/lofte/{ids.malmo_promise}")
    text = found.text
    assert "Under 2025 lovar polisen och kommunen ..." in text
    assert found.meta["og:type"] == "article"
    assert "LPO Malmö Centrum" in text and "1 januari 2025 – 31 december 2025" in text
    assert "Anna Polis, LPO-chef – för polisen, undertecknat 1 februari 2025" in text
    assert "KSO, Kommunstyrelsens ordförande – för Malmö, undertecknat 3 februari 2025" in text
    assert "Minst 20 narkotikakontroller" in text and "Belysa tre tunnlar" in text
    assert "Flyttad från 31 mars 2025 till 15 april 2025" in text and "Skäl: Sjukdom" in text
    assert "genomförd 18 april 2025" in text  # done late
    assert "Slutuppföljning 31 januari 2026" in text
    assert "Vi har börjat" in text
    # How it was derived: each issue with its priority and rationale, and the evidence.
    assert "Narkotikahandel på Möllan" in text and "prioritet 1" in text
    assert "Motivering: Flest röster" in text
    assert "”Öppen narkotikahandel”" in text and "Statistik: BRÅ NTU 2024" in text
    assert f"/dialog/{ids.citizen_dialogue}" in found.hrefs()
    assert f"/dialog/{ids.walk}" in found.hrefs()
    assert f"/api/v1/promises/{ids.malmo_promise}/derivation" in found.hrefs()


def test_a_concluded_promise_shows_its_outcome(world: World) -> None:
    text = page(world, f"/lofte/{world.ids.old_promise}?lang=en").text
    assert "Concluded" in text and "Partly fulfilled" in text and "Nja" in text


def test_promises_never_issued_are_not_found(world: World) -> None:
    ids = world.ids
    for url in (
        f"/lofte/{ids.draft_promise}",
        f"/lofte/{ids.withdrawn_promise}",
        "/lofte/00000000-0000-0000-0000-000000000000",
        "/lofte/not-an-id",
    ):
        assert "Det finns inget utfärdat medborgarlöfte" in page(world, url, status=404).text


def test_a_dialogue_page_says_what_became_of_what_people_said(world: World) -> None:
    ids = world.ids
    found = page(world, f"/dialog/{ids.citizen_dialogue}")
    text = found.text
    assert "Ni sa – vi gjorde: Medborgardialog Möllevången" in found.title
    assert "3 saker togs upp. 1 av dem ledde till ett utfärdat medborgarlöfte." in text
    said = text.index("Ni sa – och det här blev det av det")
    not_yet = text.index("Det här har inte (ännu) lett till något löfte")
    assert said < text.index("”Öppen narkotikahandel”") < not_yet
    assert "12 tog upp detta" in text
    # The rejected issue is not shown, but what people said stays, plainly unresolved.
    assert text.index("”Mopedbuskörning”") > not_yet
    assert text.index("”Mörka gångtunnlar”") > not_yet
    # The whole dialogue is cited by the dark-places issue, which the Malmö promise addresses.
    assert "Dialogen som helhet ledde till" in text and "Otrygga gångtunnlar" in text
    assert f"/lofte/{ids.malmo_promise}" in found.hrefs()
    assert "Senast följt upp 18 april 2025: Sen uppföljning" in text
    assert page(world, "/dialog/nothing", status=404).lang == "sv"


def test_the_coverage_page_lists_covered_and_uncovered(world: World) -> None:
    found = page(world, "/tackning/2025?lang=en")
    text = found.text
    assert "4 of 290" in text
    covered = text.index("Municipalities with a promise (4)")
    uncovered = text.index("Municipalities without a promise (286)")
    assert covered < text.index("Malmö", covered) < uncovered
    assert "/kommun/2584?lang=en" in found.hrefs()
    assert "/api/v1/reports/national/2025?format=pdf&lang=en" in found.hrefs()
    assert page(world, "/tackning/twenty", status=404).lang == "sv"


@pytest.mark.parametrize("url", ["/", "/kommun/1280", "/tackning/2025"])
def test_pages_of_an_empty_store(fresh_api: Api, url: str) -> None:
    response = fresh_api.get(url)
    assert response.status_code == 200
    assert "Löftesboken" in response.text
