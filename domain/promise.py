"""The Promise aggregate: a medborgarlöfte from draft to conclusion, with its follow-ups.

Its state's parts are in `domain.promise_records`, its events in `domain.promise_events`,
the date rules drafting and amending share in `domain.promise_rules` (all importable from
here as before). What is left is one piece, longer than the other modules, on purpose:
each command that checks a rule sits next to the `@event` method that records it, and the
library registers those methods only on the aggregate class itself (in a mixin an
`@event` method raises "Event class not registered"), so the commands cannot be grouped
into mixins. The correction events stay here because each applies itself to a Promise.
The rules other code must apply the same way live apart (`domain.follow_ups`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeAlias
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain import promise_events
from domain.corrections import Correction, changes_of, require_reason
from domain.errors import (
    DomainError,
    InvalidValue,
    UnknownActivity,
    UnknownFeedback,
    UnknownFollowUp,
)
from domain.follow_ups import (
    awaits_overdue_mark,
    speaks_for_activity,
    status_after_rescheduling,
)
from domain.promise_records import Activity, Feedback, Rescheduling, Signature
from domain.promise_records import FollowUp as FollowUp
from domain.promise_rules import MAX_PERIOD_YEARS as MAX_PERIOD_YEARS
from domain.promise_rules import check_activity_due, check_period
from domain.reference import require_municipalities
from domain.schedule import add_years, follow_up_dates
from domain.values import (
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Actor,
    Cadence,
    FollowUpStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
)


class Promise(Aggregate):
    """A medborgarlöfte by one police district and one or more municipalities."""

    TOPIC = "loften:Promise"

    Created: TypeAlias = promise_events.Created

    # -- drafting ---------------------------------------------------------------

    @classmethod
    def draft(
        cls,
        *,
        municipalities: list[str],
        police_district: str,
        starts_on: date,
        ends_on: date,
        title: str,
        text: str,
        addresses: list[UUID],
        activities: list[ActivityInput],
        follow_up_cadence: Cadence,
        actor: Actor,
    ) -> Promise:
        """Draft a promise and plan its first activities."""
        if not municipalities:
            raise InvalidValue("A promise is made with at least one municipality.")
        if len(set(municipalities)) != len(municipalities):
            raise InvalidValue("A municipality is named twice in the promise.")
        require_municipalities(municipalities)
        check_period(starts_on, ends_on)
        if not addresses:
            raise DomainError(
                "A promise must address at least one prioritised issue: say which problems "
                "it answers."
            )
        if len(set(addresses)) != len(addresses):
            raise InvalidValue("An issue is addressed twice.")
        promise = cls(
            municipalities=list(municipalities),
            police_district=police_district,
            starts_on=starts_on,
            ends_on=ends_on,
            title=title,
            text=text,
            addresses=list(addresses),
            follow_up_cadence=follow_up_cadence,
            actor=actor,
        )
        for activity in activities:
            promise.plan_activity(activity, actor)
        return promise

    PromiseDrafted: TypeAlias = promise_events.PromiseDrafted

    @event(PromiseDrafted)
    def __init__(
        self,
        *,
        municipalities: list[str],
        police_district: str,
        starts_on: date,
        ends_on: date,
        title: str,
        text: str,
        addresses: list[UUID],
        follow_up_cadence: Cadence,
        actor: Actor,
    ) -> None:
        self.municipalities: list[str] = list(municipalities)
        self.police_district = police_district
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.title = title
        self.text = text
        self.addresses: list[UUID] = list(addresses)
        self.follow_up_cadence = follow_up_cadence
        self.status = PromiseStatus.DRAFT
        self.activities: dict[UUID, Activity] = {}
        self.signatures: list[Signature] = []
        self.follow_ups: dict[UUID, FollowUp] = {}
        #: The follow-ups in the order they were recorded (a tie of days goes to the later).
        self.records: list[UUID] = []
        self.feedback: list[Feedback] = []
        self.issued_on: date | None = None
        self.outcome: Outcome | None = None
        self.conclusion_summary: str | None = None
        self.concluded_on: date | None = None
        self.withdrawal_reason: str | None = None

    def plan_activity(self, activity: ActivityInput, actor: Actor) -> UUID:
        """Add an activity; only while the promise is a draft, since the signed text is fixed."""
        self._require_draft("add an activity to")
        check_activity_due(activity.due_on, self.starts_on, self.ends_on)
        activity_id = uuid4()
        self._plan_activity(
            activity_id=activity_id,
            description=activity.description,
            responsible=activity.responsible,
            responsible_name=activity.responsible_name,
            due_on=activity.due_on,
            actor=actor,
        )
        return activity_id

    ActivityPlanned: TypeAlias = promise_events.ActivityPlanned

    @event(ActivityPlanned)
    def _plan_activity(
        self,
        activity_id: UUID,
        description: str,
        responsible: Responsible,
        responsible_name: str | None,
        due_on: date,
        actor: Actor,
    ) -> None:
        self.activities[activity_id] = Activity(
            id=activity_id,
            description=description,
            responsible=responsible,
            responsible_name=responsible_name,
            due_on=due_on,
        )

    def amend(self, *, changes: Mapping[str, Any], reason: str, actor: Actor) -> None:
        """Amend a draft: its period, text, addresses or cadence. The signatures given so far
        signed another text, so the amendment clears them (and lists them)."""
        require_reason(reason)
        self._require_draft("amend")
        current: dict[str, Any] = {
            "police_district": self.police_district,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "title": self.title,
            "text": self.text,
            "addresses": list(self.addresses),
            "follow_up_cadence": self.follow_up_cadence,
        }
        changed = changes_of(changes, current)
        new = {**current, **changed}
        check_period(new["starts_on"], new["ends_on"])
        for activity in self.activities.values():
            check_activity_due(activity.due_on, new["starts_on"], new["ends_on"])
        if "addresses" in changed:
            addresses = list(changed["addresses"])
            if not addresses:
                raise DomainError(
                    "A promise must address at least one prioritised issue: say which "
                    "problems it answers."
                )
            if len(set(addresses)) != len(addresses):
                raise InvalidValue("An issue is addressed twice.")
            changed["addresses"] = addresses
        cleared = [
            {
                "party": s.party.value,
                "municipality": s.municipality,
                "name": s.name,
                "title": s.title,
                "signed_on": s.signed_on.isoformat(),
            }
            for s in self.signatures
        ]
        self.trigger_event(
            self.PromiseAmended,
            **changed,
            signatures_cleared=cleared,
            reason=reason,
            actor=actor,
        )

    class PromiseAmended(Correction):
        """A draft was amended (only the fields changed); the signatures given so far are
        cleared, and `signatures_cleared` lists them."""

        TOPIC = "loften:Promise.PromiseAmended"
        KEYS = ("signatures_cleared",)

        signatures_cleared: list[dict[str, Any]]

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Promise)
            for name, value in self.changed().items():
                setattr(aggregate, name, list(value) if name == "addresses" else value)
            aggregate.signatures = []

    # -- signing and issuing ----------------------------------------------------

    def sign(
        self,
        *,
        party: Party,
        municipality: str | None,
        name: str,
        title: str,
        signed_on: date,
        today: date,
        actor: Actor,
    ) -> None:
        """Sign for one party: one police signature, one per municipality, any partners."""
        self._require_draft("sign")
        if signed_on > today:
            raise DomainError(f"signed_on {signed_on} is in the future (today is {today}).")
        if party is Party.MUNICIPALITY:
            if municipality is None:
                raise InvalidValue("A municipality signature must say which municipality signs.")
            if municipality not in self.municipalities:
                raise InvalidValue(
                    f"Municipality {municipality} is not a party to this promise "
                    f"(its municipalities are {', '.join(self.municipalities)})."
                )
        elif municipality is not None:
            raise InvalidValue("Only a municipality signature names a municipality.")
        if party is not Party.PARTNER:
            for signature in self.signatures:
                if signature.party is party and signature.municipality == municipality:
                    who = "the police" if party is Party.POLICE else f"municipality {municipality}"
                    raise DomainError(
                        f"The promise is already signed for {who} (by {signature.name})."
                    )
        self._sign(
            party=party,
            municipality=municipality,
            name=name,
            title=title,
            signed_on=signed_on,
            actor=actor,
        )

    PromiseSigned: TypeAlias = promise_events.PromiseSigned

    @event(PromiseSigned)
    def _sign(
        self,
        party: Party,
        municipality: str | None,
        name: str,
        title: str,
        signed_on: date,
        actor: Actor,
    ) -> None:
        self.signatures.append(
            Signature(
                party=party, municipality=municipality, name=name, title=title, signed_on=signed_on
            )
        )

    def missing_for_issuance(self) -> list[str]:
        """What still stands between this draft and issuance, in words a person can act on."""
        missing: list[str] = []
        if not any(s.party is Party.POLICE for s in self.signatures):
            missing.append("the police signature")
        signed = {s.municipality for s in self.signatures if s.party is Party.MUNICIPALITY}
        missing.extend(
            f"the signature of municipality {code}"
            for code in self.municipalities
            if code not in signed
        )
        if not self.activities:
            missing.append("at least one activity")
        return missing

    def issue(self, *, issued_on: date, today: date, actor: Actor) -> None:
        """Issue (publish) the signed promise and schedule its follow-ups."""
        self._require_draft("issue")
        missing = self.missing_for_issuance()
        if missing:
            raise DomainError(f"The promise cannot be issued yet: it needs {'; '.join(missing)}.")
        if issued_on > today:
            raise DomainError(f"issued_on {issued_on} is in the future (today is {today}).")
        last_signed = max(s.signed_on for s in self.signatures)
        if issued_on < last_signed:
            raise DomainError(
                f"The promise was issued on {issued_on}, before it was signed on {last_signed}."
            )
        if issued_on > self.ends_on:
            raise DomainError(
                f"The promise was issued on {issued_on}, after its period ended on {self.ends_on}."
            )
        self._issue(issued_on=issued_on, actor=actor)
        regular, final = follow_up_dates(
            self.follow_up_cadence, self.starts_on, self.ends_on, issued_on
        )
        for due_on in regular:
            self._schedule_follow_up(follow_up_id=uuid4(), due_on=due_on, final=False, actor=actor)
        self._schedule_follow_up(follow_up_id=uuid4(), due_on=final, final=True, actor=actor)

    PromiseIssued: TypeAlias = promise_events.PromiseIssued

    @event(PromiseIssued)
    def _issue(self, issued_on: date, actor: Actor) -> None:
        self.status = PromiseStatus.ISSUED
        self.issued_on = issued_on

    FollowUpScheduled: TypeAlias = promise_events.FollowUpScheduled

    @event(FollowUpScheduled)
    def _schedule_follow_up(
        self, follow_up_id: UUID, due_on: date, final: bool, actor: Actor
    ) -> None:
        self.follow_ups[follow_up_id] = FollowUp(
            id=follow_up_id, due_on=due_on, final=final, first_due_on=due_on
        )

    # -- follow-up --------------------------------------------------------------

    def record_follow_up(
        self,
        *,
        follow_up_id: UUID,
        held_on: date,
        summary: str,
        activities: list[ActivityReport],
        today: date,
        actor: Actor,
    ) -> None:
        """Record a follow-up: per activity a status and a comment."""
        self._require_issued("record a follow-up of")
        follow_up = self.follow_up(follow_up_id)
        if follow_up.status is FollowUpStatus.DONE:
            raise DomainError(
                f"The follow-up due {follow_up.due_on} was already recorded "
                f"(held {follow_up.held_on}); a follow-up is recorded once."
            )
        self._check_after_issuance(held_on, "The follow-up was held on")
        if held_on > today:
            raise DomainError(f"held_on {held_on} is in the future (today is {today}).")
        self._check_reports(activities)
        self._record_follow_up(
            follow_up_id=follow_up_id,
            held_on=held_on,
            summary=summary,
            activities=list(activities),
            actor=actor,
        )

    FollowUpRecorded: TypeAlias = promise_events.FollowUpRecorded

    @event(FollowUpRecorded)
    def _record_follow_up(
        self,
        follow_up_id: UUID,
        held_on: date,
        summary: str,
        activities: list[ActivityReport],
        actor: Actor,
    ) -> None:
        follow_up = self.follow_ups[follow_up_id]
        follow_up.status = FollowUpStatus.DONE
        follow_up.held_on = held_on
        follow_up.summary = summary
        follow_up.reports = list(activities)
        self.records.append(follow_up_id)
        for report in activities:
            activity = self.activities[report.activity_id]
            if speaks_for_activity(activity.reported_on, held_on):
                activity.status = report.status
                activity.comment = report.comment
                activity.reported_on = held_on

    def correct_follow_up(
        self,
        *,
        follow_up_id: UUID,
        changes: Mapping[str, Any],
        reason: str,
        today: date,
        actor: Actor,
    ) -> None:
        """Correct a follow-up that was recorded: the day held, the summary, the reports."""
        require_reason(reason)
        follow_up = self.follow_up(follow_up_id)
        if follow_up.status is not FollowUpStatus.DONE:
            raise DomainError(
                f"The follow-up due {follow_up.due_on} is not recorded yet: record it rather "
                "than correct it."
            )
        current: dict[str, Any] = {
            "held_on": follow_up.held_on,
            "summary": follow_up.summary,
            "activities": list(follow_up.reports),
        }
        changed = changes_of(changes, current)
        if "held_on" in changed:
            held_on = changed["held_on"]
            self._check_after_issuance(held_on, "The follow-up was held on")
            if held_on > today:
                raise DomainError(f"held_on {held_on} is in the future (today is {today}).")
            if follow_up.final and self.concluded_on is not None and self.concluded_on < held_on:
                raise DomainError(
                    f"The promise was concluded on {self.concluded_on}, before its final "
                    f"follow-up was held on {held_on}."
                )
        if "activities" in changed:
            self._check_reports(changed["activities"])
            changed["activities"] = list(changed["activities"])
        self.trigger_event(
            self.FollowUpCorrected, follow_up_id=follow_up_id, **changed, reason=reason, actor=actor
        )

    class FollowUpCorrected(Correction):
        """A recorded follow-up was corrected (only the fields changed); each activity's
        latest status is worked out again from every follow-up as it now stands."""

        TOPIC = "loften:Promise.FollowUpCorrected"
        KEYS = ("follow_up_id",)

        follow_up_id: UUID

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Promise)
            follow_up = aggregate.follow_ups[self.follow_up_id]
            changed = self.changed()
            if "held_on" in changed:
                follow_up.held_on = changed["held_on"]
            if "summary" in changed:
                follow_up.summary = changed["summary"]
            if "activities" in changed:
                follow_up.reports = list(changed["activities"])
            aggregate.restate_activities()

    def restate_activities(self) -> None:
        """Each activity's latest status, from every follow-up as it stands now: the latest
        by the day held speaks, a tie going to the later record (as when recording)."""
        for activity in self.activities.values():
            activity.status, activity.comment, activity.reported_on = (
                ActivityStatus.NOT_STARTED,
                None,
                None,
            )
        for follow_up_id in self.records:
            follow_up = self.follow_ups[follow_up_id]
            assert follow_up.held_on is not None
            for report in follow_up.reports:
                activity = self.activities[report.activity_id]
                if speaks_for_activity(activity.reported_on, follow_up.held_on):
                    activity.status = report.status
                    activity.comment = report.comment
                    activity.reported_on = follow_up.held_on

    def _check_reports(self, activities: Sequence[ActivityReport]) -> None:
        seen: set[UUID] = set()
        for report in activities:
            if report.activity_id not in self.activities:
                raise UnknownActivity(f"The promise has no activity {report.activity_id}.")
            if report.activity_id in seen:
                raise InvalidValue(f"Activity {report.activity_id} is reported twice.")
            seen.add(report.activity_id)

    def reschedule_follow_up(
        self, *, follow_up_id: UUID, due_on: date, reason: str, today: date, actor: Actor
    ) -> None:
        """Move a follow-up that is not done yet; the old date and the reason stay on record."""
        self._require_issued("reschedule a follow-up of")
        follow_up = self.follow_up(follow_up_id)
        if follow_up.status is FollowUpStatus.DONE:
            raise DomainError(
                f"The follow-up due {follow_up.due_on} is already done; it cannot be moved."
            )
        if due_on == follow_up.due_on:
            raise DomainError(f"The follow-up is already due on {due_on}.")
        if not reason.strip():
            raise InvalidValue("Say why the follow-up is moved.")
        self._check_reschedule_limit(follow_up, due_on)
        self._reschedule(
            follow_up_id=follow_up_id,
            previous_due_on=follow_up.due_on,
            due_on=due_on,
            reason=reason,
            rescheduled_on=today,
            actor=actor,
        )

    FollowUpRescheduled: TypeAlias = promise_events.FollowUpRescheduled

    @event(FollowUpRescheduled)
    def _reschedule(
        self,
        follow_up_id: UUID,
        previous_due_on: date,
        due_on: date,
        reason: str,
        rescheduled_on: date,
        actor: Actor,
    ) -> None:
        follow_up = self.follow_ups[follow_up_id]
        follow_up.reschedulings.append(
            Rescheduling(
                previous_due_on=previous_due_on,
                due_on=due_on,
                reason=reason,
                rescheduled_on=rescheduled_on,
            )
        )
        follow_up.due_on = due_on
        follow_up.status = status_after_rescheduling(
            follow_up.status, due_on, rescheduled_on, follow_up.overdue_marked_for
        )

    def _check_reschedule_limit(self, follow_up: FollowUp, due_on: date) -> None:
        """A follow-up cannot be pushed out of sight: the others not past the final one,
        the final one not more than a year past its first due date."""
        if follow_up.final:
            latest = add_years(follow_up.first_due_on, 1)
            if due_on > latest:
                raise DomainError(
                    f"The final follow-up cannot be moved to {due_on}: at most a year past "
                    f"its first due date {follow_up.first_due_on}, so {latest} at the latest."
                )
            return
        final = self.final_follow_up
        if final is not None and due_on > final.due_on:
            raise DomainError(
                f"The follow-up cannot be moved to {due_on}, past the final follow-up due on "
                f"{final.due_on}."
            )

    def overdue_follow_ups(self, today: date) -> list[FollowUp]:
        """Follow-ups whose due date has passed unrecorded and that are not yet marked for it."""
        if self.status is not PromiseStatus.ISSUED:
            return []
        return [
            f
            for f in self.follow_ups.values()
            if f.status is not FollowUpStatus.DONE
            and awaits_overdue_mark(f.due_on, f.overdue_marked_for, today)
        ]

    def mark_overdue(self, *, today: date, actor: Actor) -> list[UUID]:
        """Mark every missed follow-up overdue, once per follow-up and due date."""
        marked: list[UUID] = []
        for follow_up in self.overdue_follow_ups(today):
            self._mark_overdue(follow_up_id=follow_up.id, due_on=follow_up.due_on, actor=actor)
            marked.append(follow_up.id)
        return marked

    FollowUpOverdue: TypeAlias = promise_events.FollowUpOverdue

    @event(FollowUpOverdue)
    def _mark_overdue(self, follow_up_id: UUID, due_on: date, actor: Actor) -> None:
        follow_up = self.follow_ups[follow_up_id]
        follow_up.status = FollowUpStatus.OVERDUE
        follow_up.overdue_marked_for.append(due_on)

    # -- feedback, conclusion, withdrawal ----------------------------------------

    def publish_feedback(
        self, *, published_on: date, channel: str, summary: str, today: date, actor: Actor
    ) -> UUID:
        """Tell citizens what was done (återkoppling); any number of times while issued."""
        self._require_issued("publish feedback on")
        self._check_after_issuance(published_on, "The feedback was published on")
        if published_on > today:
            raise DomainError(f"published_on {published_on} is in the future (today is {today}).")
        feedback_id = uuid4()
        self._publish_feedback(
            feedback_id=feedback_id,
            published_on=published_on,
            channel=channel,
            summary=summary,
            actor=actor,
        )
        return feedback_id

    FeedbackPublished: TypeAlias = promise_events.FeedbackPublished

    @event(FeedbackPublished)
    def _publish_feedback(
        self, feedback_id: UUID, published_on: date, channel: str, summary: str, actor: Actor
    ) -> None:
        self.feedback.append(
            Feedback(id=feedback_id, published_on=published_on, channel=channel, summary=summary)
        )

    def correct_feedback(
        self,
        *,
        feedback_id: UUID,
        changes: Mapping[str, Any],
        reason: str,
        today: date,
        actor: Actor,
    ) -> None:
        """Correct feedback given to citizens: when, where or what was said."""
        require_reason(reason)
        feedback = self.feedback_item(feedback_id)
        current: dict[str, Any] = {
            "published_on": feedback.published_on,
            "channel": feedback.channel,
            "summary": feedback.summary,
        }
        changed = changes_of(changes, current)
        if "published_on" in changed:
            published_on = changed["published_on"]
            self._check_after_issuance(published_on, "The feedback was published on")
            if published_on > today:
                raise DomainError(
                    f"published_on {published_on} is in the future (today is {today})."
                )
        self.trigger_event(
            self.FeedbackCorrected, feedback_id=feedback_id, **changed, reason=reason, actor=actor
        )

    class FeedbackCorrected(Correction):
        """Feedback to citizens was corrected (only the fields changed)."""

        TOPIC = "loften:Promise.FeedbackCorrected"
        KEYS = ("feedback_id",)

        feedback_id: UUID

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Promise)
            feedback = aggregate.feedback_item(self.feedback_id)
            for name, value in self.changed().items():
                setattr(feedback, name, value)

    def feedback_item(self, feedback_id: UUID) -> Feedback:
        for feedback in self.feedback:
            if feedback.id == feedback_id:
                return feedback
        raise UnknownFeedback(f"The promise has no feedback {feedback_id}.")

    def conclude(
        self, *, outcome: Outcome, summary: str, concluded_on: date, today: date, actor: Actor
    ) -> None:
        """Close the promise with its outcome, once the final follow-up is done."""
        self._require_issued("conclude")
        final = self.final_follow_up
        if final is None or final.status is not FollowUpStatus.DONE:
            due = f" (due {final.due_on})" if final is not None else ""
            raise DomainError(
                f"The promise cannot be concluded before its final follow-up{due} is recorded."
            )
        self._check_after_issuance(concluded_on, "The promise was concluded on")
        if final.held_on is not None and concluded_on < final.held_on:
            raise DomainError(
                f"The promise was concluded on {concluded_on}, before its final follow-up "
                f"was held on {final.held_on}."
            )
        if concluded_on > today:
            raise DomainError(f"concluded_on {concluded_on} is in the future (today is {today}).")
        # The record of the promise must not depend on when the watcher last ran.
        self.mark_overdue(today=today, actor=actor)
        self._conclude(outcome=outcome, summary=summary, concluded_on=concluded_on, actor=actor)

    PromiseConcluded: TypeAlias = promise_events.PromiseConcluded

    @event(PromiseConcluded)
    def _conclude(self, outcome: Outcome, summary: str, concluded_on: date, actor: Actor) -> None:
        self.status = PromiseStatus.CONCLUDED
        self.outcome = outcome
        self.conclusion_summary = summary
        self.concluded_on = concluded_on

    def withdraw(self, *, reason: str, actor: Actor) -> None:
        """Withdraw a draft or an issued promise, with the reason on record."""
        self._require_open("withdraw")
        if not reason.strip():
            raise InvalidValue("Say why the promise is withdrawn.")
        self._withdraw(reason=reason, actor=actor)

    PromiseWithdrawn: TypeAlias = promise_events.PromiseWithdrawn

    @event(PromiseWithdrawn)
    def _withdraw(self, reason: str, actor: Actor) -> None:
        self.status = PromiseStatus.WITHDRAWN
        self.withdrawal_reason = reason

    # -- queries and guards -----------------------------------------------------

    @property
    def final_follow_up(self) -> FollowUp | None:
        return next((f for f in self.follow_ups.values() if f.final), None)

    def follow_up(self, follow_up_id: UUID) -> FollowUp:
        try:
            return self.follow_ups[follow_up_id]
        except KeyError:
            raise UnknownFollowUp(f"The promise has no follow-up {follow_up_id}.") from None

    def _check_after_issuance(self, day: date, what: str) -> None:
        """What happens under a promise (follow-ups, feedback, conclusion) comes after it
        was issued; `what` begins the sentence, e.g. "The follow-up was held on"."""
        if self.issued_on is not None and day < self.issued_on:
            raise DomainError(f"{what} {day}, before the promise was issued on {self.issued_on}.")

    def _require_open(self, verb: str) -> None:
        if self.status is PromiseStatus.WITHDRAWN:
            raise DomainError(
                f"Cannot {verb} the promise: it was withdrawn ({self.withdrawal_reason})."
            )
        if self.status is PromiseStatus.CONCLUDED:
            raise DomainError(
                f"Cannot {verb} the promise: it was concluded on {self.concluded_on}."
            )

    def _require_draft(self, verb: str) -> None:
        self._require_open(verb)
        if self.status is not PromiseStatus.DRAFT:
            raise DomainError(
                f"Cannot {verb} the promise: it was issued on {self.issued_on} and its signed "
                "text is fixed. Withdraw it and draft a new one to change it."
            )

    def _require_issued(self, verb: str) -> None:
        self._require_open(verb)
        if self.status is not PromiseStatus.ISSUED:
            raise DomainError(
                f"Cannot {verb} the promise: it is still a draft. Sign and issue it first."
            )
