"""`loften rebuild` and `loften verify`, run as commands against a store on disk."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from entrypoints.cli import cli
from tests.support.scenario import MALMO
from tests.support.views import StoredEvents, damage_views, dump_views


def test_rebuild_and_verify_commands(ids, projections, app, settings):
    live = dump_views(projections)
    assert live["dialogues"] and live["audit_entries"] and live["follow_ups"]
    env = {"LOFTEN_DATABASE_URL": settings.database_url}
    runner = CliRunner()

    damage_views(projections)  # so that a rebuild that did nothing could not pass
    rebuilt = runner.invoke(cli, ["rebuild"], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "catalogue, audit" in rebuilt.output
    assert dump_views(projections) == live

    verified = runner.invoke(cli, ["verify"], env=env)
    assert verified.exit_code == 0, verified.output
    (line,) = [line for line in verified.stdout.splitlines() if line.startswith(MALMO)]
    # The whole head hash, so it can be compared with the one the annual report carries.
    printed = re.findall(r"\b[0-9a-f]{64}\b", line)
    assert len(printed) == 1, line
    assert " ok " in line
    report = runner.invoke(cli, ["report", "annual", MALMO, "2025"], env=env)
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["audit"]["head_hash"] == printed[0]

    StoredEvents(app).delete(2)
    failed = runner.invoke(cli, ["verify", "--municipality", MALMO], env=env)
    assert failed.exit_code == 1, failed.output
    assert f"{MALMO}  BROKEN" in failed.output
    assert f"The audit chain of {MALMO} does not match the events." in failed.output

    unknown = runner.invoke(cli, ["verify", "--municipality", "9999"], env=env)
    assert unknown.exit_code == 2
    assert unknown.output.strip() == (
        "'9999' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö."
    )
