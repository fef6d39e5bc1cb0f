"""The commands on promises: drafting to conclusion, follow-ups, feedback and corrections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain.promise import Promise
from domain.values import (
    ActivityInput,
    ActivityReport,
    Actor,
    Cadence,
    Outcome,
    Party,
)
from workflow.cross_checks import CrossChecks


class PromiseCommands(CrossChecks):
    """Promises (medborgarlöften), each command a few lines that hand over to the aggregate."""

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
