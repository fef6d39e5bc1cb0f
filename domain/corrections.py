"""Corrections: events that carry only the fields they change, with a reason and an actor.

Events are never edited. A typing mistake is put right by a correction event whose data
holds exactly the fields it changes (each a top-level key, so the audit chain digests,
shows or erases each one as it does the original's) plus `reason` and `actor`. A
correction event class nests in its aggregate, names its topic, declares the ids that
say what it corrects (`KEYS`, e.g. `observation_id`) and applies the changed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, InvalidValue
from domain.values import Actor

#: The attributes of every event that are not fields it changes.
_COMMON = frozenset({"originator_id", "originator_version", "timestamp", "reason", "actor"})


class Correction(Aggregate.Event):
    """Base of the correction events; only its named subclasses are ever recorded.

    The library makes every event class a frozen dataclass with an `__init__` of its
    declared fields; a correction's fields vary with what it changes, so each class
    keeps this `__init__`, which sets whatever it is given. Stored state is the event's
    `__dict__`, and it reads back as stored, so only the changed fields are kept.
    """

    #: The ids that say what is corrected (`observation_id`): kept, never "changed".
    KEYS: ClassVar[tuple[str, ...]] = ()

    reason: str
    actor: Actor

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Set before the library's dataclass decorator runs, which leaves a class's own
        # `__init__` alone.
        setattr(cls, "__init__", Correction.__init__)  # noqa: B010

    def changed(self) -> dict[str, Any]:
        """The corrected fields and their new values, in the order given (not what the
        store keeps beside them, such as the audit chain's `_seal_`)."""
        return {
            name: value
            for name, value in vars(self).items()
            if name not in _COMMON and name not in self.KEYS and not name.startswith("_")
        }


def changes_of(given: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of `given` whose value differs from `current`: what a correction records.

    Refuses a correction without a field (422) and one that changes nothing (409).
    """
    if not given:
        raise InvalidValue("Name at least one field to correct besides the reason.")
    unknown = sorted(set(given) - set(current))
    if unknown:
        raise InvalidValue(f"These fields cannot be corrected: {', '.join(unknown)}.")
    changed = {name: value for name, value in given.items() if current[name] != value}
    if not changed:
        raise DomainError(
            f"Nothing to correct: {', '.join(given)} already "
            f"{'has' if len(given) == 1 else 'have'} the values given."
        )
    return changed


def require_reason(reason: str) -> None:
    """A correction says why, so the history explains itself."""
    if not reason.strip():
        raise InvalidValue("Say why it is corrected: the reason is required.")
