"""The event store's codec: the library's JSON format, written and read by orjson.

`OrjsonTranscoder` writes and reads the library's very format (each value of a
registered type as `{"_type_": name, "_data_": ...}`) with orjson instead of the
standard `json` module: encoding and decoding are most of the cost of storing an
event and of reading the log back, and orjson does both in C. A store written by
either transcoder is read by the other. The transcodings themselves (which value
type is stored under which name) belong to the domain: `domain.transcodings`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    Notification,
    StoredEvent,
    Transcoding,
)
from eventsourcing.utils import get_topic

from domain.transcodings import DateAsISO, EnumAsValue
from infra.request_context import REQUEST_KEY, current_request_id
from projections.chain import SEAL_KEY, Seal, draw_seal, kept_inline, merge_personal

_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list})


class OrjsonTranscoder(JSONTranscoder):
    """The library's JSON transcoder, byte for byte, with orjson doing the JSON.

    orjson encodes UUIDs, enums, datetimes and dataclasses natively, in formats of its
    own, so it cannot be given our objects as they are: `encode` first turns every value
    of a registered type into the library's `{"_type_": ..., "_data_": ...}` dict
    (`_plain`), then orjson writes plain JSON. `decode` lets orjson parse and then turns
    those dicts back into values, innermost first, as the library's `object_hook` does.
    What orjson refuses (integers beyond 64 bits, dict keys that are not strings) goes
    through the library's encoder unchanged.
    """

    def __init__(self) -> None:
        super().__init__()
        self._encoders: dict[type, Callable[[Any], dict[str, Any]]] = {}
        self._decoders: dict[str, Callable[[Any], Any]] = {}

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        name, encode = transcoding.name, transcoding.encode
        plain = self._plain

        def wrap(obj: Any) -> dict[str, Any]:
            data = encode(obj)
            return {"_type_": name, "_data_": data if type(data) in _SCALARS else plain(data)}

        self._encoders[transcoding.type] = wrap
        self._decoders[name] = _direct_decoder(transcoding)

    def encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(self._plain(obj))
        except orjson.JSONEncodeError:
            return super().encode(obj)

    def decode(self, data: bytes) -> Any:
        parsed = orjson.loads(data)
        kind = type(parsed)
        if kind is dict:
            return self._revive_dict(parsed)
        if kind is list:
            return self._revive_list(parsed)
        return parsed

    def _plain(self, obj: Any) -> Any:
        """`obj` with every value of a registered type replaced by its tagged dict."""
        kind = type(obj)
        if kind in _SCALARS:
            return obj
        if kind is dict:
            plain = self._plain
            return {k: v if type(v) in _SCALARS else plain(v) for k, v in obj.items()}
        if kind is list or kind is tuple:
            plain = self._plain
            return [v if type(v) in _SCALARS else plain(v) for v in obj]
        try:
            return self._encoders[kind](obj)
        except KeyError:
            pass
        # What the json module would write without a transcoding: subclasses of the
        # builtin types. Anything else needs a transcoding, as with the library.
        if isinstance(obj, dict):
            return self._plain(dict(obj))
        if isinstance(obj, list | tuple):
            return self._plain(list(obj))
        if isinstance(obj, str | int | float):
            return obj
        return self._encode_obj(obj)  # raises TranscodingNotRegisteredError

    # Decoding walks the parsed JSON once, replacing values in place. A tagged dict is
    # decoded where it is found rather than in a call of its own: an event holds
    # several (timestamp, ids, enums, the actor), and calls are most of the cost.

    def _revive_dict(self, obj: dict[str, Any]) -> Any:
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return self._revive_tagged(obj)
        for key, value in obj.items():
            kind = type(value)
            if kind is dict:
                if len(value) == 2 and "_type_" in value and "_data_" in value:
                    data = value["_data_"]
                    kind = type(data)
                    if kind is dict:
                        data = self._revive_dict(data)
                    elif kind is list:
                        data = self._revive_list(data)
                    try:
                        obj[key] = self._decoders[value["_type_"]](data)
                    except (KeyError, TypeError):
                        obj[key] = self._revive_tagged({"_type_": value["_type_"], "_data_": data})
                else:
                    obj[key] = self._revive_dict(value)
            elif kind is list:
                obj[key] = self._revive_list(value)
        return obj

    def _revive_list(self, obj: list[Any]) -> list[Any]:
        for index, value in enumerate(obj):
            kind = type(value)
            if kind is dict:
                obj[index] = self._revive_dict(value)
            elif kind is list:
                obj[index] = self._revive_list(value)
        return obj

    def _revive_tagged(self, obj: dict[str, Any]) -> Any:
        """One tagged dict, its data decoded already or not; errors as the library's."""
        data = obj["_data_"]
        if type(data) is dict:
            data = self._revive_dict(data)
        elif type(data) is list:
            data = self._revive_list(data)
        try:
            transcoding = self.names[obj["_type_"]]
        except (KeyError, TypeError):
            return self._decode_obj(obj)  # raises the library's error, or keeps obj
        return transcoding.decode(data)


