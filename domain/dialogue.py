"""The Dialogue aggregate: a meeting, safety walk or survey, and what people said there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError, InvalidValue
from domain.reference import municipality
from domain.values import Actor, DialogueKind, ObservationInput, Theme

# The record starts with the modern collaboration between police and municipalities;
# an earlier date is a typing mistake (1901 for 2019), not a dialogue.
EARLIEST_DIALOGUE = date(2000, 1, 1)


@dataclass
class Observation:
    """Something raised at a dialogue. `summary` is public; `note` stays internal."""

    id: UUID
    theme: Theme
    summary: str
    place: str | None
    count: int
    note: str | None


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
        self.organisers = list(organisers)
        self.observations: dict[UUID, Observation] = {}

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
        ids: list[UUID] = []
        trigger, recorded = self.trigger_event, self.ObservationRecorded
        for observation in observations:
            observation_id = uuid4()
            trigger(
                recorded,
                observation_id=observation_id,
                theme=observation.theme,
                summary=observation.summary,
                place=observation.place,
                count=observation.count,
                note=observation.note,
                actor=actor,
            )
            ids.append(observation_id)
        return ids

    def check_count(self, count: int) -> None:
        """No more people raised something than took part (for a survey: answered)."""
        if self.participants is not None and count > self.participants:
            who = "respondents" if self.kind is DialogueKind.SURVEY else "participants"
            raise DomainError(
                f"The observation's count {count} is more than the dialogue's "
                f"{self.participants} {who}."
            )

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
            aggregate.observations[self.observation_id] = Observation(
                id=self.observation_id,
                theme=self.theme,
                summary=self.summary,
                place=self.place,
                count=self.count,
                note=self.note,
            )
