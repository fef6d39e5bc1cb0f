"""The Dialogue aggregate: a meeting, safety walk or survey, and what people said there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError, InvalidValue
from domain.personal_data import DIALOGUE_FIELDS, OBSERVATION_FIELDS
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
    summary: str | None
    place: str | None
    count: int
    note: str | None
    #: The version of the dialogue whose event recorded it (where its values are kept).
    recorded_in: int = 0
    #: Its fields erased for good (`PersonalDataErased`), in the order erased.
    erased_fields: list[str] = field(default_factory=list)


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
        self.organisers: list[str] | None = None if organisers is None else list(organisers)
        self.observations: dict[UUID, Observation] = {}
        self.erased_fields: list[str] = []

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
                recorded_in=self.originator_version,
            )

    # -- erasure of personal data ---------------------------------------------------

    def erase_personal_data(
        self, fields: list[tuple[UUID | None, str]], reason: str, actor: Actor
    ) -> list[tuple[int, str]]:
        """Erase free-text fields for good (GDPR); returns (event version, field) of each.

        A dialogue's `title`, `place` and `organisers`, an observation's `summary`,
        `place` and `note`. The event names what was erased and why, never the values;
        the values themselves go from the event store (`infra.recorders`).
        """
        if not fields:
            raise InvalidValue("Name at least one field to erase.")
        if not reason.strip():
            raise InvalidValue("Say why the fields are erased.")
        targets: list[tuple[int, str]] = []
        named: list[dict[str, str | None]] = []
        for observation_id, name in fields:
            if observation_id is None:
                if name not in DIALOGUE_FIELDS:
                    raise InvalidValue(
                        f"A dialogue's field {name!r} cannot be erased: only "
                        f"{', '.join(DIALOGUE_FIELDS)}."
                    )
                targets.append((self.INITIAL_VERSION, name))
            else:
                observation = self.observations.get(observation_id)
                if observation is None:
                    raise InvalidValue(f"The dialogue has no observation {observation_id}.")
                if name not in OBSERVATION_FIELDS:
                    raise InvalidValue(
                        f"An observation's field {name!r} cannot be erased: only "
                        f"{', '.join(OBSERVATION_FIELDS)}."
                    )
                targets.append((observation.recorded_in, name))
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
                target = self.erased_fields
            else:
                observation = self.observations[UUID(item["observation_id"])]
                setattr(observation, name, None)
                target = observation.erased_fields
            if name not in target:
                target.append(name)
