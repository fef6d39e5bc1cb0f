"""Open data: the public record as Frictionless Data Packages, over HTTP and from the CLI.

Each package is validated with the `frictionless` library (descriptor, table schemas,
types, primary and foreign keys), its rows are counted by hand against the scenario,
and nothing that is not public (a note, a draft, an issue no issued promise addresses,
a token's label) appears in any of its files.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pytest
from typer.testing import CliRunner

from entrypoints.cli import cli
from tests.support.api import (
    Api,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    signature_body,
)
from tests.support.reports import World
from tests.support.scenario import MALMO, STENUNGSUND
from tests.web.test_public_pages import NEVER_PUBLIC

TABLES = (
    "dialogues",
    "observations",
    "issues",
    "evidence",
    "promises",
    "promise_municipalities",
    "promise_issues",
    "activities",
    "signatures",
    "follow_ups",
    "feedback",
)


def files_of(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(files: dict[str, bytes], table: str) -> list[dict[str, str]]:
    text = files[f"{table}.csv"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def validated(body: bytes, folder: Path) -> dict[str, bytes]:
    """The package's files, once `frictionless` finds the package valid."""
    files = files_of(body)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    return files


def download(world: World, name: str) -> bytes:
    response = world.api.get(f"/api/v1/open-data/{name}.zip")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="loftesboken-{name}.zip"'
    )
    return response.content


def assert_nothing_internal(files: dict[str, bytes]) -> None:
    for name, content in files.items():
        text = content.decode("utf-8")
        for secret in NEVER_PUBLIC:
            assert secret not in text, (name, secret)


