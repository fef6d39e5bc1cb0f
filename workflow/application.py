"""The Löftesboken application: one method per command of the process.

Each command loads the aggregates it needs, checks the rules that span aggregates
(evidence must exist in the same municipality, a promise addresses prioritised
issues of its own municipalities), lets the aggregate enforce its own rules, and
saves the new events. A save that loses a race is retried against the new state,
unless the client pinned a version with If-Match. Writers to one aggregate take turns
(`workflow.turns`), so that retry is a backstop rather than the way to get through.
A request with an `Idempotency-Key` has its key recorded with the events of its first
save (`workflow.keys`).

The commands are grouped by aggregate, in the order of the process:
`workflow.dialogue_commands`, `workflow.issue_commands`, `workflow.promise_commands`;
the reads across aggregates they share are in `workflow.cross_checks`, and loading and
saving in `workflow.aggregates`. This class composes them, so the API, the workspace
and the CLI call every command on one application; the reminder settings are here
until they make a group of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.reminders import ReminderRecipients, recipients_id
from domain.values import Actor
from workflow.aggregates import MAX_ATTEMPTS
from workflow.dialogue_commands import DialogueCommands
from workflow.errors import NotFound, TooMuchContention
from workflow.issue_commands import IssueCommands
from workflow.promise_commands import PromiseCommands


class Loftesboken(DialogueCommands, IssueCommands, PromiseCommands):
    """The system of record for medborgarlöften."""

    name = "loften"

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
