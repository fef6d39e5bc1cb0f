"""The audit chain: what each municipality's chain holds, its hashes, and verification."""

from __future__ import annotations

import hashlib
import json

import pytest

from projections.audit import GENESIS, audit_page, verify_municipalities, verify_municipality
from projections.cursors import InvalidCursor
from tests.support.scenario import MALMO, ORUST, SECRET_NOTE, STENUNGSUND, TJORN
from tests.support.views import StoredEvents


def client_hash(entry: dict) -> str:
    """The hash exactly as API.md tells a client to recompute it."""
    body = {k: v for k, v in entry.items() if k not in ("hash", "prev_hash")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((entry["prev_hash"] + canonical).encode("utf-8")).hexdigest()


def chain(projections, code):
    return [e.model_dump(mode="json") for e in audit_page(projections.audit, code, limit=500).items]


def position_of(projections, code, aggregate_id, version):
    found = [
        e["position"]
        for e in chain(projections, code)
        if e["aggregate_id"] == str(aggregate_id) and e["version"] == version
    ]
    assert len(found) == 1
    return found[0]


def test_a_client_can_recompute_every_chain_from_what_it_reads(world):
    projections = world.projections
    for code in (MALMO, STENUNGSUND, ORUST, TJORN):
        entries = chain(projections, code)
        assert [e["position"] for e in entries] == list(range(1, len(entries) + 1))
        prev = GENESIS
        for entry in entries:
            assert entry["prev_hash"] == prev
            assert client_hash(entry) == entry["hash"]
            prev = entry["hash"]


def test_chain_entries_hold_the_event_as_the_contract_says(world):
    ids, projections, app = world.ids, world.projections, world.app
    first = chain(projections, MALMO)[0]
    assert set(first) == {
        "position",
        "recorded_at",
        "event_type",
        "aggregate_type",
        "aggregate_id",
        "version",
        "actor",
        "data",
        "hash",
        "prev_hash",
    }
    assert first["event_type"] == "DialogueHeld"
    assert first["aggregate_type"] == "Dialogue"
    assert first["aggregate_id"] == str(ids.citizen_dialogue)
    assert first["version"] == 1
    assert first["actor"] == {"label": "Kommunpolis Malmö", "role": "police"}
    assert first["data"]["held_on"] == "2025-01-20"
    assert first["data"]["kind"] == "citizen_dialogue"
    assert not {"originator_id", "originator_version", "timestamp"} & set(first["data"])
    stored = app.aggregate_events(ids.citizen_dialogue)[0]
    assert first["recorded_at"].endswith("Z")
    assert first["recorded_at"].startswith(stored.timestamp.strftime("%Y-%m-%dT%H:%M:%S"))
    # The audit trail is internal and complete: the note is in it.
    assert SECRET_NOTE in json.dumps(chain(projections, MALMO), ensure_ascii=False)


def test_what_concerns_each_municipality(world):
    ids, projections, app = world.ids, world.projections, world.app

    def aggregates(code):
        return {e["aggregate_id"] for e in chain(projections, code)}

    shared = str(ids.fyrbodal_promise)
    promise_events = len(app.aggregate_events(ids.fyrbodal_promise))
    for code in (STENUNGSUND, ORUST, TJORN):
        in_chain = [e for e in chain(projections, code) if e["aggregate_id"] == shared]
        assert [e["version"] for e in in_chain] == list(range(1, promise_events + 1))
    assert str(ids.fyrbodal_dialogue) in aggregates(STENUNGSUND)
    assert str(ids.fyrbodal_dialogue) not in aggregates(ORUST)
    assert str(ids.orust_issue) in aggregates(ORUST)
    assert aggregates(TJORN) == {shared}
    assert shared not in aggregates(MALMO)
    assert chain(projections, "0180") == []


def test_audit_pages_by_cursor_and_after(world):
    projections = world.projections
    everything = chain(projections, MALMO)
    seen, cursor = [], None
    while True:
        page = audit_page(projections.audit, MALMO, limit=7, cursor=cursor)
        seen.extend(e.position for e in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [e["position"] for e in everything]
    after = audit_page(projections.audit, MALMO, after=5, limit=2).items
    assert [e.position for e in after] == [6, 7]
    other = audit_page(projections.audit, TJORN, limit=1).next_cursor
    with pytest.raises(InvalidCursor):
        audit_page(projections.audit, MALMO, cursor=other)


def test_an_untouched_store_verifies(world):
    projections, app = world.projections, world.app
    results = verify_municipalities(app, projections.audit)
    assert set(results) == {MALMO, STENUNGSUND, ORUST, TJORN}
    for code, result in results.items():
        entries = chain(projections, code)
        assert result.ok and result.first_bad_position is None
        assert result.entries == len(entries)
        assert result.head_hash == entries[-1]["hash"]
    empty = verify_municipality(app, projections.audit, "0180")
    assert (empty.ok, empty.entries, empty.head_hash) == (True, 0, GENESIS)


@pytest.mark.parametrize(
    ("old", "new"),
    [(b"BR\xc3\x85 NTU", b"BR\xc3\x84 NTU"), (b'{"timestamp"', b'["timestamp"')],
    ids=["a letter in a value", "the JSON itself"],
)
def test_one_changed_byte_in_a_stored_event_is_found_at_its_position(
    ids, projections, app, old, new
):
    # The drugs issue's second event: the statistics cited as more evidence.
    stored = StoredEvents(app)
    position = stored.position(ids.drugs_issue, 2)
    expected = position_of(projections, MALMO, ids.drugs_issue, 2)
    state = stored.state(position)
    assert old in state and len(old) == len(new)
    changed = state.replace(old, new, 1)
    assert sum(a != b for a, b in zip(state, changed, strict=True)) == 1
    stored.replace_state(position, changed)

    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, expected)
    assert verify_municipality(app, projections.audit, ORUST).ok


def test_a_deleted_event_is_caught_in_every_chain_it_was_in(ids, projections, app):
    # One signature of the promise Stenungsund, Orust and Tjörn made together.
    stored = StoredEvents(app)
    position = stored.position(ids.fyrbodal_promise, 3)
    expected = {
        code: position_of(projections, code, ids.fyrbodal_promise, 3)
        for code in (STENUNGSUND, ORUST, TJORN)
    }
    stored.delete(position)
    results = verify_municipalities(app, projections.audit)
    assert {code: results[code].first_bad_position for code in expected} == expected
    assert results[MALMO].ok


def test_the_last_event_deleted_is_caught_too(ids, projections, app):
    head = app.recorder.max_notification_id()
    last = chain(projections, MALMO)[-1]
    StoredEvents(app).delete(head)
    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, last["position"])


