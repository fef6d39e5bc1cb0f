"""The audit chain's specification (API.md, "Audit", chain v2): digests, salts, heads, hashes.

Each field of an event (every top-level key of its data, plus `actor_role` and
`actor_label`) is committed by `digest = sha256_hex(salt + "\\n" + name + "\\n" +
json(value))`; an entry's `hash = sha256_hex(prev_hash + json(head))`, where the head
holds the entry's place in the chain and every field's digest, never a value. So the
chain can be recomputed from digests alone, shown to anyone, and outlives an erased
value: the digest stays when the value and its salt go.

Where the salts and digests live (`Seal`, recorded in the event's stored state under
`_seal_` when the event is recorded, `infra.codec.SealingMapper`):

- a field that may be erased (`domain.personal_data`) and holds something gets a salt
  of its own, drawn at random, and its digest is recorded, so that the chain and its
  verification reproduce it once the value and the salt are gone;
- every other field's salt is drawn from the event's own random `seed` (SHAKE-128
  over the seed and the field names): 32 random hex characters per field, as the
  contract says, without storing each, and its digest is a function of that salt and
  the value, both kept in the event. The seed is never shown; a salt shown with a
  public value tells nothing of another field's salt.

This module is the one place that computes any of it; the view, the verification,
the public listing and the command-line verifier (`docs/verify.py` recomputes the same
from the contract with the standard library alone) all agree with it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from domain.personal_data import erasable_fields, holds_something
from projections.eventdata import (
    JSON,
    aggregate_type,
    compact_json,
    event_data,
    event_type,
    recorded_at,
)

GENESIS = "0" * 64
#: The key of the stored state (and the attribute of a decoded event) holding its seal.
SEAL_KEY = "_seal_"
SALT_BYTES = 16


class UnsealedEvent(Exception):
    """An event recorded before chain v2 (no salts or digests): run `loften upgrade`."""


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def field_digest(salt: str, name: str, value_json: str) -> str:
    """A field's digest from its salt, its name and its value's JSON text."""
    return sha256_hex(f"{salt}\n{name}\n{value_json}")


def derived_salts(seed: str, names: list[str]) -> list[str]:
    """The salts of `names` (in that order) drawn from the event's seed: 32 hex each."""
    if not names:
        return []
    material = seed + "\n" + "\n".join(names)
    stream = hashlib.shake_128(material.encode("utf-8")).hexdigest(SALT_BYTES * len(names))
    return [stream[i : i + 32] for i in range(0, 32 * len(names), 32)]


def event_fields(event: object) -> dict[str, JSON]:
    """Every field the chain commits to: the event's data, `actor_role` and `actor_label`."""
    fields = event_data(event)
    actor = getattr(event, "actor", None)
    fields["actor_role"] = None if actor is None else actor.role.value
    fields["actor_label"] = None if actor is None else actor.label
    return fields


@dataclass(slots=True)
class Seal:
    """What an event records to commit to its fields: a seed and its erasable fields' parts.

    `erasable` maps each erasable field that held something to `(salt, digest)`; the
    salt is None once the value was erased (the digest stays). In the event's stored
    state it is one string, `seed name:digest ...` (a string is the cheapest value for
    the codec to read back, and every pass reads every event): the erasable values and
    their salts are kept apart, where they can be deleted for good (`personal()`,
    `infra.recorders`). Events sealed before that kept them inline, `name=salt:digest`
    beside the value in the state; `loften upgrade` moves them apart.
    """

    seed: str
    erasable: Mapping[str, tuple[str | None, str]]

    def stored(self) -> str:
        """The string kept in the event's state: no erasable value's salt."""
        return " ".join([self.seed, *(f"{n}:{d}" for n, (_, d) in self.erasable.items())])

    def personal(self, values: Mapping[str, Any]) -> dict[str, list[Any]]:
        """What is kept apart, where it can be erased: `{name: [salt, value]}`."""
        return {
            name: [salt, values.get(name)]
            for name, (salt, _) in self.erasable.items()
            if salt is not None
        }

    @classmethod
    def from_stored(cls, raw: str) -> Seal:
        seed, erasable = _parse(raw)
        return cls(seed, erasable)


