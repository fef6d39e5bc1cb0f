"""The audit chain v2: what each chain holds, who sees which values, its hashes, verification."""

from __future__ import annotations

import hashlib
import json

import pytest

from projections.audit import GENESIS, audit_page, created_for
from projections.chain import SealedEvent
from projections.cursors import InvalidCursor
from projections.stored_reader import row_of
from projections.verification import StoredReader, verify_municipalities, verify_municipality
from tests.support.scenario import MALMO, ORUST, SECRET_NOTE, STENUNGSUND, TJORN
from tests.support.views import StoredEvents

HEAD_KEYS = ("position", "recorded_at", "event_type", "aggregate_type", "aggregate_id", "version")


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def client_hash(entry: dict) -> str:
    """The hash exactly as API.md tells a client to recompute it: from the digests alone."""
    head = {key: entry[key] for key in HEAD_KEYS}
    head["digests"] = {name: field["digest"] for name, field in entry["fields"].items()}
    return sha256_hex(entry["prev_hash"] + canonical(head))


def client_checks_values(entry: dict) -> None:
    """Every value shown matches its digest, as API.md tells a client to check it."""
    for name, field in entry["fields"].items():
        if "value" in field:
            text = f"{field['salt']}\n{name}\n{canonical(field['value'])}"
            assert sha256_hex(text) == field["digest"], (entry["position"], name)


def chain(projections, app, code, *, sees_all=True):
    page = audit_page(projections.audit, app, code, sees_all=sees_all, limit=500)
    return [e.model_dump(mode="json") for e in page.items]


def position_of(projections, app, code, aggregate_id, version):
    found = [
        e["position"]
        for e in chain(projections, app, code)
        if e["aggregate_id"] == str(aggregate_id) and e["version"] == version
    ]
    assert len(found) == 1
    return found[0]


def values(entry: dict) -> dict:
    return {name: f["value"] for name, f in entry["fields"].items() if "value" in f}


@pytest.mark.parametrize("sees_all", [False, True], ids=["public", "internal"])
def test_a_client_can_recompute_every_chain_from_what_it_reads(world, sees_all):
    for code in (MALMO, STENUNGSUND, ORUST, TJORN):
        entries = chain(world.projections, world.app, code, sees_all=sees_all)
        assert [e["position"] for e in entries] == list(range(1, len(entries) + 1))
        prev = GENESIS
        for entry in entries:
            assert entry["prev_hash"] == prev
            assert client_hash(entry) == entry["hash"]
            client_checks_values(entry)
            prev = entry["hash"]
        assert verify_municipality(world.app, world.projections.audit, code).head_hash == prev


def test_chain_entries_hold_the_event_as_the_contract_says(world):
    ids, projections, app = world.ids, world.projections, world.app
    first = chain(projections, app, MALMO)[0]
    assert set(first) == {*HEAD_KEYS, "fields", "hash", "prev_hash"}
    assert first["event_type"] == "DialogueHeld"
    assert first["aggregate_type"] == "Dialogue"
    assert first["aggregate_id"] == str(ids.citizen_dialogue)
    assert first["version"] == 1
    shown = values(first)
    assert shown["actor_role"] == "police"
    assert shown["actor_label"] == "Kommunpolis Malmö"
    assert shown["held_on"] == "2025-01-20"
    assert shown["kind"] == "citizen_dialogue"
    assert not {"originator_id", "originator_version", "timestamp", "_seal_"} & set(first["fields"])
    for field in first["fields"].values():
        assert len(field["digest"]) == 64 and len(field["salt"]) == 32
        assert set(field["salt"]) <= set("0123456789abcdef")
    salts = [f["salt"] for e in chain(projections, app, MALMO) for f in e["fields"].values()]
    assert len(set(salts)) == len(salts)
    stored = app.aggregate_events(ids.citizen_dialogue)[0]
    assert first["recorded_at"].endswith("Z")
    assert first["recorded_at"].startswith(stored.timestamp.strftime("%Y-%m-%dT%H:%M:%S"))
    # Internal readers see every value, the note included.
    assert SECRET_NOTE in json.dumps(chain(projections, app, MALMO), ensure_ascii=False)


def test_the_public_sees_only_what_the_public_reads_show(world):
    ids, projections, app = world.ids, world.projections, world.app
    public = chain(projections, app, MALMO, sees_all=False)
    internal = chain(projections, app, MALMO)
    assert [e["hash"] for e in public] == [e["hash"] for e in internal]
    assert SECRET_NOTE not in json.dumps(public, ensure_ascii=False)

    def of(aggregate_id, entries=public):
        return [e for e in entries if e["aggregate_id"] == str(aggregate_id)]

    for entry in public:
        assert "actor_label" not in values(entry)
        assert "actor_role" in values(entry)
        assert "note" not in values(entry)
    observed = [e for e in of(ids.citizen_dialogue) if e["event_type"] == "ObservationRecorded"]
    assert observed and all("summary" in values(e) for e in observed)
    # An issue is public once an issued promise addresses it; a rejected one never.
    assert all("title" in values(e) for e in of(ids.drugs_issue) if e["version"] == 1)
    assert all(set(values(e)) == {"actor_role"} for e in of(ids.rejected_issue))
    # A promise never issued shows no value; an issued one shows how it was drafted.
    for never in (ids.draft_promise, ids.withdrawn_promise):
        assert of(never) and all(set(values(e)) == {"actor_role"} for e in of(never))
    drafted = of(ids.malmo_promise)[0]
    assert drafted["event_type"] == "PromiseDrafted" and "text" in values(drafted)
    for hidden, shown in zip(public, internal, strict=True):
        for name, field in hidden["fields"].items():
            assert field["digest"] == shown["fields"][name]["digest"]