def _direct_decoder(transcoding: Transcoding) -> Callable[[Any], Any]:
    """The cheapest callable that decodes as `transcoding.decode` does, for valid data.

    For invalid data it may raise KeyError or TypeError instead of the transcoding's
    own error; the caller then asks `transcoding.decode`, which raises that.
    """
    if isinstance(transcoding, EnumAsValue):
        return transcoding._members.__getitem__
    if type(transcoding) is DatetimeAsISO:
        return datetime.fromisoformat
    if type(transcoding) is DateAsISO:
        return date.fromisoformat
    return transcoding.decode


@dataclass(frozen=True)
class PersonalStoredEvent(StoredEvent):
    """A stored event with its erasable values and their salts, kept apart from its state.

    `personal` is `{name: [salt, value]}` as JSON, written to a table of its own in the
    events' transaction (`infra.recorders`), so that an erasure can delete it for good
    while the event itself, and its digests, stay as recorded.
    """

    personal: bytes | None = None


@dataclass(frozen=True)
class PersonalNotification(Notification):
    """A notification with its event's erasable values (`PersonalStoredEvent`)."""

    personal: bytes | None = None


class SealingMapper(Mapper[UUID]):
    """The library's mapper, recording with each new event the seal the audit chain needs.

    The seal (`projections.chain.Seal`: a random seed, and a random salt and the digest
    of each erasable value) is drawn once, when the event is first stored, and kept in
    the event's stored state under `_seal_`; the erasable values and their salts are
    taken out of the state and kept apart (the "forgettable payload": `personal` of a
    `PersonalStoredEvent`), so an erasure can delete them for good. Decoding puts them
    back (None once erased) and leaves the seal on the event as that attribute, which
    no aggregate reads. Recorded for an HTTP request, it also keeps that request's id
    under `_request_` (`infra.request_context`). An event that already carries a seal
    (copied from another store) keeps it. Chosen for every application by
    `MAPPER_TOPIC` (`workflow.settings`).
    """

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        raw = event_state.get(SEAL_KEY)
        personal: bytes | None = None
        if raw is None or isinstance(raw, Seal):
            seal = raw if isinstance(raw, Seal) else draw_seal(domain_event)
            kept = seal.personal(event_state)
            for name in seal.erasable:
                event_state.pop(name, None)
            event_state[SEAL_KEY] = seal.stored()
            personal = orjson.dumps(kept) if kept else None
        if REQUEST_KEY not in event_state:
            request_id = current_request_id.get()
            if request_id is not None:
                event_state[REQUEST_KEY] = request_id
        stored_state = self.transcoder.encode(event_state)
        if self.compressor:
            stored_state = self.compressor.compress(stored_state)
        if self.cipher:
            stored_state = self.cipher.encrypt(stored_state)
        return PersonalStoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=stored_state,
            personal=personal,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event = super().to_domain_event(stored_event)
        state = event.__dict__
        raw = state.get(SEAL_KEY)
        if type(raw) is str and " " in raw and not kept_inline(raw):
            payload = getattr(stored_event, "personal", None)
            state[SEAL_KEY] = merge_personal(state, raw, orjson.loads(payload) if payload else None)
        return event
