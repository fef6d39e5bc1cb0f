"""The reports over HTTP, made from the views after a scenario driven through the application."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from domain.reference import municipalities
from tests.projections.reports.test_render import Figures
from tests.support.api import Api, dialogue_body
from tests.support.reports import World
from tests.support.scenario import MALMO, ORUST, STENUNGSUND, TJORN

ANNUAL = f"/api/v1/reports/annual/{MALMO}/2025"
NATIONAL = "/api/v1/reports/national/2025"


def _json(world: World, path: str) -> dict[str, Any]:
    response = world.api.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def _csv(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "key", "value"]
    return {f"{section}.{key}".rstrip("."): value for section, key, value in rows[1:]}


def _pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


# -- the annual report -------------------------------------------------------------------------


def test_the_annual_json_counts_what_the_scenario_did(world: World) -> None:
    report = _json(world, ANNUAL)
    assert report["municipality"]["code"] == MALMO
    assert report["municipality"]["name"] == "Malmö"
    assert report["year"] == 2025
    # One citizen dialogue in 2025 (80 took part); the safety walk was held in 2024.
    assert _counted(report["dialogues"]) == {
        "total": 1,
        "participants": 80,
        "by_kind": {"citizen_dialogue": 1},
    }
    assert report["observations_by_theme"] == {
        "drugs": {"observations": 1, "mentions": 12},
        "traffic": {"observations": 1, "mentions": 4},
        "public_environment": {"observations": 1, "mentions": 30},
    }
    # Three Malmö issues identified on 2025-02-10: two prioritised, one rejected.
    assert report["issues"] == {"identified": 3, "prioritised": 2, "rejected": 1}
    # In force: only the 2025 promise (the 2024 one ended, the draft and the withdrawn don't count).
    [promise] = report["promises"]
    assert promise["id"] == str(world.ids.malmo_promise)
    assert promise["title"] == "Tryggare Möllan 2025"
    assert promise["status"] == "issued"
    assert promise["issued_on"] == "2025-02-05"
    assert promise["period"] == {"starts_on": "2025-01-01", "ends_on": "2025-12-31"}
    assert [a["description"] for a in promise["activities"]] == [
        "Minst 20 narkotikakontroller",
        "Belysa tre tunnlar",
    ]
    assert {a["status"] for a in promise["activities"]} == {"not_started"}
    assert all("responsible_name" not in a for a in promise["activities"])
    # Q1 moved to 15 April and held on the 18th (late); 30 June missed (overdue on 5 July);
    # 30 September and 31 December still ahead; the final one falls in 2026.
    assert report["follow_ups"] == {
        "on_time": 0,
        "late": 1,
        "overdue": 1,
        "scheduled": 2,
        "missed": 2,
    }
    assert report["feedback"] == [
        {
            "promise_id": str(world.ids.malmo_promise),
            "promise_title": "Tryggare Möllan 2025",
            "published_on": "2025-04-19",
            "channel": "Facebook",
            "summary": "Vi har börjat",
        }
    ]
    position, head_hash = world.api.app.state.projections.audit.head(MALMO)
    assert report["audit"] == {"head_hash": head_hash, "position": position}


def test_the_annual_report_of_2024_shows_the_concluded_promise(world: World) -> None:
    report = _json(world, f"/api/v1/reports/annual/{MALMO}/2024")
    assert _counted(report["dialogues"]) == {
        "total": 1,
        "participants": 15,
        "by_kind": {"safety_walk": 1},
    }
    assert report["observations_by_theme"] == {}
    assert report["issues"] == {"identified": 0, "prioritised": 0, "rejected": 0}
    [promise] = report["promises"]
    assert promise["id"] == str(world.ids.old_promise)
    assert promise["status"] == "concluded"
    assert promise["outcome"] == "partly_fulfilled"
    assert promise["concluded_on"] == "2024-09-02"
    assert [(a["status"], a["comment"]) for a in promise["activities"]] == [("done", "Klart")]
    # 31 March and 30 June held on their day; the final one held on 20 August, late.
    assert report["follow_ups"] == {
        "on_time": 2,
        "late": 1,
        "overdue": 0,
        "scheduled": 0,
        "missed": 1,
    }
    assert [(f["published_on"], f["channel"]) for f in report["feedback"]] == [
        ("2024-09-01", "malmo.se")
    ]


def test_a_promise_of_several_municipalities_is_in_each_ones_report(world: World) -> None:
    for code in (STENUNGSUND, ORUST, TJORN):
        report = _json(world, f"/api/v1/reports/annual/{code}/2025")
        assert [p["id"] for p in report["promises"]] == [str(world.ids.fyrbodal_promise)]
        assert report["promises"][0]["municipalities"] == [STENUNGSUND, ORUST, TJORN]
    orust = _json(world, f"/api/v1/reports/annual/{ORUST}/2025")
    assert orust["issues"] == {"identified": 1, "prioritised": 1, "rejected": 0}
    assert orust["dialogues"]["total"] == 0


def test_the_annual_csv_carries_the_json_figures(world: World) -> None:
    report = _json(world, ANNUAL)
    response = world.api.get(ANNUAL + "?format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="medborgarloften-1280-2025.csv"' in response.headers["content-disposition"]
    values = _csv(response.text)
    assert values["dialogues.total"] == "1"
    assert values["dialogues.participants"] == "80"
    assert values["observations_by_theme.public_environment.mentions"] == "30"
    assert values["issues.rejected"] == "1"
    assert values["follow_ups.late"] == "1"
    assert values["follow_ups.overdue"] == "1"
    assert values["promises.0.title"] == "Tryggare Möllan 2025"
    assert values["feedback.0.channel"] == "Facebook"
    assert values["audit.head_hash"] == report["audit"]["head_hash"]
    assert values["audit.position"] == str(report["audit"]["position"])


def test_the_annual_html_carries_the_json_figures(world: World) -> None:
    report = _json(world, ANNUAL)
    response = world.api.client.get(ANNUAL, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    page = Figures(response.text)
    shown = page.figures
    assert page.lang == "sv"
    assert shown["municipality.name"] == "Malmö"
    assert shown["dialogues.total"] == "1"
    assert shown["dialogues.participants"] == "80"
    assert shown["issues.identified"] == "3"
    assert shown["follow_ups.late"] == "1"
    assert shown["follow_ups.overdue"] == "1"
    assert shown["follow_ups.scheduled"] == "2"
    assert shown["promises.0.title"] == "Tryggare Möllan 2025"
    assert re.sub(r"\s", "", shown["audit.head_hash"]) == report["audit"]["head_hash"]
    assert page.svgs == 2
    english = Figures(world.api.get(ANNUAL + "?format=html&lang=en").text)
    assert english.lang == "en"


def test_the_annual_pdf_names_the_municipality_and_the_head_hash(world: World) -> None:
    report = _json(world, ANNUAL)
    response = world.api.client.get(ANNUAL, headers={"Accept": "application/pdf"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Malmö" in text
    assert "Tryggare Möllan 2025" in text
    assert report["audit"]["head_hash"] in re.sub(r"\s", "", text)


# -- the national report ------------------------------------------------------------------------


def test_the_national_json_counts_the_promises_in_force(world: World) -> None:
    report = _json(world, NATIONAL)
    # Malmö's 2025 promise and the Fyrbodal promise of three; not the draft or the withdrawn.
    covered = {MALMO, STENUNGSUND, ORUST, TJORN}
    assert report["year"] == 2025
    assert report["municipalities_total"] == 290
    assert report["covered"] == 4
    assert report["share"] == pytest.approx(4 / 290)
    assert report["uncovered"] == [code for code in municipalities() if code not in covered]
    regions = {row["name"]: row for row in report["by_police_region"]}
    assert regions["Polisregion Syd"]["covered"] == 1
    assert regions["Polisregion Väst"]["covered"] == 3
    assert sum(row["covered"] for row in report["by_police_region"]) == 4
    counties = {row["name"]: row for row in report["by_county"]}
    assert counties["Skåne län"]["covered"] == 1
    assert counties["Västra Götalands län"]["covered"] == 3
    assert sum(row["total"] for row in report["by_county"]) == 290
    # 2024: only the concluded Malmö promise.
    earlier = _json(world, "/api/v1/reports/national/2024")
    assert earlier["covered"] == 1
    assert MALMO not in earlier["uncovered"]


def test_the_national_report_in_csv_html_and_pdf(world: World) -> None:
    values = _csv(world.api.get(NATIONAL + "?format=csv").text)
    assert values["covered"] == "4"
    assert values["municipalities_total"] == "290"
    html = world.api.client.get(NATIONAL, headers={"Accept": "text/html;q=0.9, */*;q=0.1"})
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    page = Figures(html.text)
    assert page.figures["covered"] == "4"
    assert MALMO not in page.codes
    assert len(page.codes) == 286
    pdf = world.api.get(NATIONAL + "?format=pdf&lang=en")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Polisregion Väst" in _pdf_text(pdf.content)


# -- refusals -------------------------------------------------------------------------------------


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/annual/9999/2025",
        "/api/v1/reports/annual/malmo/2025",
        f"/api/v1/reports/annual/{MALMO}/25",
        f"/api/v1/reports/annual/{MALMO}/1899",
        f"/api/v1/reports/annual/{MALMO}/3000",
        f"/api/v1/reports/annual/{MALMO}/twenty",
        "/api/v1/reports/national/0",
        "/api/v1/reports/national/99999",
        f"{ANNUAL}?format=xml",
        f"{ANNUAL}?lang=de",
    ],
)
def test_unknown_codes_unreasonable_years_and_bad_options_are_422(world: World, path: str) -> None:
    _problem(world.api.get(path), 422)


@pytest.mark.parametrize("accept", ["image/png", "text/plain", "application/json;q=0"])
def test_an_unacceptable_accept_is_406(world: World, accept: str) -> None:
    for path in (ANNUAL, NATIONAL):
        body = _problem(world.api.client.get(path, headers={"Accept": accept}), 406)
        assert "text/csv" in body["detail"]


def test_format_wins_over_accept(world: World) -> None:
    response = world.api.client.get(ANNUAL + "?format=csv", headers={"Accept": "image/png"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"


def test_reports_are_public_and_in_the_openapi_schema(world: World) -> None:
    schema = world.api.get("/openapi.json").json()
    annual = schema["paths"]["/api/v1/reports/annual/{code}/{year}"]["get"]
    content = annual["responses"]["200"]["content"]
    assert content["application/json"]["schema"]["$ref"].endswith("/AnnualReport")
    assert {"text/csv", "text/html", "application/pdf"} <= set(content)
    assert {"406", "422"} <= set(annual["responses"])
    national = schema["paths"]["/api/v1/reports/national/{year}"]["get"]
    assert national["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/NationalReport"
    )


def test_a_report_reflects_a_write_just_answered(fresh_api: Api) -> None:
    path = f"/api/v1/reports/annual/{MALMO}/2025"
    assert fresh_api.get(path).json()["dialogues"]["total"] == 0
    for _ in range(3):
        written = fresh_api.post("/api/v1/dialogues", dialogue_body())
        assert written.status_code == 201, written.text
        report = fresh_api.get(path).json()
    assert _counted(report["dialogues"]) == {
        "total": 3,
        "participants": 69,
        "by_kind": {"safety_walk": 3},
    }
    assert report["audit"]["position"] == 3


def _counted(dialogues: dict[str, object]) -> dict[str, object]:
    """The dialogue figures without the list of the dialogues held."""
    return {key: value for key, value in dialogues.items() if key != "held"}