def test_a_changed_row_in_the_stored_chain_is_caught(ids, projections, app):
    with projections.store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE audit_entries SET data = replace(data, 'Flest röster', 'Få röster') "
            "WHERE municipality = ?",
            (MALMO,),
        )
        cursor.execute(
            "SELECT position FROM audit_entries WHERE municipality = ? AND data LIKE ?",
            (MALMO, "%Få röster%"),
        )
        changed = cursor.fetchone()[0]
    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, changed)


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_a_row_removed_from_the_stored_chain_is_caught(ids, projections, app, which):
    entries = chain(projections, MALMO)
    removed = {"first": 1, "middle": len(entries) // 2, "last": len(entries)}[which]
    with projections.store.transaction(commit=True) as cursor:
        cursor.execute(
            "DELETE FROM audit_entries WHERE municipality = ? AND position = ?", (MALMO, removed)
        )
    result = verify_municipality(app, projections.audit, MALMO)
    assert not result.ok
    assert result.first_bad_position == removed
    assert verify_municipalities(app, projections.audit, [MALMO])[MALMO].first_bad_position


def test_two_rows_of_one_aggregate_swapped_in_the_stored_chain_are_caught(ids, projections, app):
    first = position_of(projections, MALMO, ids.drugs_issue, 1)
    second = position_of(projections, MALMO, ids.drugs_issue, 2)
    with projections.store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE audit_entries SET position = -1 WHERE municipality = ? AND position = ?",
            (MALMO, first),
        )
        cursor.execute(
            "UPDATE audit_entries SET position = ? WHERE municipality = ? AND position = ?",
            (first, MALMO, second),
        )
        cursor.execute(
            "UPDATE audit_entries SET position = ? WHERE municipality = ? AND position = -1",
            (second, MALMO),
        )
    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, first)
