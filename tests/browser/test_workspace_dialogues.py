"""In Chromium: a safety walk recorded from the form, observations from the table, and a
CSV of survey counts with bad rows (each error shown, nothing recorded), then a good one."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.support import LiveServer, review
from tests.browser.workspace import demo_token, sign_in

BAD_CSV = "theme;summary;count\ndrugs;Öppen försäljning;12\nväder;Regn;3\ntraffic;;4\n"
GOOD_CSV = (
    "theme,summary,count,place\n"
    "drugs,Öppen narkotikaförsäljning kvällstid,41,Lindängens centrum\n"
    "public_environment,Dålig belysning i gångtunnlarna,57,\n"
)


def upload(page: Page, text: str) -> None:
    page.set_input_files(
        "#file", files=[{"name": "enkat.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Förhandsgranska filen").click()


def test_a_coordinator_records_a_safety_walk_its_observations_and_survey_counts(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, demo_token(live_server, "municipality"))
    page.get_by_role("link", name="Dialoger", exact=True).click()
    review(page, "workspace-dialogues")
    page.get_by_role("link", name="Registrera en dialog").first.click()

    page.get_by_label("Slag av dialog").select_option("safety_walk")
    page.get_by_label("Hölls").fill("i tisdags")
    page.get_by_role("button", name="Registrera dialogen").click()
    expect(page.locator("#held_on-error")).to_be_visible()
    expect(page.locator("#title-error")).to_be_visible()
    review(page, "workspace-dialogue-new-errors")

    page.get_by_label("Hölls").fill("2025-09-16")
    page.get_by_label("Rubrik").fill("Trygghetsvandring i Sofielund")
    page.get_by_label("Plats").fill("Sofielunds industriområde")
    page.get_by_label("Antal deltagare").fill("140")
    page.get_by_label("Arrangörer").fill(
        "Kommunpolis Malmö Centrum\nTrygghetssamordnare Malmö stad"
    )
    page.get_by_role("button", name="Registrera dialogen").click()
    expect(
        page.get_by_role("heading", name="Trygghetsvandring i Sofielund", level=1)
    ).to_be_visible()

    page.locator("#obs-0-theme").select_option("public_environment")
    page.locator("#obs-0-count").fill("18")
    page.locator("#obs-0-summary").fill("Mörka passager mellan verkstäderna")
    page.locator("#obs-1-theme").select_option("traffic")
    page.locator("#obs-1-count").fill("9")
    page.locator("#obs-1-summary").fill("Buskörning med mopeder kvällstid")
    page.get_by_role("button", name="Registrera iakttagelserna").click()
    expect(page.get_by_text("2 iakttagelser registrerades.")).to_be_visible()
    review(page, "workspace-dialogue")

    before = live_server.event_count()
    upload(page, BAD_CSV)
    expect(page.get_by_text("2 av 3 rader har fel. Inget har registrerats.")).to_be_visible()
    expect(page.get_by_text("Okänt tema ”väder”.")).to_be_visible()
    expect(page.get_by_text("summary: Fyll i det här fältet.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Registrera .* iakttagelser"))).to_have_count(
        0
    )
    review(page, "workspace-csv-bad-rows")
    assert live_server.event_count() == before

    upload(page, GOOD_CSV)
    expect(page.get_by_text("Alla 2 rader är rätt.")).to_be_visible()
    review(page, "workspace-csv-preview")
    assert live_server.event_count() == before
    page.get_by_role("button", name="Registrera 2 iakttagelser").click()
    expect(page.get_by_text("2 iakttagelser registrerades.")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Dålig belysning i gångtunnlarna", exact=True)
    ).to_be_visible()
    assert live_server.event_count() == before + 2

    # A typing mistake corrected with a reason, and a duplicate retracted.
    page.get_by_role("link", name="Rätta: Buskörning med mopeder kvällstid").click()
    expect(page.get_by_label("Antal")).to_have_value("9")
    page.get_by_label("Antal").fill("11")
    page.get_by_label("Skäl", exact=True).first.fill("Elva, inte nio, enligt protokollet.")
    review(page, "workspace-correction")
    page.get_by_role("button", name="Spara rättelsen").click()
    expect(page.get_by_role("cell", name="11", exact=True)).to_be_visible()
    page.get_by_role("link", name="Rätta: Dålig belysning i gångtunnlarna").click()
    page.locator("#retract_reason").fill("Samma synpunkt som i vandringen.")
    page.get_by_role("button", name="Dra tillbaka iakttagelsen").click()
    expect(page.get_by_text("tillbakadragen")).to_be_visible()
    review(page, "workspace-dialogue-corrected")
