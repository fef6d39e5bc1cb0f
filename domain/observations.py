"""A dialogue's observations by id, in the order recorded, shared between its copies.

Why not a dict: the application hands every command a copy of the aggregate and caches
a copy of what it saved (`workflow.aggregates`), so with a dict every command on a
survey copied all its observations, and importing into one survey in batches grew with
the square of its size (docs/benchmarks.md, "Import into one survey"). Observations are
recorded one after another and only now and then replaced (a correction, a retraction,
an erasure), so here the copies share one append-only list of the observations as
recorded, each copy seeing its own prefix of it, and each keeps the replacements in a
persistent map (`rpds.HashTrieMap`, which shares its structure between versions).
Copying is O(1), recording one O(1), a replacement O(log k) in the k replaced.

Why not a persistent map for all of them: measured here, an `rpds.HashTrieMap` insert of
a UUID cost 2.4 µs per observation over 100,000 and 4.9 µs over 1,000,000 (growing
with the size, which is what the import must not do); an append to the shared list
costs a list append and a dict insert.

The shared list only ever grows, and only along one history: a copy appends in place
when it has seen all of it, moves along it when the next observation there is the very
one it records (another copy of the same dialogue applied the same event), and
otherwise (a copy whose command failed after recording, say) starts a list of its own
with its prefix: O(size), rare, and always correct. A lock makes "seen all of it, so
append" one step when copies in several threads record at once.
"""

from __future__ import annotations

import threading
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass
from itertools import islice
from typing import Any
from uuid import UUID

from rpds import HashTrieMap

from domain.values import Theme


@dataclass(frozen=True)
class Observation:
    """Something raised at a dialogue. `summary` is public; `note` stays internal.

    Frozen: a change replaces the observation in its dialogue, never alters it, so the
    copies of a dialogue share their observations.
    """

    id: UUID
    theme: Theme
    summary: str | None
    place: str | None
    count: int
    note: str | None
    #: The version of the event that recorded it, which holds its first values (erasure
    #: deletes them there and in each correction's event).
    recorded_in: int
    retracted: bool = False
    retraction_reason: str | None = None
    #: Its fields erased for good (`PersonalDataErased`), in the order erased.
    erased_fields: tuple[str, ...] = ()


class _Recorded:
    """Observations as recorded, in order: one history, shared by copies that agree on it."""

    __slots__ = ("items", "lock", "positions")

    def __init__(self, items: list[Observation]) -> None:
        self.items = items
        self.positions = {observation.id: p for p, observation in enumerate(items)}
        self.lock = threading.Lock()


_EMPTY: HashTrieMap[UUID, Observation] = HashTrieMap()


class Observations(Mapping[UUID, Observation]):
    """A read-only mapping of observation id to observation, in the order recorded.

    Each change gives a new `Observations` and leaves this one as it was, so a copy of
    a dialogue (and a response built from one) never sees what a later command records.
    """

    __slots__ = ("_length", "_recorded", "_replaced")

    _recorded: _Recorded
    _length: int
    _replaced: HashTrieMap[UUID, Observation]

    def __init__(self) -> None:
        self._recorded = _Recorded([])
        self._length = 0
        self._replaced = _EMPTY

    @classmethod
    def _of(
        cls, recorded: _Recorded, length: int, replaced: HashTrieMap[UUID, Observation]
    ) -> Observations:
        made = object.__new__(cls)
        made._recorded, made._length, made._replaced = recorded, length, replaced
        return made

    def __getitem__(self, observation_id: UUID) -> Observation:
        if self._replaced:
            replaced = self._replaced.get(observation_id)
            if replaced is not None:
                return replaced
        position = self._recorded.positions.get(observation_id)
        if position is None or position >= self._length:
            raise KeyError(observation_id)
        return self._recorded.items[position]

    def __contains__(self, observation_id: object) -> bool:
        position = self._recorded.positions.get(observation_id)  # type: ignore[call-overload]
        return position is not None and position < self._length

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[UUID]:
        return (observation.id for observation in self._in_order())

    def _in_order(self) -> Iterator[Observation]:
        recorded = islice(self._recorded.items, self._length)
        if not self._replaced:
            return recorded
        replaced = self._replaced
        return (replaced.get(o.id, o) for o in recorded)

    def values(self) -> ValuesView[Observation]:
        return _Values(self)

    def items(self) -> ItemsView[UUID, Observation]:
        return _Items(self)

    def __repr__(self) -> str:
        return f"Observations({list(self._in_order())!r})"

    def __copy__(self) -> Observations:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Observations:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_observations_of, (list(self._in_order()),))

    def recorded(self, observation: Observation) -> Observations:
        """These and one more, recorded last."""
        recorded, length = self._recorded, self._length
        with recorded.lock:
            items = recorded.items
            if len(items) == length:
                items.append(observation)
                recorded.positions[observation.id] = length
            elif items[length] != observation:
                recorded = _Recorded([*islice(items, length), observation])
        return Observations._of(recorded, length + 1, self._replaced)

    def replaced(self, observation: Observation) -> Observations:
        """These with one of them (by its id) replaced by a new value of it."""
        if observation.id not in self:
            raise KeyError(observation.id)
        replaced = self._replaced.insert(observation.id, observation)
        return Observations._of(self._recorded, self._length, replaced)


class _Values(ValuesView[Observation]):
    """The observations in the order recorded, without a look-up by id for each."""

    _mapping: Observations

    def __iter__(self) -> Iterator[Observation]:
        return self._mapping._in_order()


class _Items(ItemsView[UUID, Observation]):
    _mapping: Observations

    def __iter__(self) -> Iterator[tuple[UUID, Observation]]:
        return ((observation.id, observation) for observation in self._mapping._in_order())


def _observations_of(observations: list[Observation]) -> Observations:
    """Observations recorded in this order (what a pickled `Observations` unpickles to)."""
    made = Observations()
    for observation in observations:
        made = made.recorded(observation)
    return made
