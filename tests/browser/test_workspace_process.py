"""In Chromium, the whole process: from sign-in through a safety walk with a CSV of survey
counts, an issue citing two observations, a promise for two municipalities signed by three
parties, issuance, a follow-up, feedback and conclusion; then the same promise over the API.

Every page on the way is checked with axe at 1280 and 390 pixels and photographed.
"""

from __future__ import annotations

import re
from uuid import UUID

from playwright.sync_api import Browser, Page, expect

from tests.browser.support import LiveServer, review
from tests.browser.workspace import another_person, demo_token, sign_in

LUND = "1281"
SURVEY = (
    "theme,summary,count,place\n"
    "public_environment,Gångtunneln under Lönngatan upplevs som otrygg,64,Lönngatan\n"
    "drugs,Öppen narkotikaförsäljning vid busshållplatsen,31,Sofielund\n"
    "traffic,Buskörning med mopeder på kvällarna,22,\n"
)


def id_in(page: Page, kind: str) -> str:
    found = re.search(rf"/arbete/{kind}/([0-9a-f-]{{36}})", page.url)
    assert found, page.url
    return found.group(1)


def test_the_whole_process_in_the_browser(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    police_secret = live_server.issue_token("police", ["1280", LUND], "Kommunpolis LPO Malmö Söder")
    lund_secret = live_server.issue_token(
        "municipality", [LUND], "Trygghetssamordnare Lunds kommun"
    )
    sign_in(page, police_secret)
    expect(page.get_by_role("heading", name="Lund", level=2)).to_be_visible()

    # A safety walk, with the survey counts of the same evening as a CSV.
    page.goto("/arbete/dialoger/ny?kommun=1280")
    review(page, "workspace-dialogue-new")
    page.get_by_label("Slag av dialog").select_option("safety_walk")
    page.get_by_label("Hölls").fill("2024-10-15")
    page.get_by_label("Rubrik").fill("Trygghetsvandring på Lönngatan")
    page.get_by_label("Plats").fill("Lönngatan och Sofielund")
    page.get_by_label("Antal deltagare").fill("120")
    page.get_by_role("button", name="Registrera dialogen").click()
    dialogue_id = id_in(page, "dialoger")
    page.set_input_files(
        "#file", files=[{"name": "vandring.csv", "mimeType": "text/csv", "buffer": SURVEY.encode()}]
    )
    page.get_by_role("button", name="Förhandsgranska filen").click()
    page.get_by_role("button", name="Registrera 3 iakttagelser").click()
    expect(page.get_by_text("3 iakttagelser registrerades.")).to_be_visible()

    # An issue citing two of its observations.
    page.goto("/arbete/problem/nytt?kommun=1280")
    page.get_by_label("Rubrik").fill("Otrygghet kring Lönngatan")
    page.get_by_label("Tema", exact=True).select_option("public_environment")
    page.get_by_label("Beskrivning").fill("Boende undviker tunneln och hållplatsen kvällstid.")
    page.get_by_label("Identifierat").fill("2024-11-01")
    page.get_by_label(re.compile("Gångtunneln under Lönngatan")).check()
    page.get_by_label(re.compile("Öppen narkotikaförsäljning vid busshållplatsen")).check()
    review(page, "workspace-issue-new")
    page.get_by_role("button", name="Identifiera problemet").click()
    issue_id = id_in(page, "problem")
    page.get_by_label("Prioritet").select_option("1")
    page.get_by_label("Motivering").fill("Flest omnämnanden i vandringen och enkäten.")
    page.get_by_role("button", name="Prioritera problemet").click()
    expect(page.get_by_role("definition").filter(has_text="1 – högst")).to_be_visible()
    review(page, "workspace-issue")

    # A promise for Malmö and Lund, with one measurable and one vague activity.
    page.goto("/arbete/loften/nytt?kommun=1280")
    page.get_by_label("Lund").check()
    page.get_by_role("button", name="Visa kommunernas prioriterade problem").click()
    page.get_by_label(re.compile("Otrygghet kring Lönngatan")).check()
    page.get_by_label("Rubrik").fill("Medborgarlöfte Malmö Söder och Lund 2025")
    page.get_by_label("Lokalpolisområde").fill("LPO Malmö Söder")
    page.get_by_label("Gäller från").fill("2025-01-01")
    page.get_by_label("Gäller till").fill("2025-12-31")
    page.get_by_label("Uppföljning").select_option("annual")
    page.get_by_label("Löftestext").fill(
        "Under 2025 lovar polisen och kommunerna att göra Lönngatan tryggare."
    )
    page.locator("#act-0-description").fill("Minst fyra trygghetsvandringar längs Lönngatan")
    page.locator("#act-0-responsible").select_option("police")
    page.locator("#act-0-due_on").fill("2025-11-30")
    page.locator("#act-1-description").fill("Se över belysningen i tunneln")
    expect(page.locator("#act-1-description-warning")).to_be_visible()  # live, as typed
    page.locator("#act-1-responsible").select_option("municipality")
    page.locator("#act-1-due_on").fill("2025-06-30")
    review(page, "workspace-promise-new")
    page.get_by_role("button", name="Spara utkastet").click()
    promise_id = id_in(page, "loften")
    vague = page.get_by_role("rowheader", name=re.compile("Se över belysningen"))
    expect(vague).to_contain_text("Varning: aktiviteten anger varken antal eller datum.")

    # Three signatures: the police here, each municipality's in its own browser.
    page.get_by_label("Skriver under för").select_option("police")
    page.get_by_label("Namn").fill("Lena Holm")
    page.get_by_label("Titel").fill("Lokalpolisområdeschef")
    page.get_by_label("Undertecknat").fill("2025-02-10")
    review(page, "workspace-promise-draft")
    page.get_by_role("button", name="Registrera underskriften").click()
    for secret, name, signer in (
        (demo_token(live_server, "municipality"), "Kommunen: Malmö", "Katrin Stjernfeldt Jammeh"),
        (lund_secret, "Kommunen: Lund", "Philip Sandberg"),
    ):
        other = another_person(browser, live_server, secret)
        other.goto(f"/arbete/loften/{promise_id}")
        other.get_by_label("Skriver under för").select_option(label=name)
        other.get_by_label("Namn").fill(signer)
        other.get_by_label("Titel").fill("Kommunstyrelsens ordförande")
        other.get_by_label("Undertecknat").fill("2025-02-12")
        other.get_by_role("button", name="Registrera underskriften").click()
        expect(other.get_by_text(signer)).to_be_visible()
        other.context.close()

    # Issuance, after seeing the follow-up dates it will schedule.
    page.goto(f"/arbete/loften/{promise_id}")
    page.get_by_role("link", name="Förhandsgranska och utfärda").click()
    page.get_by_label("Utfärdat").fill("2025-02-14")
    page.get_by_role("button", name="Visa uppföljningsdatum").click()
    expect(page.get_by_text("31 december 2025")).to_be_visible()
    expect(page.get_by_text("31 januari 2026 – slutuppföljning")).to_be_visible()
    review(page, "workspace-issuance")
    page.get_by_role("button", name="Utfärda löftet 2025-02-14").click()
    expect(page.get_by_text("Gällande").first).to_be_visible()
    review(page, "workspace-promise-issued")

    # The final follow-up, one row per activity; then feedback and conclusion.
    page.get_by_role("link", name=re.compile("31 januari 2026")).click()
    activities = page.locator("select[id$='-status']")
    expect(activities).to_have_count(2)
    activities.nth(0).select_option("done")
    activities.nth(1).select_option("cancelled")
    page.locator("input[id$='-comment']").nth(1).fill("Belysningen byts i stället 2026.")
    page.get_by_label("Sammanfattning").fill("Fyra vandringar gjordes; belysningen väntar.")
    page.get_by_label("Genomförd").fill("2026-02-05")
    review(page, "workspace-follow-up")
    page.get_by_role("button", name="Registrera uppföljningen").click()
    expect(
        page.get_by_role("heading", name="Medborgarlöfte Malmö Söder och Lund 2025")
    ).to_be_visible()
    page.get_by_label("Publicerad").fill("2026-02-10")
    page.get_by_label("Kanal").fill("malmo.se och lund.se")
    page.get_by_label("Vad som återkopplades").fill("Så gick det med löftet om Lönngatan.")
    page.get_by_role("button", name="Publicera återkopplingen").click()
    page.get_by_label("Utfall").select_option("partly_fulfilled")
    page.locator("#end-summary").fill("Vandringarna gjordes, belysningen dröjer.")
    page.get_by_label("Avslutat").fill("2026-02-20")
    page.get_by_role("button", name="Avsluta löftet").click()
    expect(page.get_by_text("Avslutat").first).to_be_visible()
    review(page, "workspace-promise-concluded")
    page.get_by_role("link", name="Historik (alla händelser)").click()
    expect(page.get_by_text("PromiseConcluded")).to_be_visible()
    review(page, "workspace-history")

    page.goto("/arbete/problem?kommun=1280")
    expect(page.get_by_role("link", name="Otrygghet kring Lönngatan")).to_be_visible()
    review(page, "workspace-issues")
    page.goto(f"/arbete/loften?kommun={LUND}")
    expect(
        page.get_by_role("link", name="Medborgarlöfte Malmö Söder och Lund 2025")
    ).to_be_visible()
    review(page, "workspace-promises")

    # The same promise, over the JSON API.
    answer = live_server.api("GET", f"/api/v1/promises/{promise_id}", police_secret)
    assert answer.status_code == 200, answer.text
    promise = answer.json()
    assert promise["status"] == "concluded" and promise["outcome"] == "partly_fulfilled"
    assert sorted(promise["municipalities"]) == ["1280", LUND]
    assert sorted(s["party"] for s in promise["signatures"]) == [
        "municipality",
        "municipality",
        "police",
    ]
    assert promise["addresses"] == [issue_id]
    assert [f["status"] for f in promise["follow_ups"] if f["id"]][-1] == "done"
    assert len(promise["feedback"]) == 1
    derivation = live_server.api("GET", f"/api/v1/promises/{promise_id}/derivation").json()
    cited = derivation["issues"][0]["evidence"]
    assert {e["dialogue"]["id"] for e in cited} == {dialogue_id}
    assert len(cited) == 2
    assert UUID(promise_id)
