"""The orjson transcoder writes the library's JSON format: old stores read, new stores read back.

A store written before `Loftesboken` used `OrjsonTranscoder` holds events encoded by
the library's `JSONTranscoder`. Both directions are checked on a whole demo year (every
kind of event the demo writes), and byte for byte, so that nothing depends on which
transcoder wrote an event.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

from demo.load import load_demo
from domain.transcodings import all_transcodings
from domain.values import Actor, DialogueEvidence, Role, SourceEvidence, SourceType, Theme
from infra.codec import OrjsonTranscoder
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

TODAY = date(2026, 11, 25)


class LibraryJSONLoftesboken(Loftesboken):
    """The application as it was before: the library's own JSON transcoder."""

    def construct_transcoder(self) -> Transcoder:
        transcoder = JSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder


def registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    """`transcoder` with what `Loftesboken.register_transcodings` gives it."""
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), *all_transcodings()):
        transcoder.register(transcoding)
    return transcoder


def library_transcoder() -> JSONTranscoder:
    return registered(JSONTranscoder())


def orjson_transcoder() -> JSONTranscoder:
    return registered(OrjsonTranscoder())


def store(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'loften.sqlite3'}")


def assert_reads_alike(writer: Loftesboken, reader: Loftesboken) -> Counter[str]:
    """Every event decodes the same in both and encodes back to the very bytes stored."""
    notifications = reader.recorder.select_notifications(start=1, limit=100_000)
    assert notifications
    topics: Counter[str] = Counter()
    for notification in notifications:
        theirs = writer.mapper.to_domain_event(notification)
        ours = reader.mapper.to_domain_event(notification)
        assert type(ours) is type(theirs)
        assert vars(ours) == vars(theirs)
        assert reader.mapper.to_stored_event(ours).state == notification.state
        topics[notification.topic] += 1
    for aggregate_id in {n.originator_id for n in notifications}:
        assert vars(reader.repository.get(aggregate_id)) == vars(
            writer.repository.get(aggregate_id)
        )
    return topics


@pytest.mark.parametrize(
    ("writer_class", "reader_class"),
    [(LibraryJSONLoftesboken, Loftesboken), (Loftesboken, LibraryJSONLoftesboken)],
    ids=["old-store-read-by-orjson", "orjson-store-read-by-library"],
)
def test_a_store_written_by_one_transcoder_reads_identically_with_the_other(
    tmp_path: Path, writer_class: type[Loftesboken], reader_class: type[Loftesboken]
):
    settings = store(tmp_path)
    writer = writer_class(settings, FakeClock(TODAY))
    load_demo(writer)
    reader = reader_class(settings, FakeClock(TODAY))
    try:
        topics = assert_reads_alike(writer, reader)
    finally:
        reader.close()
        writer.close()
    # The demo's log has every kind of aggregate and many kinds of event.
    assert {t.split(":")[1].split(".")[0] for t in topics} == {
        "Dialogue",
        "Issue",
        "Promise",
        "ReminderRecipients",
    }
    assert len(topics) >= 10


class Colour(Enum):
    RED = "red"


class Name(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [1, 2.5, None, True, "å"], "c": {"d": []}},
        {"when": datetime(2025, 2, 10, 9, 30, tzinfo=UTC), "id": uuid4(), "n": Decimal("1.50")},
        {"on": date(2025, 2, 10), "theme": Theme.DRUGS, "actor": Actor("Kommunpolis", Role.POLICE)},
        {"evidence": [DialogueEvidence(uuid4(), uuid4()), SourceEvidence(SourceType.REPORT, "x")]},
        {"nested": [[{"deep": (uuid4(), Theme.TRAFFIC)}]], "tuple": (1, 2)},
        {"_type_": "not ours", "other": 1},
        {"_type_": "only the tag"},
        {"name": Name("str subclass"), "huge": 2**70, "keys": {1: "int key"}},
        [uuid4(), "top-level list"],
        "just a string",
    ],
)
def test_values_encode_to_the_librarys_bytes_and_decode_the_same(value: Any):
    library, ours = library_transcoder(), orjson_transcoder()
    encoded = library.encode(value)
    assert ours.encode(value) == encoded
    assert ours.decode(encoded) == library.decode(encoded)


def test_an_unregistered_type_is_refused_as_the_library_refuses_it():
    with pytest.raises(TranscodingNotRegisteredError):
        orjson_transcoder().encode({"path": Path("/tmp")})
    with pytest.raises(TranscodingNotRegisteredError):
        orjson_transcoder().encode(Colour.RED)


def test_an_unknown_tag_is_refused_on_decoding_as_the_library_refuses_it():
    data = b'{"x":{"_type_":"no such transcoding","_data_":1}}'
    with pytest.raises(TranscodingNotRegisteredError):
        library_transcoder().decode(data)
    with pytest.raises(TranscodingNotRegisteredError):
        orjson_transcoder().decode(data)


def test_an_enum_value_no_longer_known_fails_as_calling_the_enum_does():
    data = b'{"_type_":"enum:Theme","_data_":"no such theme"}'
    with pytest.raises(ValueError, match="no such theme"):
        orjson_transcoder().decode(data)


def test_a_uuid_hex_decodes_to_a_uuid():
    value = uuid4()
    assert orjson_transcoder().decode(library_transcoder().encode(value)) == value
    assert isinstance(orjson_transcoder().decode(library_transcoder().encode([value]))[0], UUID)
