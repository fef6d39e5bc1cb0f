"""Verification shared among worker processes gives what one process gives, tampering too.

Runs on SQLite and PostgreSQL (the `settings` fixture): the workers read the log with
the recorders' joined page reads and open the store and the view anew.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from entrypoints.cli import cli
from infra.bootstrap import ChainOpener
from projections.verification import verify_municipalities
from projections.verification_jobs import share_of
from tests.support.scenario import MALMO, ORUST, STENUNGSUND, TJORN
from tests.support.views import StoredEvents

CODES = (MALMO, STENUNGSUND, ORUST, TJORN)


def both_ways(app, projections, settings, codes=None):
    """The results in this process and from two workers."""
    serial = verify_municipalities(app, projections.audit, codes)
    parallel = verify_municipalities(
        app, projections.audit, codes, jobs=2, opener=ChainOpener(settings)
    )
    return serial, parallel


def test_the_scenario_is_shared_between_two_workers():
    # Otherwise the tests below would run one worker's share only.
    assert {share_of(code, 2) for code in CODES} == {0, 1}


def test_two_workers_give_what_one_process_gives(ids, projections, app, settings):
    serial, parallel = both_ways(app, projections, settings)
    assert set(serial) == set(CODES)
    assert parallel == serial
    assert all(result.ok for result in parallel.values())
    for code, result in parallel.items():
        assert (result.entries, result.head_hash) == projections.audit.head(code)
    chosen = both_ways(app, projections, settings, [MALMO, ORUST])
    assert set(chosen[1]) == {MALMO, ORUST}
    assert chosen[0] == chosen[1]


def test_a_changed_stored_byte_is_found_at_the_same_position(ids, projections, app, settings):
    stored = StoredEvents(app)
    position = stored.position(ids.fyrbodal_promise, 3)
    state = stored.state(position)
    stored.replace_state(position, state.replace(b'{"timestamp"', b'["timestamp"', 1))
    serial, parallel = both_ways(app, projections, settings)
    assert parallel == serial
    broken = {code for code, result in serial.items() if not result.ok}
    assert broken == {STENUNGSUND, ORUST, TJORN}
    assert all(serial[code].first_bad_position for code in broken)


def test_a_changed_recorded_digest_is_found_at_the_same_position(ids, projections, app, settings):
    # The first event of Malmö's citizen dialogue keeps erasable values apart; their
    # digests are recorded in its seal, in the event's stored state.
    stored = StoredEvents(app)
    position = stored.position(ids.citizen_dialogue, 1)
    state = stored.state(position)
    seal_at = state.index(b'"_seal_":"')
    digest_at = state.index(b":", state.index(b" ", seal_at)) + 1
    flipped = b"0" if state[digest_at : digest_at + 1] != b"0" else b"1"
    stored.replace_state(position, state[:digest_at] + flipped + state[digest_at + 1 :])
    serial, parallel = both_ways(app, projections, settings)
    assert parallel == serial
    assert serial[MALMO].first_bad_position == 1
    assert [code for code, result in serial.items() if not result.ok] == [MALMO]


@pytest.mark.parametrize("jobs", [1, 3])
def test_a_changed_row_of_the_stored_chain_is_found_at_the_same_position(
    ids, projections, app, settings, jobs
):
    with projections.store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE audit_entries SET hash = ? WHERE municipality = ? AND position = ?",
            ("f" * 64, ORUST, 2),
        )
    serial = verify_municipalities(app, projections.audit)
    shared = verify_municipalities(app, projections.audit, jobs=jobs, opener=ChainOpener(settings))
    assert shared == serial
    assert (serial[ORUST].ok, serial[ORUST].first_bad_position) == (False, 2)


def test_loften_verify_prints_the_same_table_with_one_or_two_workers(
    ids, projections, app, settings
):
    env = {"LOFTEN_DATABASE_URL": settings.database_url}
    runner = CliRunner()

    def table(jobs: str) -> tuple[int, list[str]]:
        run = runner.invoke(cli, ["verify", "--jobs", jobs], env=env)
        return run.exit_code, [line for line in run.stdout.splitlines() if line[:4].isdigit()]

    intact = table("1")
    assert intact[0] == 0 and len(intact[1]) == len(CODES)
    assert table("2") == intact
    StoredEvents(app).delete(StoredEvents(app).position(ids.fyrbodal_promise, 3))
    broken = table("1")
    assert broken[0] == 1 and sum("BROKEN" in line for line in broken[1]) == 3
    assert table("2") == broken
