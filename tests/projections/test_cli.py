"""`loften rebuild` and `loften verify`, run as commands against a store on disk."""

from __future__ import annotations

from typer.testing import CliRunner

from entrypoints.cli import cli
from tests.projections.helpers import StoredEvents, dump_views
from tests.projections.scenario import MALMO


def test_rebuild_and_verify_commands(ids, projections, app, settings):
    live = dump_views(projections)
    env = {"LOFTEN_DATABASE_URL": settings.database_url}
    runner = CliRunner()

    rebuilt = runner.invoke(cli, ["rebuild"], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "catalogue, audit" in rebuilt.output
    assert dump_views(projections) == live

    verified = runner.invoke(cli, ["verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert MALMO in verified.output

    StoredEvents(app).delete(2)
    failed = runner.invoke(cli, ["verify", "--municipality", MALMO], env=env)
    assert failed.exit_code == 1, failed.output
    assert "NEJ" in failed.output

    unknown = runner.invoke(cli, ["verify", "--municipality", "9999"], env=env)
    assert unknown.exit_code == 2
