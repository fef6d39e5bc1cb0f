"""`loften backup` under a write load, `loften restore` into a fresh folder (#20).

A server takes writes over HTTP from a thread while the backup is taken. The restored
copy holds every write acknowledged before the backup began, its audit chains verify,
its views equal a rebuild, and the API's records (tokens) came along.
"""

from __future__ import annotations

import threading
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner, Result

from entrypoints.cli import cli
from infra.backup import BackupRefused, restore_backup, take_backup
from infra.bootstrap import open_api_stores, open_application, open_read_side
from projections.verification import verify_municipalities
from tests.support.api import TODAY, Api, api_settings, dialogue_body, start_api
from tests.support.views import dump_views
from workflow.clock import FakeClock


def test_a_backup_under_write_load_restores_every_acknowledged_write(tmp_path: Path) -> None:
    settings = api_settings(tmp_path / "live")
    acknowledged: list[str] = []
    stop = threading.Event()
    backup = tmp_path / "backups" / "loften.tar"
    for api in start_api(settings, FakeClock(TODAY)):

        def write(api: Api = api) -> None:
            while not stop.is_set():
                response = api.post("/api/v1/dialogues", dialogue_body(), "police")
                assert response.status_code == 201, response.text
                acknowledged.append(response.json()["id"])

        for _ in range(5):
            api.post("/api/v1/dialogues", dialogue_body(), "police")
        writer = threading.Thread(target=write)
        writer.start()
        try:
            while len(acknowledged) < 5:
                stop.wait(0.01)
            before = list(acknowledged)  # acknowledged before the backup began
            taken = take_backup(settings, backup)
        finally:
            stop.set()
            writer.join()
        assert len(acknowledged) > len(before)  # the writes went on during the backup
        police_secret = api.secrets["police"]

    restored = api_settings(tmp_path / "restored")
    assert restore_backup(restored, backup).head == taken.head
    app = open_application(restored, FakeClock(TODAY))
    read_side = open_read_side(app, restored)
    try:
        for dialogue_id in before:
            app.get_dialogue(UUID(dialogue_id))  # raises if missing
        read_side.catch_up()
        results = verify_municipalities(app, read_side.audit)
        assert results and all(result.ok for result in results.values())
        caught_up = dump_views(read_side)
        read_side.rebuild()
        assert dump_views(read_side) == caught_up
    finally:
        read_side.close()
        app.close()
    stores = open_api_stores(restored)
    try:
        assert stores.tokens.find(police_secret) is not None
    finally:
        stores.close()


def test_restore_refuses_a_location_that_holds_a_store(tmp_path: Path) -> None:
    settings = api_settings(tmp_path / "live")
    for api in start_api(settings, FakeClock(TODAY)):
        api.dialogue()
    backup = tmp_path / "b.tar"
    take_backup(settings, backup)
    with pytest.raises(BackupRefused, match="already exists"):
        restore_backup(settings, backup)


def loften(args: list[str], url: str) -> Result:
    return CliRunner().invoke(cli, args, env={"LOFTEN_DATABASE_URL": url})


def test_the_commands_answer_in_sentences(tmp_path: Path) -> None:
    live = f"sqlite:///{tmp_path / 'live' / 'loften.sqlite3'}"
    archive = str(tmp_path / "x.tar")
    missing = loften(["backup", "-o", archive], live)
    assert missing.exit_code == 1 and missing.output.startswith("No event store at ")
    loften(["demo"], live)
    taken = loften(["backup", "-o", archive], live)
    assert taken.exit_code == 0 and taken.output.startswith("Backed up api, events up to event ")
    fresh = f"sqlite:///{tmp_path / 'fresh' / 'loften.sqlite3'}"
    restored = loften(["restore", archive], fresh)
    assert restored.exit_code == 0, restored.output
    verified = loften(["verify"], fresh)
    assert verified.exit_code == 0, verified.output
    not_a_backup = tmp_path / "n.tar"
    not_a_backup.write_text("nej")
    refused = loften(["restore", str(not_a_backup)], f"sqlite:///{tmp_path / 'o' / 'l.sqlite3'}")
    assert refused.exit_code == 1 and "is not a backup loften can restore" in refused.output
