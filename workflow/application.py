"""The Löftesboken application: one method per command of the process.

Each command loads the aggregates it needs, checks the rules that span aggregates
(evidence must exist in the same municipality, a promise addresses prioritised
issues of its own municipalities), lets the aggregate enforce its own rules, and
saves the new events. A save that loses a race is retried against the new state,
unless the client pinned a version with If-Match. Writers to one aggregate take turns
(`workflow.turns`), so that retry is a backstop rather than the way to get through.
A request with an `Idempotency-Key` has its key recorded with the events of its first
save (`workflow.keys`).

One class, one method per command, read top to bottom in the order of the process
(dialogues, issues, promises): longer than about 400 lines because every command is
here, each a few lines that hand over to the aggregate.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from datetime import date, datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, LocalNotificationLog
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoder
from eventsourcing.system import NotificationLogReader

from domain.dialogue import Dialogue
from domain.errors import DomainError, UnknownEvidence, UnknownIssue
from domain.events import topic_of
from domain.issue import AddressingPromise, CitedDialogue, Issue
from domain.promise import Promise
from domain.reminders import ReminderRecipients, recipients_id
from domain.transcodings import all_transcodings
from domain.values import (
    ActivityInput,
    ActivityReport,
    Actor,
    Cadence,
    DialogueEvidence,
    DialogueKind,
    Evidence,
    IssueStatus,
    ObservationInput,
    Outcome,
    Party,
    PromiseStatus,
    Theme,
)
from workflow.clock import Clock, SystemClock, today
from workflow.errors import NotFound, TooMuchContention, VersionMismatch
from workflow.keys import (
    ERASE_VALUES,
    KEY_RETENTION,
    RECORDED_KEY,
    KeyRecorder,
    RecordedKey,
    answering,
    recorded_key_of,
)
from workflow.settings import Settings
from workflow.turns import WriteTurns

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")

MAX_ATTEMPTS = 10

#: The caller's check of the aggregate a command loads (`Loftesboken.checking`).
_CHECK: ContextVar[Callable[[Any], None] | None] = ContextVar("loften_check", default=None)
# Events that say which issues a promise addresses; read when an issue is to be rejected.
ADDRESSING_TOPICS = (topic_of(Promise.PromiseDrafted), topic_of(Promise.PromiseAmended))
# Events that say which dialogues an issue cites at identification.
CITING_TOPICS = (topic_of(Issue.IssueIdentified),)
NOTIFICATION_PAGE = 10_000
# A lost race waits a random while (up to 2, 4, 8, ... ms, at most 100 ms) before trying
# again: without it, writers racing on one aggregate from several processes kept
# colliding in step, and one lost all ten attempts (a 409 on a feedback, which the
# contract says never fails for concurrency: tests/e2e/test_two_apis_one_worker.py).
RETRY_WAIT_SECONDS = 0.002
RETRY_WAIT_CAP_SECONDS = 0.1

KIND_NAMES: dict[type[Aggregate], str] = {
    Dialogue: "dialogue",
    Issue: "issue",
    Promise: "promise",
    ReminderRecipients: "reminder recipients",
}


class Loftesboken(Application[UUID]):
    """The system of record for medborgarlöften."""

    name = "loften"

    def __init__(
        self,
        settings: Settings | None = None,
        clock: Clock | None = None,
        env: dict[str, str] | None = None,
        *,
        transcoder: Callable[[], JSONTranscoder] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.clock: Clock = clock or SystemClock()
        self._new_transcoder = transcoder or JSONTranscoder
        super().__init__(
            env={
                **self.settings.event_store_environment(),
                **self.settings.aggregate_cache_environment(),
                **(env or {}),
            }
        )
        self.turns = WriteTurns(self.recorder)

    def construct_transcoder(self) -> Transcoder:
        """The codec the composition root chose (`infra.bootstrap`: orjson, for speed),
        else the library's own JSON transcoder; both write the same bytes.

        Encoding is much of the cost of writing an event and decoding most of the cost
        of reading one (docs/benchmarks.md). Stores written by the library's own
        `JSONTranscoder` read the same, and the other way round.
        """
        transcoder = self._new_transcoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in all_transcodings():
            transcoder.register(transcoding)

    @property
    def today(self) -> date:
        return today(self.clock)

    # -- reading aggregates -------------------------------------------------------

    def get_dialogue(self, dialogue_id: UUID, *, version: int | None = None) -> Dialogue:
        return self._get(Dialogue, dialogue_id, version)

    def get_issue(self, issue_id: UUID, *, version: int | None = None) -> Issue:
        return self._get(Issue, issue_id, version)

    def get_promise(self, promise_id: UUID, *, version: int | None = None) -> Promise:
        return self._get(Promise, promise_id, version)

    def version_at(self, aggregate_id: UUID, moment: datetime) -> int | None:
        """The aggregate's version as it stood at `moment`, or None if it did not exist yet."""
        version: int | None = None
        for stored in self.recorder.select_events(aggregate_id):
            event: Any = self.mapper.to_domain_event(stored)
            if event.timestamp > moment:
                break
            version = stored.originator_version
        return version

    def _get(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(KIND_NAMES[cls], aggregate_id) from None
        if not isinstance(aggregate, cls):
            raise NotFound(KIND_NAMES[cls], aggregate_id)
        return aggregate

    @contextmanager
    def checking(self, check: Callable[[Any], None]) -> Iterator[None]:
        """Run `check(aggregate)` on the aggregate each command in the block loads, before it runs.

        The API checks who may change an aggregate and the client's `If-Match` on the very
        load the command then changes, in the aggregate's turn: one read per request, and
        no window between the check and the change. A check that raises changes nothing.
        """
        reset = _CHECK.set(check)
        try:
            yield
        finally:
            _CHECK.reset(reset)

    def _change(
        self,
        cls: type[A],
        aggregate_id: UUID,
        command: Callable[[A], R],
        expected_version: int | None = None,
        saving: Callable[[A, R], dict[str, Any]] | None = None,
    ) -> tuple[A, R]:
        """Run `command` on the aggregate in its turn and save; a lost race (only possible
        against a writer that takes no turns) is retried unless a version is pinned.
        `saving` gives what the recorder writes with the events (an erasure's targets)."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self.turns.turn(aggregate_id):
                    aggregate = self._get(cls, aggregate_id)
                    check = _CHECK.get()
                    if check is not None:
                        check(aggregate)
                    if expected_version is not None and aggregate.version != expected_version:
                        raise VersionMismatch(expected_version, aggregate.version)
                    result = command(aggregate)
                    self.save(aggregate, **({} if saving is None else saving(aggregate, result)))
                    self._keep(aggregate)
            except IntegrityError:
                if expected_version is not None:
                    # Report the version that won, not ours with its unsaved events.
                    stored = self._get(cls, aggregate_id).version
                    raise VersionMismatch(expected_version, stored) from None
                wait = min(RETRY_WAIT_CAP_SECONDS, RETRY_WAIT_SECONDS * 2**attempt)
                time.sleep(random.uniform(0, wait))
                continue
            return aggregate, result
        raise TooMuchContention(
            f"The {KIND_NAMES[cls]} {aggregate_id} is changing too fast; try again."
        )

    def _keep(self, aggregate: Aggregate) -> None:
        """Cache a copy of the aggregate just saved, so its next load fast-forwards from
        here instead of decoding again the events this command wrote (the library keeps
        saved aggregates only when it does not fast-forward). A copy: the caller's object
        is its own to read while the next command changes the cached one."""
        if self.repository.cache is not None:
            self.repository.cache.put(aggregate.id, deepcopy(aggregate))

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Save, and record the key of the request being answered with the first events."""
        current = answering.get()
        record: RecordedKey | None = None
        if current is not None and current.recorded is None and self.keeps_keys:
            moment = self.clock.now().timestamp()
            for obj in objs:
                pending = list(getattr(obj, "pending_events", ()))
                record = recorded_key_of(current.key, obj, pending, moment)
                if record is not None:
                    kwargs[RECORDED_KEY] = record
                    break
        recordings = super().save(*objs, **kwargs)
        if current is not None and record is not None:
            current.recorded = record
        return recordings

    @property
    def keeps_keys(self) -> bool:
        """Whether the event store records idempotency keys with events (ours both do)."""
        return isinstance(self.recorder, KeyRecorder)

    def recorded_key(self, scope: str, key: str) -> RecordedKey | None:
        """The events that spent `key`, if any did (and are not yet forgotten)."""
        if not isinstance(self.recorder, KeyRecorder):
            return None
        since = self.clock.now() - KEY_RETENTION
        return self.recorder.recorded_key(scope, key, since.timestamp())

    def forget_recorded_keys(self, before: datetime) -> int:
        """Forget keys recorded before `before` (their events stay, of course)."""
        if not isinstance(self.recorder, KeyRecorder):
            return 0
        return self.recorder.forget_recorded_keys(before.timestamp())

    # -- dialogues ----------------------------------------------------------------

    def hold_dialogue(
        self,
        *,
        municipality: str,
        kind: DialogueKind,
        held_on: date,
        title: str,
        actor: Actor,
        place: str | None = None,
        participants: int | None = None,
        organisers: Sequence[str] = (),
    ) -> Dialogue:
        dialogue = Dialogue.hold(
            municipality_code=municipality,
            kind=kind,
            held_on=held_on,
            title=title,
            place=place,
            participants=participants,
            organisers=list(organisers),
            today=self.today,
            actor=actor,
        )
        self.save(dialogue)
        return dialogue

    def record_observations(
        self,
        dialogue_id: UUID,
        observations: Sequence[ObservationInput],
        *,
        actor: Actor,
        expected_version: int | None = None,
    ) -> tuple[Dialogue, list[UUID]]:
        return self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.record_observations(list(observations), actor),
            expected_version,
        )

    def correct_dialogue(
        self,
        dialogue_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        def correct(dialogue: Dialogue) -> None:
            cited_by = (
                [issue.identified_on for issue in self.issues_citing(dialogue.id)]
                if "held_on" in changes or "title" in changes
                else []
            )
            dialogue.correct(
                changes=changes, reason=reason, today=self.today, actor=actor, cited_by=cited_by
            )

        dialogue, _ = self._change(Dialogue, dialogue_id, correct, expected_version)
        return dialogue

    def correct_observation(
        self,
        dialogue_id: UUID,
        observation_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        dialogue, _ = self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.correct_observation(
                observation_id=observation_id, changes=changes, reason=reason, actor=actor
            ),
            expected_version,
        )
        return dialogue

    def retract_observation(
        self,
        dialogue_id: UUID,
        observation_id: UUID,
        *,
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        dialogue, _ = self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.retract_observation(
                observation_id=observation_id, reason=reason, actor=actor
            ),
            expected_version,
        )
        return dialogue

    def erase_personal_data(
        self,
        dialogue_id: UUID,
        fields: Sequence[tuple[UUID | None, str]],
        *,
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        """Erase free-text fields of a dialogue for good: the `PersonalDataErased` event and
        the deletion of the values (and their salts) from the store, in one transaction,
        from the record and every correction of it; then the store's files are rid of the
        freed bytes (`forget_erased`)."""

        def targets(dialogue: Dialogue, erased: list[tuple[int, str]]) -> dict[str, Any]:
            by_version: dict[int, list[str]] = {}
            for version, name in erased:
                by_version.setdefault(version, []).append(name)
            return {ERASE_VALUES: [(dialogue.id, v, names) for v, names in by_version.items()]}

        dialogue, _ = self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.erase_personal_data(list(fields), reason, actor),
            expected_version,
            saving=targets,
        )
        forget = getattr(self.recorder, "forget_erased", None)
        if forget is not None:
            forget()
        return dialogue

    # -- issues -------------------------------------------------------------------

    def identify_issue(
        self,
        *,
        municipality: str,
        title: str,
        theme: Theme,
        description: str,
        evidence: Sequence[Evidence],
        actor: Actor,
        identified_on: date | None = None,
    ) -> Issue:
        cited: list[CitedDialogue] = []
        for item in evidence:
            dialogue = self._check_evidence(item, municipality)
            if dialogue is not None:
                cited.append(CitedDialogue(title=dialogue.title, held_on=dialogue.held_on))
        issue = Issue.identify(
            municipality_code=municipality,
            title=title,
            theme=theme,
            description=description,
            identified_on=identified_on or self.today,
            evidence=list(evidence),
            today=self.today,
            actor=actor,
            cited_dialogues=cited,
        )
        self.save(issue)
        return issue

    def add_evidence(
        self,
        issue_id: UUID,
        evidence: Evidence,
        *,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Issue:
        municipality = self.get_issue(issue_id).municipality
        self._check_evidence(evidence, municipality)
        issue, _ = self._change(
            Issue, issue_id, lambda i: i.add_evidence(evidence, actor), expected_version
        )
        return issue

    def prioritise_issue(
        self,
        issue_id: UUID,
        *,
        priority: int,
        rationale: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Issue:
        issue, _ = self._change(
            Issue, issue_id, lambda i: i.prioritise(priority, rationale, actor), expected_version
        )
        return issue

    def reject_issue(
        self, issue_id: UUID, *, reason: str, actor: Actor, expected_version: int | None = None
    ) -> Issue:
        def reject(issue: Issue) -> None:
            issue.reject(reason, actor, self._binding_promises(issue.id))

        issue, _ = self._change(Issue, issue_id, reject, expected_version)
        return issue

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

    def correct_issue(
        self,
        issue_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Issue:
        def correct(issue: Issue) -> None:
            issue.correct(
                changes=changes,
                reason=reason,
                today=self.today,
                actor=actor,
                cited_dialogues=self._cited_dialogues(issue),
                addressed_by=self._binding_promises(issue.id),
            )

        issue, _ = self._change(Issue, issue_id, correct, expected_version)
        return issue

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

    # -- promises -----------------------------------------------------------------

    def draft_promise(
        self,
        *,
        municipalities: Sequence[str],
        police_district: str,
        starts_on: date,
        ends_on: date,
        title: str,
        text: str,
        addresses: Sequence[UUID],
        activities: Sequence[ActivityInput],
        actor: Actor,
        follow_up_cadence: Cadence = Cadence.QUARTERLY,
    ) -> Promise:
        self._check_addresses(addresses, municipalities)
        promise = Promise.draft(
            municipalities=list(municipalities),
            police_district=police_district,
            starts_on=starts_on,
            ends_on=ends_on,
            title=title,
            text=text,
            addresses=list(addresses),
            activities=list(activities),
            follow_up_cadence=follow_up_cadence,
            actor=actor,
        )
        self.save(promise)
        return promise

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

    def plan_activity(
        self,
        promise_id: UUID,
        activity: ActivityInput,
        *,
        actor: Actor,
        expected_version: int | None = None,
    ) -> tuple[Promise, UUID]:
        return self._change(
            Promise, promise_id, lambda p: p.plan_activity(activity, actor), expected_version
        )

    def sign_promise(
        self,
        promise_id: UUID,
        *,
        party: Party,
        name: str,
        title: str,
        signed_on: date,
        actor: Actor,
        municipality: str | None = None,
        expected_version: int | None = None,
    ) -> Promise:
        promise, _ = self._change(
            Promise,
            promise_id,
            lambda p: p.sign(
                party=party,
                municipality=municipality,
                name=name,
                title=title,
                signed_on=signed_on,
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )
        return promise

    def issue_promise(
        self,
        promise_id: UUID,
        *,
        issued_on: date,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        def issue(p: Promise) -> None:
            self._check_addresses(p.addresses, p.municipalities)
            p.issue(issued_on=issued_on, today=self.today, actor=actor)

        promise, _ = self._change(Promise, promise_id, issue, expected_version)
        return promise

    def record_follow_up(
        self,
        promise_id: UUID,
        follow_up_id: UUID,
        *,
        held_on: date,
        summary: str,
        activities: Sequence[ActivityReport],
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        promise, _ = self._change(
            Promise,
            promise_id,
            lambda p: p.record_follow_up(
                follow_up_id=follow_up_id,
                held_on=held_on,
                summary=summary,
                activities=list(activities),
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )
        return promise

    def reschedule_follow_up(
        self,
        promise_id: UUID,
        follow_up_id: UUID,
        *,
        due_on: date,
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        promise, _ = self._change(
            Promise,
            promise_id,
            lambda p: p.reschedule_follow_up(
                follow_up_id=follow_up_id,
                due_on=due_on,
                reason=reason,
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )
        return promise

    def amend_promise(
        self,
        promise_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        def amend(p: Promise) -> None:
            if "addresses" in changes:
                self._check_addresses(changes["addresses"], p.municipalities)
            p.amend(changes=changes, reason=reason, actor=actor)

        promise, _ = self._change(Promise, promise_id, amend, expected_version)
        return promise

    def correct_follow_up(
        self,
        promise_id: UUID,
        follow_up_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        promise, _ = self._change(
            Promise,
            promise_id,
            lambda p: p.correct_follow_up(
                follow_up_id=follow_up_id,
                changes=changes,
                reason=reason,
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )
        return promise

    def correct_feedback(
        self,
        promise_id: UUID,
        feedback_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        promise, _ = self._change(
            Promise,
            promise_id,
            lambda p: p.correct_feedback(
                feedback_id=feedback_id,
                changes=changes,
                reason=reason,
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )
        return promise

    def publish_feedback(
        self,
        promise_id: UUID,
        *,
        published_on: date,
        channel: str,
        summary: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> tuple[Promise, UUID]:
        return self._change(
            Promise,
            promise_id,
            lambda p: p.publish_feedback(
                published_on=published_on,
                channel=channel,
                summary=summary,
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )

    def conclude_promise(
        self,
        promise_id: UUID,
        *,
        outcome: Outcome,
        summary: str,
        concluded_on: date,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Promise:
        promise, _ = self._change(
            Promise,
            promise_id,
            lambda p: p.conclude(
                outcome=outcome,
                summary=summary,
                concluded_on=concluded_on,
                today=self.today,
                actor=actor,
            ),
            expected_version,
        )
        return promise

    def withdraw_promise(
        self, promise_id: UUID, *, reason: str, actor: Actor, expected_version: int | None = None
    ) -> Promise:
        promise, _ = self._change(
            Promise, promise_id, lambda p: p.withdraw(reason=reason, actor=actor), expected_version
        )
        return promise

    def mark_overdue(self, promise_id: UUID, *, actor: Actor) -> list[UUID]:
        """Mark the promise's missed follow-ups overdue; a lost race re-checks, never doubles."""
        _, marked = self._change(
            Promise, promise_id, lambda p: p.mark_overdue(today=self.today, actor=actor)
        )
        return marked

    # -- reminders ------------------------------------------------------------------

    def reminder_recipients(self, municipality: str) -> ReminderRecipients | None:
        """The municipality's reminder addresses and reminders recorded (None: never set)."""
        try:
            return self._get(ReminderRecipients, recipients_id(municipality))
        except NotFound:
            return None

    def reminder_addresses(self, municipality: str) -> tuple[str, ...]:
        """The functional addresses that receive the municipality's reminders (none yet: ())."""
        recipients = self.reminder_recipients(municipality)
        return () if recipients is None else recipients.addresses

    def set_reminder_addresses(
        self, municipality: str, addresses: Sequence[str], *, actor: Actor
    ) -> tuple[str, ...]:
        """Replace the municipality's reminder addresses; the same set again records nothing.

        The first setting creates the municipality's aggregate; two first settings at
        once collide on its derived id, and the loser retries as a change.
        """
        for _ in range(MAX_ATTEMPTS):
            try:
                recipients, _ = self._change(
                    ReminderRecipients,
                    recipients_id(municipality),
                    lambda r: r.change(addresses=addresses, actor=actor),
                )
                return recipients.addresses
            except NotFound:
                pass
            recipients = ReminderRecipients.first_set(
                municipality_code=municipality, addresses=addresses, actor=actor
            )
            try:
                with self.turns.turn(recipients.id):
                    self.save(recipients)
            except IntegrityError:
                continue
            return recipients.addresses
        raise TooMuchContention(f"The reminder addresses of {municipality} are changing too fast.")

    def record_reminder(
        self,
        municipality: str,
        *,
        promise_id: UUID,
        follow_up_id: UUID,
        kind: str,
        due_on: date,
        addresses: Sequence[str],
        sent: bool,
        actor: Actor,
    ) -> bool:
        """Record one reminder on the municipality's aggregate; False if it already was."""
        _, recorded = self._change(
            ReminderRecipients,
            recipients_id(municipality),
            lambda r: r.record_reminder(
                promise_id=promise_id,
                follow_up_id=follow_up_id,
                kind=kind,
                due_on=due_on,
                addresses=addresses,
                sent=sent,
                actor=actor,
            ),
        )
        return recorded

    # -- helpers for the store -------------------------------------------------------

    def aggregate_events(self, aggregate_id: UUID) -> list[Any]:
        """Every event of one aggregate, oldest first."""
        return list(self.repository.event_store.get(aggregate_id))