def _parse(raw: str) -> tuple[str, dict[str, tuple[str | None, str]]]:
    seed, *rest = raw.split(" ")
    erasable: dict[str, tuple[str | None, str]] = {}
    for part in rest:
        if "=" in part:  # sealed before erasable values were kept apart: the salt inline
            name, _, kept = part.partition("=")
            salt, _, digest = kept.partition(":")
            erasable[name] = (salt or None, digest)
        else:  # the salt is kept apart with the value (None here: not merged, or erased)
            name, _, digest = part.partition(":")
            erasable[name] = (None, digest)
    return seed, erasable


def kept_inline(raw: str) -> bool:
    """Whether a stored seal string keeps its erasable salts (and values) inline."""
    return "=" in raw


def merge_personal(state: dict[str, Any], raw: str, personal: Mapping[str, Any] | None) -> Seal:
    """Put the values kept apart back into an event's state; the seal with their salts.

    A field whose value was erased (no longer kept) reads as None, its digest stays.
    """
    seed, erasable = _parse(raw)
    merged: dict[str, tuple[str | None, str]] = {}
    for name, (_, digest) in erasable.items():
        kept = None if personal is None else personal.get(name)
        if kept is None:
            state[name] = None
            merged[name] = (None, digest)
        else:
            state[name] = kept[1]
            merged[name] = (kept[0], digest)
    return Seal(seed, merged)


def draw_seal(event: object, randomness: Callable[[int], bytes] = os.urandom) -> Seal:
    """A new event's seal: a random seed, and a random salt and digest per erasable value."""
    fields = event_fields(event)
    names = sorted(
        name for name in erasable_fields(event_type(event)) if holds_something(fields.get(name))
    )
    drawn = randomness(SALT_BYTES * (1 + len(names))).hex()
    width = 2 * SALT_BYTES
    erasable: dict[str, tuple[str | None, str]] = {}
    for index, name in enumerate(names, start=1):
        salt = drawn[index * width : (index + 1) * width]
        erasable[name] = (salt, field_digest(salt, name, compact_json(fields[name])))
    return Seal(drawn[:width], erasable)


def _raw_seal(event: object) -> tuple[str, Mapping[str, Any]]:
    """The seed and erasable parts a decoded event carries; `UnsealedEvent` if none."""
    raw = getattr(event, SEAL_KEY, None)
    if raw is None:
        raise UnsealedEvent(
            f"{type(event).__name__} {getattr(event, 'originator_id', '?')} has no salts or "
            "digests: run `loften upgrade` on this store."
        )
    if isinstance(raw, Seal):
        return raw.seed, raw.erasable
    if " " not in raw:
        return raw, {}
    return _parse(raw)


def seal_of(event: object) -> Seal:
    """The seal a decoded event carries; `UnsealedEvent` if it was recorded before v2."""
    seed, erasable = _raw_seal(event)
    return Seal(seed, dict(erasable))


@dataclass(frozen=True)
class Field:
    """One committed field: its digest, and its value and salt unless it was erased."""

    digest: str
    value: JSON = None
    salt: str | None = None

    @property
    def erased(self) -> bool:
        return self.salt is None


_NAME_JSON: dict[str, str] = {}


def _name_json(name: str) -> str:
    """A field name (or any short, often repeated text) as JSON, remembered."""
    text = _NAME_JSON.get(name)
    if text is None:
        text = _NAME_JSON[name] = compact_json(name)
    return text


def value_json(value: JSON) -> str:
    """`json(value)` as the contract writes it; the common scalar cases without a detour."""
    kind = type(value)
    if kind is str:
        try:  # orjson writes a string exactly as json.dumps does (eventdata.compact_json)
            return orjson.dumps(value).decode("utf-8")
        except orjson.JSONEncodeError:  # an unpaired surrogate: json.dumps, then fail to hash
            return compact_json(value)
    if value is None:
        return "null"
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    return compact_json(value)


_sha256 = hashlib.sha256


