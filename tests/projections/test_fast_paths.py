"""The fast paths of the views give exactly what the plain ones give.

`compact_json` against `json.dumps`, an audit entry's head and digests against the
contract's formulas, and `BatchWriter` against running each statement alone.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import struct
import uuid
from datetime import UTC, date, datetime
from typing import Any

from domain.values import Actor, Role
from projections.batch_writer import BatchWriter
from projections.chain import SealedEvent, derived_salts, draw_seal, seal_of
from projections.eventdata import compact_json


def reference(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def random_text(rng: random.Random) -> str:
    pools = [(0, 0x7F), (0x80, 0xD7FF), (0xE000, 0x10FFFF), (0x2028, 0x2029)]
    chars = []
    for _ in range(rng.randint(0, 10)):
        low, high = rng.choice(pools)
        chars.append(chr(rng.randint(low, high)))
    return "".join(chars) + rng.choice(["", ",2.5", ":1e-7", "åäö", '"\\\n\t\x00\x7f'])


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randint(0, 7 if depth < 3 else 4)
    if kind == 0:
        return random_text(rng)
    if kind == 1:
        return rng.choice([0, -1, 2**63 - 1, -(2**63), 2**64, rng.randint(-(10**9), 10**9)])
    if kind == 2:
        bits = struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
        value = rng.choice([bits, rng.uniform(-1e-3, 1e-3), 1e16, 1e-7, 0.1, -0.0])
        return value if value == value and abs(value) != float("inf") else 1.5
    if kind == 3:
        return rng.choice([None, True, False, str(uuid.UUID(int=rng.getrandbits(128)))])
    if kind in (4, 5):
        return {random_text(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


def test_compact_json_writes_what_json_dumps_writes() -> None:
    rng = random.Random(8)
    for _ in range(3000):
        value = {"v": random_value(rng)}
        assert compact_json(value) == reference(value)


class FakeEvent:
    """Stands in for a domain event: what the chain reads of one."""

    def __init__(self, **data: Any) -> None:
        self.originator_id = uuid.UUID(int=12345)
        self.originator_version = 7
        self.timestamp = datetime(2025, 2, 10, 9, 30, 1, 123456, tzinfo=UTC)
        self.actor = Actor('Kommunpolis "Malmö"\n', Role.POLICE)
        self.__dict__.update(data)


FakeEvent.__qualname__ = "Dialogue.ObservationRecorded"
FakeEvent.__name__ = "ObservationRecorded"


def test_an_entry_s_head_and_digests_are_the_contract_s() -> None:
    event = FakeEvent(
        held_on=date(2025, 1, 20),
        summary='Trygghet "på" torget\u2028\t– 2.5 timmar',
        note=None,
        count=3,
        ids=[uuid.UUID(int=1), uuid.UUID(int=2)],
        nothing=None,
    )
    event._seal_ = draw_seal(event)  # as the mapper leaves it: salts merged back
    sealed = SealedEvent(event)
    values = {
        "held_on": "2025-01-20",
        "summary": event.summary,
        "note": None,
        "count": 3,
        "ids": [str(uuid.UUID(int=1)), str(uuid.UUID(int=2))],
        "nothing": None,
        "actor_role": "police",
        "actor_label": 'Kommunpolis "Malmö"\n',
    }
    assert set(sealed.fields) == set(values)
    assert set(seal_of(event).erasable) == {"summary"}  # the one erasable field holding something
    for name, field in sealed.fields.items():
        assert field.value == values[name]
        text = f"{field.salt}\n{name}\n{reference(values[name])}"
        assert field.digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    for position in (1, 10, 123456):
        head = {
            "position": position,
            "recorded_at": "2025-02-10T09:30:01.123456Z",
            "event_type": "ObservationRecorded",
            "aggregate_type": "Dialogue",
            "aggregate_id": str(event.originator_id),
            "version": 7,
            "digests": {name: field.digest for name, field in sealed.fields.items()},
        }
        assert sealed.head_json(position) == reference(head)


def test_derived_salts_are_32_hex_characters_each_and_all_different() -> None:
    salts = derived_salts("ab" * 16, [f"field{i}" for i in range(50)])
    assert len(set(salts)) == 50
    assert all(len(s) == 32 and set(s) <= set("0123456789abcdef") for s in salts)
    assert derived_salts("cd" * 16, ["field0"]) != salts[:1]


def test_batch_writer_gives_what_one_statement_at_a_time_gives() -> None:
    def run(batched: bool) -> list[tuple[Any, ...]]:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE d (id TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, v INTEGER)")
        db.execute("CREATE TABLE o (id INTEGER PRIMARY KEY, d TEXT)")
        cursor = db.cursor()
        writer: Any = BatchWriter(cursor) if batched else cursor
        rng = random.Random(3)
        seen: list[Any] = []
        for step in range(400):
            dialogue = f"d{rng.randint(0, 5)}"
            action = rng.randint(0, 4)
            if action == 0:
                writer.execute("INSERT OR IGNORE INTO d (id, v) VALUES (?, ?)", (dialogue, step))
            elif action in (1, 2):
                writer.execute("INSERT INTO o VALUES (?, ?)", (step, dialogue))
                writer.execute("UPDATE d SET n = n + 1, v = ? WHERE id = ?", (step, dialogue))
            elif action == 3:
                writer.execute("DELETE FROM o WHERE d = ?", (dialogue,))
            else:
                writer.execute("SELECT n, v FROM d WHERE id = ?", (dialogue,))
                seen.append(writer.fetchone())
        if batched:
            writer.flush()
        rows = db.execute("SELECT * FROM d ORDER BY id").fetchall()
        rows += db.execute("SELECT * FROM o ORDER BY id").fetchall()
        return [*rows, *seen]

    assert run(batched=True) == run(batched=False)
