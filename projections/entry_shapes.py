"""The chain's entry (`projections.chain`) computed for many events of one shape.

Verification recomputes the entry of every event of the store, and most of them are of
a handful of shapes: the same kind of event with the same fields, the same erasable
ones among them. Everything but the values, the salts and the digests is then the same
for all of them: which fields are salted from the seed and in what order, the text the
seed's salts are drawn over, each digest's `"\\nname\\n"`, the order of the digests in
the head, and the head's JSON around them. An `EntryShape` holds that, worked out once;
`EntryShape.entry` does what is left per event: one SHAKE for the salts, one SHA-256
per field straight over the value's JSON bytes, each erasable value still held checked
against its recorded digest, and the head filled in by one `%` format.

The formulas are `projections.chain`'s (`derived_salts`, `field_digest`, the head's
JSON of `SealedEvent`), and a `ShapedEntry` is a `SealedEvent` to whoever reads it;
`tests/projections/test_audit.py` checks that both ways agree on every kind of event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import orjson

from projections.chain import Field, SealedEvent, _name_json

__all__ = ["EntryShape", "ShapedEntry"]

_sha256 = hashlib.sha256
_shake_128 = hashlib.shake_128
#: Two hex digits per byte of a salt (`chain.SALT_BYTES`).
_SALT_WIDTH = 32


class EntryShape:
    """What the entries of every event of one kind with the same field names share.

    `plain` are the names salted from the seed (sorted, as `derived_salts` takes them),
    `erasable` the seal's erasable names in the seal's order.
    """

    __slots__ = ("_before", "_checked", "_material", "_order", "_prefixes", "_slices", "plain")

    def __init__(
        self, event_type: str, aggregate_type: str, plain: Sequence[str], erasable: Sequence[str]
    ) -> None:
        self.plain = list(plain)
        self._material = ("\n" + "\n".join(self.plain)).encode("utf-8") if self.plain else b""
        self._prefixes = [f"\n{name}\n".encode() for name in self.plain]
        self._slices = [
            slice(index * _SALT_WIDTH, (index + 1) * _SALT_WIDTH) for index in range(len(plain))
        ]
        # A digest's place among the plain ones and then the erasable ones; a name the
        # seal repeats counts once, its last digest (as `chain._parse` reads it).
        where = {name: index for index, name in enumerate([*self.plain, *erasable])}
        self._checked = sorted(where[name] - len(self.plain) for name in set(erasable))
        names = sorted(where)
        order = [where[name] for name in names]
        self._order = (
            itemgetter(*order) if len(order) > 1 else lambda found: tuple(found[i] for i in order)
        )
        digests = ",".join(_name_json(name).replace("%", "%%") + ':"%s"' for name in names)
        self._before = (
            '{"aggregate_id":"%s","aggregate_type":'
            + _name_json(aggregate_type).replace("%", "%%")
            + ',"digests":{'
            + digests
            + '},"event_type":'
            + _name_json(event_type).replace("%", "%%")
            + ',"position":'
        )

    def entry(
        self,
        header: tuple[str, str, str, str, int],
        seed: str,
        values: Sequence[bytes],
        erasable: Sequence[tuple[str, str, str]],
        kept: dict[str, tuple[str, bytes]] | None,
    ) -> ShapedEntry:
        """The entry of one event of this shape.

        `values` are the JSON texts of the plain fields (in `plain`'s order), `erasable`
        the seal's parts as `(name, ":", digest)`, `kept` the erasable values still held,
        by name: their salt and their JSON text.
        """
        stream = (
            _shake_128(seed.encode("utf-8") + self._material)
            .hexdigest(len(values) * (_SALT_WIDTH // 2))
            .encode()
        )
        sha256 = _sha256
        digests = [
            sha256(stream[at] + prefix + value).hexdigest()
            for at, prefix, value in zip(self._slices, self._prefixes, values, strict=True)
        ]
        consistent = True
        if erasable:
            digests += [digest for _, _, digest in erasable]
            if kept:
                for index in self._checked:
                    name, _, digest = erasable[index]
                    held = kept.get(name)
                    if held is not None:
                        text = f"{held[0]}\n{name}\n".encode() + held[1]
                        consistent = consistent and sha256(text).hexdigest() == digest
        at, _, _, aggregate_id, version = header
        if type(version) is not int:
            raise TypeError(f"event version {version!r} is not an integer")
        found = ShapedEntry.__new__(ShapedEntry)
        found.header = header
        found.aggregate_id = aggregate_id
        found.consistent = consistent
        found._before = self._before % (aggregate_id, *self._order(digests))
        found._after = f',"recorded_at":"{at}","version":{version}}}'
        found.parts = (self, stream, values, erasable, kept, digests)
        return found


class ShapedEntry(SealedEvent):
    """A `SealedEvent` computed by an `EntryShape`: its parts kept as they were computed,
    `fields` and `digests` built from them only when asked (a listing or a test)."""

    __slots__ = ("parts",)

    #: The shape, the salts' hex, the plain values' JSON, the seal's erasable parts, the
    #: erasable values held (salt and JSON by name), the digests (plain, then erasable).
    parts: tuple[
        EntryShape,
        bytes,
        Sequence[bytes],
        Sequence[tuple[str, str, str]],
        dict[str, tuple[str, bytes]] | None,
        list[str],
    ]

    def _parts(self) -> dict[str, Field]:
        shape, stream, values, erasable, kept, digests = self.parts
        found: dict[str, Field] = {}
        for index, name in enumerate(shape.plain):
            salt = stream[index * _SALT_WIDTH : (index + 1) * _SALT_WIDTH].decode()
            found[name] = Field(digests[index], orjson.loads(values[index]), salt)
        for name, _, digest in erasable:
            held = None if kept is None else kept.get(name)
            value: Any = None if held is None else orjson.loads(held[1])
            found[name] = Field(digest, value, None if held is None else held[0])
        return dict(sorted(found.items()))

    @property
    def fields(self) -> dict[str, Field]:
        return self._parts()

    def digests(self) -> dict[str, str]:
        return {name: field.digest for name, field in self._parts().items()}