class SealedEvent:
    """Everything the chain needs of one event, computed once for every chain it is in.

    Only the position differs between the chains an event is in, so the head's JSON is
    kept as the text before and after the position. `consistent` says whether every
    value still held matches the digest recorded for it (a value changed in the store
    behind its digest's back is a finding). Verification runs this for every event, so
    it keeps plain strings and builds `Field`s only when a listing asks (`fields`).
    """

    __slots__ = (
        "_after",
        "_before",
        "_digests",
        "_salts",
        "_values",
        "aggregate_id",
        "consistent",
        "header",
    )

    def __init__(self, event: object) -> None:
        version = getattr(event, "originator_version")  # noqa: B009 - events are dynamic
        header = (
            recorded_at(event),
            event_type(event),
            aggregate_type(event),
            str(getattr(event, "originator_id")),  # noqa: B009
            version,
        )
        self._seal(header, event_fields(event), *_raw_seal(event))

    @classmethod
    def of_parts(
        cls,
        header: tuple[str, str, str, str, int],
        values: dict[str, JSON],
        seal: str | Seal,
    ) -> SealedEvent:
        """From what a stored event holds, already in the contract's form (no decoding)."""
        sealed = cls.__new__(cls)
        if isinstance(seal, Seal):
            seed, erasable = seal.seed, seal.erasable
        else:
            seed, erasable = (seal, {}) if " " not in seal else _parse(seal)
        sealed._seal(header, values, seed, erasable)
        return sealed

    def _seal(
        self,
        header: tuple[str, str, str, str, int],
        values: dict[str, JSON],
        seed: str,
        erasable: Mapping[str, Any],
    ) -> None:
        if erasable:
            names = sorted({*values, *erasable})
            plain = [name for name in names if name not in erasable]
        else:
            names = plain = sorted(values)
        plain_salts = derived_salts(seed, plain)
        sha256 = _sha256
        digests = dict(
            zip(
                plain,
                [
                    sha256(f"{salt}\n{name}\n{value_json(values[name])}".encode()).hexdigest()
                    for salt, name in zip(plain_salts, plain, strict=True)
                ],
                strict=True,
            )
        )
        salts: dict[str, str | None] = dict(zip(plain, plain_salts, strict=True))
        consistent = True
        if erasable:
            for name, (salt, digest) in erasable.items():
                digests[name], salts[name] = digest, salt
                if salt is not None:
                    text = f"{salt}\n{name}\n{value_json(values.get(name))}"
                    consistent = consistent and sha256(text.encode()).hexdigest() == digest
            digests = {name: digests[name] for name in names}
        self._values = values
        self._salts = salts
        self._digests = digests
        self.consistent = consistent
        at, kind, aggregate, aggregate_id, version = header
        if type(version) is not int:
            raise TypeError(f"event version {version!r} is not an integer")
        self.aggregate_id = aggregate_id
        #: recorded_at, event_type, aggregate_type, aggregate_id, version
        self.header = header
        known = _NAME_JSON
        digest_json = ",".join(
            [f'{known.get(n) or _name_json(n)}:"{d}"' for n, d in digests.items()]
        )
        # An aggregate id is a UUID and a recorded time ISO 8601: both plain ASCII.
        self._before = (
            f'{{"aggregate_id":"{aggregate_id}","aggregate_type":{_name_json(aggregate)},'
            f'"digests":{{{digest_json}}},"event_type":{_name_json(kind)},"position":'
        )
        self._after = f',"recorded_at":"{at}","version":{version}}}'

    @property
    def fields(self) -> dict[str, Field]:
        """Every committed field by name (in name order), erased ones without value or salt."""
        found = {}
        for name, digest in self._digests.items():
            salt = self._salts.get(name)
            value = None if salt is None else self._values.get(name)
            found[name] = Field(digest, value, salt)
        return found

    def head_json(self, position: int) -> str:
        """`json(head)` of this event's entry at `position` of a chain."""
        return f"{self._before}{position}{self._after}"

    def hash(self, prev_hash: str, position: int) -> str:
        return _sha256((prev_hash + self.head_json(position)).encode("utf-8")).hexdigest()

    def digests(self) -> dict[str, str]:
        return dict(self._digests)
