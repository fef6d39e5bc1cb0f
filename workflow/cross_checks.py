"""The rules that span aggregates, as the commands check them: evidence must exist in the
same municipality, a promise addresses prioritised issues of its own municipalities, an
issue addressed by an issued promise is bound by it, a dialogue cited by issues is
corrected with their dates in view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import LocalNotificationLog
from eventsourcing.system import NotificationLogReader

from domain.dialogue import Dialogue
from domain.errors import DomainError, UnknownEvidence, UnknownIssue
from domain.events import topic_of
from domain.issue import AddressingPromise, CitedDialogue, Issue
from domain.promise import Promise
from domain.values import (
    DialogueEvidence,
    Evidence,
    IssueStatus,
    PromiseStatus,
)
from workflow.aggregates import AggregateAccess
from workflow.errors import NotFound

# Events that say which issues a promise addresses; read when an issue is to be rejected.
ADDRESSING_TOPICS = (topic_of(Promise.PromiseDrafted), topic_of(Promise.PromiseAmended))
# Events that say which dialogues an issue cites at identification.
CITING_TOPICS = (topic_of(Issue.IssueIdentified),)
NOTIFICATION_PAGE = 10_000


class CrossChecks(AggregateAccess):
    """Reads across aggregates that commands of more than one kind need."""

    def promises_addressing(self, issue_id: UUID) -> list[Promise]:
        """Every promise that now addresses the issue, found from the store's own log.

        Only rejection asks, and rarely, so a scan of the drafting events (filtered by
        topic in the store) is cheaper than an index every write would have to keep.
        """
        candidates: dict[UUID, None] = {}
        log = NotificationLogReader(
            LocalNotificationLog(self.recorder, NOTIFICATION_PAGE), NOTIFICATION_PAGE
        )
        for notifications in log.select(
            start=0, topics=ADDRESSING_TOPICS, inclusive_of_start=False
        ):
            for notification in notifications:
                # Drafting events name every issue; an amendment only those it changes to.
                event: Any = self.mapper.to_domain_event(notification)
                if issue_id in getattr(event, "addresses", ()):
                    candidates[event.originator_id] = None
        promises = [self.get_promise(promise_id) for promise_id in candidates]
        return [p for p in promises if issue_id in p.addresses]

    def _binding_promises(self, issue_id: UUID) -> list[AddressingPromise]:
        """The issued or concluded promises that address the issue: they bind it."""
        return [
            AddressingPromise(
                title=promise.title, concluded=promise.status is PromiseStatus.CONCLUDED
            )
            for promise in self.promises_addressing(issue_id)
            if promise.status in (PromiseStatus.ISSUED, PromiseStatus.CONCLUDED)
        ]

    def issues_citing(self, dialogue_id: UUID) -> list[Issue]:
        """Every issue whose evidence cited the dialogue when it was identified."""
        found: dict[UUID, None] = {}
        log = NotificationLogReader(
            LocalNotificationLog(self.recorder, NOTIFICATION_PAGE), NOTIFICATION_PAGE
        )
        for notifications in log.select(start=0, topics=CITING_TOPICS, inclusive_of_start=False):
            for notification in notifications:
                event = cast(Issue.IssueIdentified, self.mapper.to_domain_event(notification))
                if any(
                    isinstance(item, DialogueEvidence) and item.dialogue_id == dialogue_id
                    for item in event.evidence
                ):
                    found[event.originator_id] = None
        return [self.get_issue(issue_id) for issue_id in found]

    def retracted_evidence(self, issue: Issue) -> set[UUID]:
        """The observations the issue cites that were retracted since."""
        retracted: set[UUID] = set()
        for item in issue.evidence:
            if isinstance(item, DialogueEvidence) and item.observation_id is not None:
                observation = self.get_dialogue(item.dialogue_id).observations.get(
                    item.observation_id
                )
                if observation is not None and observation.retracted:
                    retracted.add(item.observation_id)
        return retracted

    def _cited_dialogues(self, issue: Issue) -> list[CitedDialogue]:
        """The dialogues the issue's evidence cited at identification, as they now stand."""
        cited: list[CitedDialogue] = []
        for item in issue.identified_from:
            if isinstance(item, DialogueEvidence):
                dialogue = self.get_dialogue(item.dialogue_id)
                cited.append(CitedDialogue(title=dialogue.title, held_on=dialogue.held_on))
        return cited

    def _check_evidence(self, evidence: Evidence, municipality: str) -> Dialogue | None:
        """Dialogue evidence must name a real dialogue (and observation) of the same kommun;
        returns that dialogue."""
        if not isinstance(evidence, DialogueEvidence):
            return None
        try:
            dialogue = self.get_dialogue(evidence.dialogue_id)
        except NotFound:
            raise UnknownEvidence(f"No dialogue with id {evidence.dialogue_id}.") from None
        if dialogue.municipality != municipality:
            raise UnknownEvidence(
                f"Dialogue {evidence.dialogue_id} was held in municipality "
                f"{dialogue.municipality}, not {municipality}."
            )
        if evidence.observation_id is not None and (
            evidence.observation_id not in dialogue.observations
        ):
            raise UnknownEvidence(
                f"Dialogue {evidence.dialogue_id} has no observation {evidence.observation_id}."
            )
        return dialogue

    def _check_addresses(self, addresses: Sequence[UUID], municipalities: Sequence[str]) -> None:
        """A promise addresses prioritised issues of its own municipalities, never rejected ones."""
        for issue_id in addresses:
            try:
                issue = self.get_issue(issue_id)
            except NotFound:
                raise UnknownIssue(f"No issue with id {issue_id}.") from None
            if issue.municipality not in municipalities:
                raise UnknownIssue(
                    f"Issue '{issue.title}' belongs to municipality {issue.municipality}, "
                    f"which is not a party to the promise."
                )
            if issue.status is IssueStatus.REJECTED:
                raise DomainError(
                    f"Issue '{issue.title}' was rejected and cannot be addressed by a promise."
                )
            if issue.status is not IssueStatus.PRIORITISED:
                raise DomainError(
                    f"Issue '{issue.title}' is not prioritised yet: prioritise it before a "
                    "promise addresses it."
                )
