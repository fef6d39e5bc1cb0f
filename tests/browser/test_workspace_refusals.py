"""In Chromium, what the workspace refuses, each with a page or message that says why and
nothing recorded: a stale form, a police officer signing for the municipality, another
municipality's coordinator; and an admin issuing (shown once) and revoking a token."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.support import ADMIN_TOKEN, LiveServer, review
from tests.browser.workspace import another_person, demo_token, sign_in


def draft_promise(server: LiveServer, token: str) -> dict[str, Any]:
    """A draft promise of Malmö, made over the JSON API as another client would."""
    issue = server.api(
        "POST",
        "/api/v1/issues",
        token,
        json={
            "municipality": "1280",
            "title": "Trafiksäkerhet vid skolorna",
            "theme": "traffic",
            "description": "Föräldrar oroar sig för hastigheterna.",
            "identified_on": "2025-01-20",
            "evidence": [{"source_type": "statistics", "reference": "STRADA 2024, Malmö"}],
        },
    )
    assert issue.status_code == 201, issue.text
    issue_id = issue.json()["id"]
    prioritised = server.api(
        "POST",
        f"/api/v1/issues/{issue_id}/prioritisation",
        token,
        json={"priority": 2, "rationale": "Återkommer i varje dialog."},
    )
    assert prioritised.status_code == 200, prioritised.text
    promise = server.api(
        "POST",
        "/api/v1/promises",
        token,
        json={
            "municipalities": ["1280"],
            "police_district": "LPO Malmö Centrum",
            "starts_on": "2025-01-01",
            "ends_on": "2025-12-31",
            "title": "Trafiklöfte Malmö 2025",
            "text": "Under 2025 lovar polisen och kommunen att ...",
            "addresses": [issue_id],
            "activities": [
                {
                    "description": "Minst 50 hastighetskontroller",
                    "responsible": "police",
                    "due_on": "2025-11-30",
                }
            ],
        },
    )
    assert promise.status_code == 201, promise.text
    body: dict[str, Any] = promise.json()
    return body


def fill_signature(page: Page, name: str, title: str) -> None:
    page.get_by_label("Namn").fill(name)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Undertecknat").fill("2025-02-10")


def test_a_stale_form_says_someone_changed_it_and_keeps_what_was_typed(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    police = demo_token(live_server, "police")
    promise = draft_promise(live_server, police)
    sign_in(page, police)
    page.goto(f"/arbete/loften/{promise['id']}")
    page.get_by_label("Skriver under för").select_option("police")
    fill_signature(page, "Lena Holm", "Lokalpolisområdeschef")

    coordinator = another_person(browser, live_server, demo_token(live_server, "municipality"))
    coordinator.goto(f"/arbete/loften/{promise['id']}")
    coordinator.get_by_label("Skriver under för").select_option(label="Kommunen: Malmö")
    fill_signature(coordinator, "Katrin Stjernfeldt Jammeh", "Kommunstyrelsens ordförande")
    coordinator.get_by_role("button", name="Registrera underskriften").click()
    expect(coordinator.get_by_text("Katrin Stjernfeldt Jammeh")).to_be_visible()
    coordinator.context.close()

    before = live_server.event_count()
    page.get_by_role("button", name="Registrera underskriften").click()
    expect(page.get_by_text("Någon har ändrat detta sedan du öppnade sidan.").first).to_be_visible()
    expect(page.get_by_text("Katrin Stjernfeldt Jammeh")).to_be_visible()  # the new state
    expect(page.get_by_label("Namn")).to_have_value("Lena Holm")  # what was typed
    review(page, "workspace-stale-form")
    assert live_server.event_count() == before


def test_a_police_officer_is_not_offered_the_municipality_and_a_forged_choice_is_refused(
    page: Page, live_server: LiveServer
) -> None:
    police = demo_token(live_server, "police")
    promise = draft_promise(live_server, police)
    sign_in(page, police)
    page.goto(f"/arbete/loften/{promise['id']}")
    offered = page.locator("#party option").evaluate_all("options => options.map(o => o.value)")
    assert offered == ["", "police", "partner"]
    page.evaluate(
        "document.querySelector('#party').add(new Option('Kommunen: Malmö', 'municipality:1280'))"
    )
    page.get_by_label("Skriver under för").select_option("municipality:1280")
    fill_signature(page, "Lena Holm", "Kommunstyrelsens ordförande")
    before = live_server.event_count()
    page.get_by_role("button", name="Registrera underskriften").click()
    expect(page.get_by_role("heading", name="Du har inte behörighet")).to_be_visible()
    expect(page.get_by_text("Ingenting registrerades.")).to_be_visible()
    review(page, "workspace-forbidden-signature")
    assert live_server.event_count() == before


def test_another_municipalitys_coordinator_gets_a_403_page_and_records_nothing(
    page: Page, live_server: LiveServer
) -> None:
    police = demo_token(live_server, "police")
    dialogue = live_server.api(
        "POST",
        "/api/v1/dialogues",
        police,
        json={
            "municipality": "1280",
            "kind": "citizen_dialogue",
            "held_on": "2025-03-04",
            "title": "Medborgardialog i Rosengård",
        },
    ).json()
    stockholm = live_server.issue_token("municipality", ["0180"], "Trygghetssamordnare Stockholm")
    sign_in(page, stockholm)
    expect(page.get_by_role("heading", name="Stockholm", level=2)).to_be_visible()
    answer = page.goto(f"/arbete/dialoger/{dialogue['id']}")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", name="Du har inte behörighet")).to_be_visible()
    review(page, "workspace-other-municipality-403")

    page.goto("/arbete/")
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    before = live_server.event_count()
    forged = page.request.post(
        f"/arbete/dialoger/{dialogue['id']}/iakttagelser",
        form={
            "csrf_token": csrf or "",
            "version": str(dialogue["version"]),
            "obs-0-theme": "drugs",
            "obs-0-summary": "Påhittad",
            "obs-0-count": "3",
        },
    )
    assert forged.status == 403 and "Du har inte behörighet" in forged.text()
    assert live_server.event_count() == before


def test_an_admin_issues_a_token_shown_once_and_revokes_it(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    sign_in(page, ADMIN_TOKEN)
    page.get_by_role("link", name="Åtkomst").click()
    page.get_by_label("Roll").select_option("municipality")
    page.get_by_label("Kommuner").fill("1480")
    page.get_by_label("Vem").fill("Trygghetssamordnare Göteborgs stad")
    page.get_by_role("button", name="Skapa nyckeln").click()
    secret = page.locator("#new-secret").inner_text().strip()
    assert secret.startswith("lft_")
    review(page, "workspace-admin-issued")
    page.reload()  # POST/redirect/GET: a reload issues nothing and shows nothing
    expect(page.get_by_role("heading", name="Nyckeln är redan visad")).to_be_visible()
    expect(page.locator("#new-secret")).to_have_count(0)
    page.goto("/arbete/admin/")
    expect(page.locator("#new-secret")).to_have_count(0)  # shown once

    colleague = another_person(browser, live_server, secret)
    expect(colleague.get_by_role("heading", name="Göteborg", level=2)).to_be_visible()
    page.goto("/arbete/admin/")
    page.get_by_role("button", name="Spärra nyckeln för Trygghetssamordnare Göteborgs stad").click()
    expect(page.get_by_text("Spärrad").first).to_be_visible()
    review(page, "workspace-admin")
    colleague.goto("/arbete/")
    expect(colleague.get_by_text("har spärrats")).to_be_visible()
    colleague.context.close()
