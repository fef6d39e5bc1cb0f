"""Verification shared among processes gives what one process gives, tampering too.

Runs on SQLite and PostgreSQL (the `settings` fixture): each share reads only its
aggregates' events with the recorders' narrowed page reads, the workers open the store
and the view anew; they are spawned, or forked where the test says so.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from entrypoints.cli import cli
from infra.bootstrap import ChainOpener
from projections.stored_reader import StoredReader, log_rows, log_topics
from projections.verification import verify_municipalities
from projections.verification_jobs import assign, share_rows, verification_workers
from tests.support.scenario import MALMO, ORUST, STENUNGSUND, TJORN
from tests.support.views import StoredEvents

CODES = (MALMO, STENUNGSUND, ORUST, TJORN)


def both_ways(app, projections, settings, codes=None, fork=False):
    """The results in this process and shared with one worker (spawned, or forked)."""
    serial = verify_municipalities(app, projections.audit, codes)
    with verification_workers(2, fork=fork) as workers:
        parallel = verify_municipalities(
            app, projections.audit, codes, opener=ChainOpener(settings), workers=workers
        )
    return serial, parallel


def test_the_scenario_is_shared_between_two_processes(ids, projections):
    # Otherwise the tests below would verify in one process only.
    shares = assign(projections.audit, None, 2)
    assert set(shares) == set(CODES)
    assert set(shares.values()) == {0, 1}


def test_narrowed_reads_of_the_log_give_its_rows_of_those_topics_and_aggregates(ids, app):
    upto = app.recorder.max_notification_id()
    every = list(log_rows(app, upto))
    assert len(every) == upto
    topics = log_topics(app, upto)
    assert sorted(topics) == sorted({row[3] for row in every})
    some_topics = topics[::2]
    assert list(log_rows(app, upto, page=3, topics=some_topics)) == [
        row for row in every if row[3] in some_topics
    ]
    some = {str(ids.drugs_issue), str(ids.fyrbodal_promise), "not-an-id"}
    assert list(log_rows(app, upto, page=2, after=5, aggregates=some)) == [
        row for row in every if row[1] in some and row[0] > 5
    ]


def test_a_share_reads_only_the_events_of_the_aggregates_of_its_chains(ids, app, projections):
    upto = app.recorder.max_notification_id()
    subjects = projections.audit.subjects()
    every = list(log_rows(app, upto))
    rows = list(
        share_rows(app, projections.audit, StoredReader(app.mapper), upto, {ORUST}.__contains__)
    )
    assert 0 < len(rows) < len(every)
    assert rows == [row for row in every if ORUST in subjects[row[1]]]


@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
def test_two_processes_give_what_one_gives(ids, projections, app, settings, fork):
    serial, parallel = both_ways(app, projections, settings, fork=fork)
    assert set(serial) == set(CODES)
    assert parallel == serial
    assert all(result.ok for result in parallel.values())
    for code, result in parallel.items():
        assert (result.entries, result.head_hash) == projections.audit.head(code)
    chosen = both_ways(app, projections, settings, [MALMO, ORUST])
    assert set(chosen[1]) == {MALMO, ORUST}
    assert chosen[0] == chosen[1]


@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
def test_a_changed_stored_byte_is_found_at_the_same_position(ids, projections, app, settings, fork):
    stored = StoredEvents(app)
    position = stored.position(ids.fyrbodal_promise, 3)
    state = stored.state(position)
    stored.replace_state(position, state.replace(b'{"timestamp"', b'["timestamp"', 1))
    serial, parallel = both_ways(app, projections, settings, fork=fork)
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


def test_a_kept_value_changed_behind_its_digest_is_found_at_the_same_position(
    ids, projections, app, settings
):
    # The citizen dialogue's second event, an observation: its summary is kept apart from
    # the event, its digest recorded in the event's seal. A check that trusted the digest
    # would find nothing.
    stored = StoredEvents(app)
    key = (ids.citizen_dialogue.hex if settings.is_sqlite else ids.citizen_dialogue, 2)
    select = "SELECT payload FROM {} WHERE originator_id = {} AND originator_version = {}"
    update = "UPDATE {} SET payload = {} WHERE originator_id = {} AND originator_version = {}"
    (payload,) = stored._run(
        select.format("personal_values", "?", "?"),
        select.format("loften_personal_values", "%s", "%s"),
        key,
    )[0]
    kept = json.loads(bytes(payload))
    kept["summary"][1] = kept["summary"][1] + "."
    stored._run(
        update.format("personal_values", "?", "?", "?"),
        update.format("loften_personal_values", "%s", "%s", "%s"),
        (json.dumps(kept).encode(), *key),
    )
    serial, parallel = both_ways(app, projections, settings)
    assert parallel == serial
    assert [code for code, result in serial.items() if not result.ok] == [MALMO]
    assert serial[MALMO].first_bad_position == 2
    assert serial[MALMO].head_hash == projections.audit.head(MALMO)[1]  # the hashes hold


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