def test_what_concerns_each_municipality(world):
    ids, projections, app = world.ids, world.projections, world.app

    def aggregates(code):
        return {e["aggregate_id"] for e in chain(projections, app, code)}

    shared = str(ids.fyrbodal_promise)
    promise_events = len(app.aggregate_events(ids.fyrbodal_promise))
    digests = []
    for code in (STENUNGSUND, ORUST, TJORN):
        in_chain = [e for e in chain(projections, app, code) if e["aggregate_id"] == shared]
        assert [e["version"] for e in in_chain] == list(range(1, promise_events + 1))
        digests.append([e["fields"] for e in in_chain])
    assert digests[0] == digests[1] == digests[2]
    assert str(ids.fyrbodal_dialogue) in aggregates(STENUNGSUND)
    assert str(ids.fyrbodal_dialogue) not in aggregates(ORUST)
    assert str(ids.orust_issue) in aggregates(ORUST)
    assert aggregates(TJORN) == {shared}
    assert shared not in aggregates(MALMO)
    assert chain(projections, app, "0180") == []


def test_audit_pages_by_cursor_and_after(world):
    projections, app = world.projections, world.app
    everything = chain(projections, app, MALMO)
    seen, cursor = [], None
    while True:
        page = audit_page(projections.audit, app, MALMO, limit=7, cursor=cursor)
        seen.extend(e.position for e in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [e["position"] for e in everything]
    after = audit_page(projections.audit, app, MALMO, after=5, limit=2).items
    assert [e.position for e in after] == [6, 7]
    other = audit_page(projections.audit, app, TJORN, limit=1).next_cursor
    with pytest.raises(InvalidCursor):
        audit_page(projections.audit, app, MALMO, cursor=other)


def test_reading_the_stored_json_gives_what_decoding_gives(world):
    """Verification reads each entry straight from the stored JSON: the same as decoding."""
    reader, app = StoredReader(world.app.mapper), world.app
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    kinds = set()
    for notification in notifications:
        direct = reader._read_direct(row_of(notification))
        assert direct is not None, notification.topic
        event = app.mapper.to_domain_event(notification)
        decoded = SealedEvent(event)
        assert direct[0].header == decoded.header
        assert direct[0].fields == decoded.fields
        assert direct[0].head_json(3) == decoded.head_json(3)
        assert direct[1] == created_for(event)
        kinds.add(type(event).__name__)
    assert len(kinds) >= 15  # every kind of event the scenario records


def test_an_untouched_store_verifies(world):
    projections, app = world.projections, world.app
    results = verify_municipalities(app, projections.audit)
    assert set(results) == {MALMO, STENUNGSUND, ORUST, TJORN}
    for code, result in results.items():
        entries = chain(projections, app, code)
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
    expected = position_of(projections, app, MALMO, ids.drugs_issue, 2)
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
        code: position_of(projections, app, code, ids.fyrbodal_promise, 3)
        for code in (STENUNGSUND, ORUST, TJORN)
    }
    stored.delete(position)
    results = verify_municipalities(app, projections.audit)
    assert {code: results[code].first_bad_position for code in expected} == expected
    assert results[MALMO].ok


def test_the_last_event_deleted_is_caught_too(ids, projections, app):
    head = app.recorder.max_notification_id()
    last = chain(projections, app, MALMO)[-1]
    StoredEvents(app).delete(head)
    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, last["position"])


def test_a_changed_row_in_the_stored_chain_is_caught(ids, projections, app):
    changed = position_of(projections, app, MALMO, ids.drugs_issue, 2)
    with projections.store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE audit_entries SET hash = ? WHERE municipality = ? AND position = ?",
            ("f" * 64, MALMO, changed),
        )
    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, changed)


def test_a_value_changed_behind_its_recorded_digest_is_caught(ids, projections, app):
    # An observation's summary is erasable: kept apart from its event, its digest recorded
    # with the event, so a changed value leaves the chain's hashes alone but no longer
    # matches its digest.
    stored = StoredEvents(app)
    observation = chain(projections, app, MALMO)[1]
    assert observation["event_type"] == "ObservationRecorded"
    summary = observation["fields"]["summary"]["value"]
    key = (ids.citizen_dialogue, observation["version"])
    (payload,) = stored._run(
        "SELECT payload FROM personal_values WHERE originator_id = ? AND originator_version = ?",
        "SELECT payload FROM loften_personal_values "
        "WHERE originator_id = %s AND originator_version = %s",
        (key[0].hex if app.settings.is_sqlite else key[0], key[1]),
    )[0]
    kept = json.loads(bytes(payload))
    kept["summary"][1] = summary.upper()
    stored._run(
        "UPDATE personal_values SET payload = ? WHERE originator_id = ? AND originator_version = ?",
        "UPDATE loften_personal_values SET payload = %s "
        "WHERE originator_id = %s AND originator_version = %s",
        (json.dumps(kept).encode(), key[0].hex if app.settings.is_sqlite else key[0], key[1]),
    )
    result = verify_municipality(app, projections.audit, MALMO)
    assert (result.ok, result.first_bad_position) == (False, observation["position"])
    assert result.head_hash == chain(projections, app, MALMO)[-1]["hash"]


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_a_row_removed_from_the_stored_chain_is_caught(ids, projections, app, which):
    entries = chain(projections, app, MALMO)
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
    first = position_of(projections, app, MALMO, ids.drugs_issue, 1)
    second = position_of(projections, app, MALMO, ids.drugs_issue, 2)
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
