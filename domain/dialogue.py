"""The Dialogue aggregate: a meeting, safety walk or survey, and what people said there.

One piece on purpose (like `domain.promise`): the aggregate's events, the rules each
command checks before it records one, and the observations it holds are one
consistency boundary; the library's `@event` methods must live on the class, and the
rules shared with other aggregates are already apart (`domain.corrections`,
`domain.issue`, `domain.personal_data`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.corrections import Correction, changes_of, require_reason
from domain.errors import DomainError, InvalidValue, UnknownObservation
from domain.issue import CitedDialogue, check_identified_after
from domain.observations import Observation, Observations
from domain.personal_data import DIALOGUE_FIELDS, OBSERVATION_FIELDS
from domain.reference import municipality
from domain.values import Actor, DialogueKind, ObservationInput, Theme

# The record starts with the modern collaboration between police and municipalities;
# an earlier date is a typing mistake (1901 for 2019), not a dialogue.
EARLIEST_DIALOGUE = date(2000, 1, 1)


class Dialogue(Aggregate):
    """A citizen or staff dialogue, a safety walk or a survey, with its observations."""

    TOPIC = "loften:Dialogue"

    class Created(Aggregate.Created):
        """Base of the creation event; only its named subclass is ever recorded."""

        TOPIC = "loften:Dialogue.Created"

    @classmethod
    def hold(
        cls,
        *,
        municipality_code: str,
        kind: DialogueKind,
        held_on: date,
        title: str,
        place: str | None,
        participants: int | None,
        organisers: list[str],
        today: date,
        actor: Actor,
    ) -> Dialogue:
        """Record that a dialogue was held; it cannot be recorded before it happens."""
        municipality(municipality_code)
        check_held_on(held_on, today)
        if participants is not None and participants < 0:
            raise InvalidValue("participants cannot be negative")
        return cls(
            municipality=municipality_code,
            kind=kind,
            held_on=held_on,
            title=title,
            place=place,
            participants=participants,
            organisers=list(organisers),
            actor=actor,
        )

    class DialogueHeld(Created):
        """A dialogue, safety walk or survey was held and recorded."""

        TOPIC = "loften:Dialogue.DialogueHeld"

        municipality: str
        kind: DialogueKind
        held_on: date
        title: str
        place: str | None
        participants: int | None
        organisers: list[str]
        actor: Actor

    @event(DialogueHeld)
    def __init__(
        self,
        *,
        municipality: str,
        kind: DialogueKind,
        held_on: date,
        title: str,
        place: str | None,
        participants: int | None,
        organisers: list[str],
        actor: Actor,
    ) -> None:
        self.municipality = municipality
        self.kind = kind
        self.held_on = held_on
        self.title = title
        self.place = place
        self.participants = participants
        self.organisers: list[str] | None = None if organisers is None else list(organisers)
        self.observations = Observations()
        self.erased_fields: list[str] = []
        #: Which events hold each erasable value besides the one that recorded it (an
        #: observation's `recorded_in`): (observation id or None, field) -> versions (the
        #: dialogue's record, then each correction of it), all erased together.
        self.kept_in: dict[tuple[UUID | None, str], tuple[int, ...]] = {
            (None, name): (self.INITIAL_VERSION,) for name in DIALOGUE_FIELDS
        }

    def __deepcopy__(self, memo: dict[int, Any]) -> Dialogue:
        """A copy that shares the observations and copies everything else.

        The application keeps recent aggregates in memory and hands each command a
        copy (the library's aggregate cache, fast-forwarded from the store on each
        load), and caches a copy of what it saved, so a survey's next batch of
        observations does not replay all before it. The observations are shared, not
        copied (`domain.observations`: each change makes a new value), so a copy costs
        the same for a survey of a million observations as for a meeting of three;
        `kept_in` holds only corrections, and its values are tuples.
        """
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            if name == "observations":
                clone.__dict__[name] = value
            elif name == "kept_in":
                clone.__dict__[name] = dict(value)
            else:
                clone.__dict__[name] = deepcopy(value, memo)
        return clone

    def record_observations(self, observations: list[ObservationInput], actor: Actor) -> list[UUID]:
        """Record what was raised, one event per observation; returns their new ids."""
        if not observations:
            raise InvalidValue("Give at least one observation.")
        for observation in observations:
            if observation.count < 1:
                raise InvalidValue(
                    "An observation's count is how many participants raised it: at least 1."
                )
            self.check_count(observation.count)
        # What the library's `trigger_event` does for each, done once for the batch where
        # it can be (the event class and its topic, the arguments): a survey records
        # up to 1,000 per command, and this loop is most of the domain's part of it.
        ids = new_ids(len(observations))
        # The library makes each event class a dataclass, which mypy does not see.
        recorded: Any = self.ObservationRecorded
        pending = self.pending_events
        now, dialogue_id = recorded.create_timestamp, self.id
        for observation_id, observation in zip(ids, observations, strict=True):
            event = recorded(
                originator_id=dialogue_id,
                originator_version=self.version + 1,
                timestamp=now(),
                observation_id=observation_id,
                theme=observation.theme,
                summary=observation.summary,
                place=observation.place,
                count=observation.count,
                note=observation.note,
                actor=actor,
            )
            event.mutate(self)
            pending.append(event)
        return ids

    def check_count(self, count: int) -> None:
        """No more people raised something than took part (for a survey: answered)."""
        check_count(count, self.participants, self.kind)

    # -- corrections ------------------------------------------------------------------

    def correct(
        self,
        *,
        changes: Mapping[str, Any],
        reason: str,
        today: date,
        actor: Actor,
        cited_by: Sequence[date] = (),
    ) -> None:
        """Correct what was recorded of the dialogue; the first record stays in the history.

        `cited_by` are the days the issues citing this dialogue at their identification
        were identified on (the workflow finds them): it cannot move past one of them.
        """
        require_reason(reason)
        current: dict[str, Any] = {
            "kind": self.kind,
            "held_on": self.held_on,
            "title": self.title,
            "place": self.place,
            "participants": self.participants,
            "organisers": None if self.organisers is None else list(self.organisers),
        }
        changed = changes_of(changes, current)
        new = {**current, **changed}
        check_held_on(new["held_on"], today)
        for identified_on in sorted(cited_by):
            check_identified_after(identified_on, CitedDialogue(new["title"], new["held_on"]))
        if new["participants"] is not None and new["participants"] < 0:
            raise InvalidValue("participants cannot be negative")
        for observation in self.standing_observations():
            check_count(observation.count, new["participants"], new["kind"])
        self.trigger_event(self.DialogueCorrected, **changed, reason=reason, actor=actor)

    class DialogueCorrected(Correction):
        """What was recorded of a dialogue was corrected (only the fields changed)."""

        TOPIC = "loften:Dialogue.DialogueCorrected"

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Dialogue)
            for name, value in self.changed().items():
                if name == "organisers" and value is not None:
                    value = list(value)
                setattr(aggregate, name, value)
                if name in DIALOGUE_FIELDS:
                    key = (None, name)
                    kept = aggregate.kept_in.get(key, ())
                    aggregate.kept_in[key] = (*kept, self.originator_version)

    def correct_observation(
        self, *, observation_id: UUID, changes: Mapping[str, Any], reason: str, actor: Actor
    ) -> None:
        """Correct an observation that still stands (theme, summary, place, count, note)."""
        require_reason(reason)
        observation = self.standing_observation(observation_id, "correct")
        current: dict[str, Any] = {
            "theme": observation.theme,
            "summary": observation.summary,
            "place": observation.place,
            "count": observation.count,
            "note": observation.note,
        }
        changed = changes_of(changes, current)
        if "count" in changed:
            if changed["count"] < 1:
                raise InvalidValue(
                    "An observation's count is how many participants raised it: at least 1."
                )
            self.check_count(changed["count"])
        self.trigger_event(
            self.ObservationCorrected,
            observation_id=observation_id,
            **changed,
            reason=reason,
            actor=actor,
        )

    class ObservationCorrected(Correction):
        """An observation was corrected (only the fields changed)."""

        TOPIC = "loften:Dialogue.ObservationCorrected"
        KEYS = ("observation_id",)

        observation_id: UUID

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Dialogue)
            observations = aggregate.observations
            changed = self.changed()
            aggregate.observations = observations.replaced(
                replace(observations[self.observation_id], **changed)
            )
            for name in changed.keys() & set(OBSERVATION_FIELDS):
                key = (self.observation_id, name)
                kept = aggregate.kept_in.get(key, ())
                aggregate.kept_in[key] = (*kept, self.originator_version)

    def retract_observation(self, *, observation_id: UUID, reason: str, actor: Actor) -> None:
        """Withdraw an observation that should never have been recorded; it is kept in the
        history but stops counting, and evidence citing it shows it was retracted."""
        require_reason(reason)
        self.standing_observation(observation_id, "retract")
        self._retract_observation(observation_id=observation_id, reason=reason, actor=actor)

    class ObservationRetracted(Aggregate.Event):
        """An observation was retracted: it stays in the history and stops counting."""

        TOPIC = "loften:Dialogue.ObservationRetracted"

        observation_id: UUID
        reason: str
        actor: Actor

    @event(ObservationRetracted)
    def _retract_observation(self, observation_id: UUID, reason: str, actor: Actor) -> None:
        self.observations = self.observations.replaced(
            replace(self.observations[observation_id], retracted=True, retraction_reason=reason)
        )

    def standing_observations(self) -> list[Observation]:
        """The observations not retracted: those that count."""
        return [o for o in self.observations.values() if not o.retracted]

    def standing_observation(self, observation_id: UUID, verb: str) -> Observation:
        try:
            observation = self.observations[observation_id]
        except KeyError:
            raise UnknownObservation(f"The dialogue has no observation {observation_id}.") from None
        if observation.retracted:
            raise DomainError(
                f"Cannot {verb} the observation '{observation.summary}': it was retracted "
                f"({observation.retraction_reason})."
            )
        return observation

    class ObservationRecorded(Aggregate.Event):
        """One observation recorded at the dialogue.

        An explicit event class triggered directly, not an `@event` method: a survey
        records hundreds of these per command, and the decorator's per-call argument
        coercion and filtering were most of the cost of recording one. The topic, the
        fields and their order are those the `@event` method had, so the stored state
        is the same and events stored before read back unchanged.
        """

        TOPIC = "loften:Dialogue.ObservationRecorded"

        observation_id: UUID
        theme: Theme
        summary: str
        place: str | None
        count: int
        note: str | None
        actor: Actor

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Dialogue)
            aggregate.observations = aggregate.observations.recorded(
                Observation(
                    id=self.observation_id,
                    theme=self.theme,
                    summary=self.summary,
                    place=self.place,
                    count=self.count,
                    note=self.note,
                    recorded_in=self.originator_version,
                )
            )

    # -- erasure of personal data ---------------------------------------------------

    def erase_personal_data(
        self, fields: list[tuple[UUID | None, str]], reason: str, actor: Actor
    ) -> list[tuple[int, str]]:
        """Erase free-text fields for good (GDPR); returns (event version, field) of each
        event that holds one of their values: the record and every correction of it.

        A dialogue's `title`, `place` and `organisers`, an observation's `summary`,
        `place` and `note`. The event names what was erased and why, never the values;
        the values themselves go from the event store (`infra.recorders`).
        """
        if not fields:
            raise InvalidValue("Name at least one field to erase.")
        require_reason(reason)
        targets: list[tuple[int, str]] = []
        named: list[dict[str, str | None]] = []
        for observation_id, name in fields:
            if observation_id is None:
                if name not in DIALOGUE_FIELDS:
                    raise InvalidValue(
                        f"A dialogue's field {name!r} cannot be erased: only "
                        f"{', '.join(DIALOGUE_FIELDS)}."
                    )
            else:
                observation = self.observations.get(observation_id)
                if observation is None:
                    raise UnknownObservation(f"The dialogue has no observation {observation_id}.")
                if name not in OBSERVATION_FIELDS:
                    raise InvalidValue(
                        f"An observation's field {name!r} cannot be erased: only "
                        f"{', '.join(OBSERVATION_FIELDS)}."
                    )
                targets.append((observation.recorded_in, name))
            targets += [(v, name) for v in self.kept_in.get((observation_id, name), ())]
            item = {"observation_id": None if observation_id is None else str(observation_id)}
            named.append({**item, "field": name})
        self._erase(fields=named, reason=reason, actor=actor)
        return targets

    class PersonalDataErased(Aggregate.Event):
        """Free-text fields were erased for good: which, and why (never their values)."""

        TOPIC = "loften:Dialogue.PersonalDataErased"

        fields: list[dict[str, str | None]]
        reason: str
        actor: Actor

    @event(PersonalDataErased)
    def _erase(self, fields: list[dict[str, str | None]], reason: str, actor: Actor) -> None:
        for item in fields:
            name = item["field"]
            assert name is not None
            if item["observation_id"] is None:
                setattr(self, name, None)
                if name not in self.erased_fields:
                    self.erased_fields.append(name)
            else:
                key = UUID(item["observation_id"])
                observation = self.observations[key]
                erased = observation.erased_fields
                blank: dict[str, Any] = {name: None}
                self.observations = self.observations.replaced(
                    replace(
                        observation,
                        **blank,
                        erased_fields=erased if name in erased else (*erased, name),
                    )
                )


def new_ids(count: int) -> list[UUID]:
    """`count` random (version 4) UUIDs, as `uuid4()` makes them, from one draw of bytes."""
    drawn = os.urandom(16 * count)
    return [UUID(bytes=drawn[i : i + 16], version=4) for i in range(0, 16 * count, 16)]


def check_held_on(held_on: date, today: date) -> None:
    """A dialogue is held on or after 2000-01-01 and not after today."""
    if held_on < EARLIEST_DIALOGUE:
        raise DomainError(
            f"The dialogue was held on {held_on}, before {EARLIEST_DIALOGUE}, the earliest "
            "date the record accepts."
        )
    if held_on > today:
        raise DomainError(
            f"A dialogue cannot be recorded before it is held: held_on {held_on} "
            f"is after today ({today})."
        )


def check_count(count: int, participants: int | None, kind: DialogueKind) -> None:
    """No more people raised something than took part (for a survey: answered)."""
    if participants is not None and count > participants:
        who = "respondents" if kind is DialogueKind.SURVEY else "participants"
        raise DomainError(
            f"The observation's count {count} is more than the dialogue's {participants} {who}."
        )