@pytest.mark.parametrize("name", [MALMO, STENUNGSUND, "national"])
def test_each_package_is_valid_frictionless_data_under_cc0(
    world: World, name: str, tmp_path: Path
) -> None:
    files = validated(download(world, name), tmp_path / name)
    assert sorted(files) == sorted(["datapackage.json", *(f"{t}.csv" for t in TABLES)])
    package = json.loads(files["datapackage.json"])
    assert package["name"] == f"loftesboken-{name}"
    assert [licence["name"] for licence in package["licenses"]] == ["CC0-1.0"]
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    for resource in package["resources"]:
        assert resource["encoding"] == "utf-8"
        assert resource["path"] == f"{resource['name']}.csv"
        header = next(csv.reader(io.StringIO(files[resource["path"]].decode("utf-8"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    assert_nothing_internal(files)


def test_a_municipality_package_holds_its_public_record(world: World, tmp_path: Path) -> None:
    ids = world.ids
    files = validated(download(world, MALMO), tmp_path)
    counts = {table: len(rows(files, table)) for table in TABLES}
    assert counts == {
        "dialogues": 2,  # the citizen dialogue and the safety walk
        "observations": 3,
        "issues": 2,  # drugs and dark places; the rejected moped issue is not public
        "evidence": 4,
        "promises": 2,  # this year's and last year's; not the draft, not the withdrawn draft
        "promise_municipalities": 2,
        "promise_issues": 3,
        "activities": 3,
        "signatures": 4,
        "follow_ups": 8,  # four quarters and a final one; last year's two and a final one
        "feedback": 2,
    }
    promises = {row["id"]: row for row in rows(files, "promises")}
    assert set(promises) == {str(ids.malmo_promise), str(ids.old_promise)}
    old = promises[str(ids.old_promise)]
    assert (old["status"], old["outcome"], old["concluded_on"]) == (
        "concluded",
        "partly_fulfilled",
        "2024-09-02",
    )
    assert promises[str(ids.malmo_promise)]["text"] == "Under 2025 lovar polisen och kommunen ..."
    assert {r["id"] for r in rows(files, "issues")} == {
        str(ids.drugs_issue),
        str(ids.dark_places_issue),
    }
    summaries = [r["summary"] for r in rows(files, "observations")]
    assert summaries == ["Öppen narkotikahandel", "Mörka gångtunnlar", "Mopedbuskörning"]
    malmo = str(ids.malmo_promise)
    first_q = next(r for r in rows(files, "follow_ups") if r["promise_id"] == malmo)
    assert (first_q["status"], first_q["late"], first_q["missed"]) == ("done", "true", "true")
    signed = [
        (r["party"], r["name"], r["position"])
        for r in rows(files, "signatures")
        if r["promise_id"] == str(ids.malmo_promise)
    ]
    assert signed == [("police", "Anna Polis", "1"), ("municipality", "KSO", "2")]


def test_a_joint_promise_is_in_each_of_its_municipalities_packages(
    world: World, tmp_path: Path
) -> None:
    ids = world.ids
    files = validated(download(world, STENUNGSUND), tmp_path)
    assert [r["id"] for r in rows(files, "promises")] == [str(ids.fyrbodal_promise)]
    assert sorted(r["municipality"] for r in rows(files, "promise_municipalities")) == [
        "1415",
        "1419",
        "1421",
    ]
    # Orust's issue is addressed by the joint promise, so Stenungsund's package has it too.
    assert {r["id"] for r in rows(files, "issues")} == {
        str(ids.stenungsund_issue),
        str(ids.orust_issue),
    }
    assert [r["id"] for r in rows(files, "dialogues")] == [str(ids.fyrbodal_dialogue)]


def test_the_national_package_holds_every_municipality(world: World, tmp_path: Path) -> None:
    files = validated(download(world, "national"), tmp_path)
    assert len(rows(files, "promises")) == 3
    assert len(rows(files, "dialogues")) == 3
    assert len(rows(files, "issues")) == 4
    assert {r["municipality"] for r in rows(files, "dialogues")} == {MALMO, STENUNGSUND}


def test_a_package_is_the_same_bytes_while_the_record_is_the_same(world: World) -> None:
    assert download(world, MALMO) == download(world, MALMO)


def test_an_unknown_municipality_has_no_package(world: World) -> None:
    for name in ("0000", "malmo", "12800"):
        response = world.api.get(f"/api/v1/open-data/{name}.zip")
        assert response.status_code == 404, name
        assert response.headers["content-type"] == "application/problem+json"


def test_the_pages_link_the_packages(world: World) -> None:
    for url, href in (("/", "national"), (f"/kommun/{MALMO}", MALMO)):
        page = world.api.get(url).text
        assert f'href="/api/v1/open-data/{href}.zip"' in page
        assert world.api.get(f"/api/v1/open-data/{href}.zip").status_code == 200


def test_loften_export_open_data_writes_the_same_package(world: World, tmp_path: Path) -> None:
    env = {"LOFTEN_DATABASE_URL": world.settings.database_url}
    for args, name in (([], "national"), (["--municipality", MALMO], MALMO)):
        target = tmp_path / f"{name}.zip"
        result = CliRunner().invoke(cli, ["export", "open-data", *args, "-o", str(target)], env=env)
        assert result.exit_code == 0, result.output
        cli_files = validated(target.read_bytes(), tmp_path / f"cli-{name}")
        http_files = files_of(download(world, name))
        for table in TABLES:
            assert rows(cli_files, table) == rows(http_files, table), table


def test_loften_export_open_data_refuses_what_it_cannot_do(world: World, tmp_path: Path) -> None:
    env = {"LOFTEN_DATABASE_URL": world.settings.database_url}
    runner = CliRunner()
    unknown = runner.invoke(
        cli,
        ["export", "open-data", "--municipality", "0000", "-o", str(tmp_path / "x.zip")],
        env=env,
    )
    assert unknown.exit_code == 2
    assert "0000" in unknown.output and "Traceback" not in unknown.output
    nowhere = runner.invoke(
        cli, ["export", "open-data", "-o", str(tmp_path / "missing" / "x.zip")], env=env
    )
    assert nowhere.exit_code == 2
    assert "does not exist" in nowhere.output
    assert not (tmp_path / "x.zip").exists()


def test_a_retracted_observation_is_marked_and_counts_nowhere(
    fresh_api: Api, tmp_path: Path
) -> None:
    dialogue = fresh_api.ok("/api/v1/dialogues", dialogue_body(), "police")
    recorded = fresh_api.ok(
        f"/api/v1/dialogues/{dialogue['id']}/observations",
        {"observations": [observation_body(count=3), observation_body(count=5)]},
        "police",
    )
    wrong = recorded["observations"][1]["id"]
    # An issue cites it, and an issued promise addresses that issue, before the retraction.
    evidence = [{"dialogue_id": dialogue["id"], "observation_id": wrong}]
    issue = fresh_api.ok("/api/v1/issues", issue_body(evidence=evidence), "police")
    fresh_api.ok(
        f"/api/v1/issues/{issue['id']}/prioritisation",
        {"priority": 1, "rationale": "Viktigt."},
        "police",
    )
    promise = fresh_api.ok("/api/v1/promises", promise_body([MALMO], [issue["id"]]), "police")
    signatures = f"/api/v1/promises/{promise['id']}/signatures"
    fresh_api.ok(signatures, signature_body("police"), "police")
    fresh_api.ok(signatures, signature_body("municipality", MALMO), "municipality")
    fresh_api.ok(
        f"/api/v1/promises/{promise['id']}/issuance", {"issued_on": "2025-02-08"}, "police"
    )
    fresh_api.ok(
        f"/api/v1/dialogues/{dialogue['id']}/observations/{wrong}/retraction",
        {"reason": "Fel dialog."},
        "police",
    )
    response = fresh_api.get(f"/api/v1/open-data/{MALMO}.zip")
    assert response.status_code == 200
    files = validated(response.content, tmp_path)
    observations = {r["id"]: r["retracted"] for r in rows(files, "observations")}
    assert observations == {recorded["observations"][0]["id"]: "false", wrong: "true"}
    (held,) = rows(files, "dialogues")
    assert (held["observations"], held["mentions"]) == ("1", "3")
    # The evidence still names it, and the reference resolves within the package.
    assert [r["observation_id"] for r in rows(files, "evidence")] == [wrong]
