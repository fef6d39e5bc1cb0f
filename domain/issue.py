"""The Issue aggregate: a problem in the problembild, identified from cited evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.corrections import Correction, changes_of, require_reason
from domain.errors import DomainError, InvalidValue
from domain.reference import municipality
from domain.values import Actor, Evidence, IssueStatus, Theme

PRIORITIES = range(1, 6)


@dataclass(frozen=True)
class CitedDialogue:
    """A dialogue that evidence cites, as the workflow found it: knowledge comes before
    the issue drawn from it."""

    title: str
    held_on: date


@dataclass(frozen=True)
class AddressingPromise:
    """An issued or concluded promise that addresses the issue, as the workflow found it."""

    title: str
    concluded: bool


class Issue(Aggregate):
    """An identified problem; prioritised or rejected by the collaboration."""

    TOPIC = "loften:Issue"

    class Created(Aggregate.Created):
        """Base of the creation event; only its named subclass is ever recorded."""

        TOPIC = "loften:Issue.Created"

    @classmethod
    def identify(
        cls,
        *,
        municipality_code: str,
        title: str,
        theme: Theme,
        description: str,
        identified_on: date,
        evidence: list[Evidence],
        today: date,
        actor: Actor,
        cited_dialogues: Sequence[CitedDialogue] = (),
    ) -> Issue:
        """Identify an issue; it must rest on at least one piece of evidence, and on no
        dialogue held after the day it was identified."""
        municipality(municipality_code)
        if not evidence:
            raise DomainError(
                "An issue must rest on evidence: cite at least one dialogue, observation, "
                "statistic, survey or report."
            )
        if len(set(evidence)) != len(evidence):
            raise InvalidValue("The same evidence is cited twice.")
        if identified_on > today:
            raise DomainError(f"identified_on {identified_on} is in the future (today is {today}).")
        for dialogue in cited_dialogues:
            check_identified_after(identified_on, dialogue)
        return cls(
            municipality=municipality_code,
            title=title,
            theme=theme,
            description=description,
            identified_on=identified_on,
            evidence=list(evidence),
            actor=actor,
        )

    class IssueIdentified(Created):
        """An issue was identified from the evidence it cites."""

        TOPIC = "loften:Issue.IssueIdentified"

        municipality: str
        title: str
        theme: Theme
        description: str
        identified_on: date
        evidence: list[Evidence]
        actor: Actor

    @event(IssueIdentified)
    def __init__(
        self,
        *,
        municipality: str,
        title: str,
        theme: Theme,
        description: str,
        identified_on: date,
        evidence: list[Evidence],
        actor: Actor,
    ) -> None:
        self.municipality = municipality
        self.title = title
        self.theme = theme
        self.description = description
        self.identified_on = identified_on
        self.evidence: list[Evidence] = list(evidence)
        # The evidence cited at identification: the issue cannot predate its dialogues.
        self.identified_from: list[Evidence] = list(evidence)
        self.status = IssueStatus.IDENTIFIED
        self.priority: int | None = None
        self.rationale: str | None = None
        self.rejection_reason: str | None = None

    def add_evidence(self, evidence: Evidence, actor: Actor) -> None:
        """Cite one more piece of evidence for an issue that is still open."""
        self._require_open("add evidence to")
        if evidence in self.evidence:
            raise DomainError("This issue already cites that evidence.")
        self._add_evidence(evidence=evidence, actor=actor)

    class EvidenceAdded(Aggregate.Event):
        """One more piece of evidence was cited for an open issue."""

        TOPIC = "loften:Issue.EvidenceAdded"

        evidence: Evidence
        actor: Actor

    @event(EvidenceAdded)
    def _add_evidence(self, evidence: Evidence, actor: Actor) -> None:
        self.evidence.append(evidence)

    def prioritise(self, priority: int, rationale: str, actor: Actor) -> None:
        """Give the issue a priority (1 is highest); it may be prioritised again."""
        self._require_open("prioritise")
        if priority not in PRIORITIES:
            raise InvalidValue("priority runs from 1 (highest) to 5 (lowest)")
        self._prioritise(priority=priority, rationale=rationale, actor=actor)

    class IssuePrioritised(Aggregate.Event):
        """The issue was given a priority (1 is highest) and a rationale."""

        TOPIC = "loften:Issue.IssuePrioritised"

        priority: int
        rationale: str
        actor: Actor

    @event(IssuePrioritised)
    def _prioritise(self, priority: int, rationale: str, actor: Actor) -> None:
        self.status = IssueStatus.PRIORITISED
        self.priority = priority
        self.rationale = rationale

    def reject(
        self, reason: str, actor: Actor, addressed_by: Sequence[AddressingPromise] = ()
    ) -> None:
        """Decide not to work on the issue; it can no longer be addressed by a promise.

        An issue that an issued or concluded promise answers stays: rejecting it would
        leave a signed promise resting on nothing.
        """
        self._require_open("reject")
        for promise in addressed_by:
            state = "concluded" if promise.concluded else "issued"
            raise DomainError(
                f"The issue '{self.title}' cannot be rejected: the {state} promise "
                f"'{promise.title}' addresses it."
            )
        self._reject(reason=reason, actor=actor)

    class IssueRejected(Aggregate.Event):
        """The collaboration decided not to work on the issue."""

        TOPIC = "loften:Issue.IssueRejected"

        reason: str
        actor: Actor

    @event(IssueRejected)
    def _reject(self, reason: str, actor: Actor) -> None:
        self.status = IssueStatus.REJECTED
        self.rejection_reason = reason

    # -- corrections ------------------------------------------------------------------

    def correct(
        self,
        *,
        changes: Mapping[str, Any],
        reason: str,
        today: date,
        actor: Actor,
        cited_dialogues: Sequence[CitedDialogue] = (),
        addressed_by: Sequence[AddressingPromise] = (),
    ) -> None:
        """Correct the title, theme, description or identification date of the issue.

        `cited_dialogues` are the dialogues its evidence cited at identification, and
        `addressed_by` the issued or concluded promises addressing it (the workflow finds
        both): once a signed promise rests on the issue, what it is about and when it was
        found stay as they were.
        """
        require_reason(reason)
        current: dict[str, Any] = {
            "title": self.title,
            "theme": self.theme,
            "description": self.description,
            "identified_on": self.identified_on,
        }
        changed = changes_of(changes, current)
        for name in ("theme", "identified_on"):
            if name in changed:
                for promise in addressed_by:
                    state = "concluded" if promise.concluded else "issued"
                    raise DomainError(
                        f"The {name} of the issue '{self.title}' cannot be corrected: the "
                        f"{state} promise '{promise.title}' addresses it."
                    )
        if "identified_on" in changed:
            identified_on = changed["identified_on"]
            if identified_on > today:
                raise DomainError(
                    f"identified_on {identified_on} is in the future (today is {today})."
                )
            for dialogue in cited_dialogues:
                check_identified_after(identified_on, dialogue)
        self.trigger_event(self.IssueCorrected, **changed, reason=reason, actor=actor)

    class IssueCorrected(Correction):
        """What was recorded of an issue was corrected (only the fields changed)."""

        TOPIC = "loften:Issue.IssueCorrected"

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Issue)
            for name, value in self.changed().items():
                setattr(aggregate, name, value)

    def _require_open(self, verb: str) -> None:
        if self.status is IssueStatus.REJECTED:
            raise DomainError(
                f"Cannot {verb} the issue '{self.title}': it was rejected "
                f"({self.rejection_reason}). Identify a new issue if the problem is back."
            )


def check_identified_after(identified_on: date, dialogue: CitedDialogue) -> None:
    """An issue cannot rest on a dialogue that had not been held when it was identified."""
    if identified_on < dialogue.held_on:
        raise DomainError(
            f"The issue was identified on {identified_on}, before the dialogue "
            f"'{dialogue.title}' it cites was held on {dialogue.held_on}."
        )
