"""Who hears about a municipality's deadlines: the functional addresses reminders go to.

A small aggregate of its own, one per municipality, because the setting is a fact an
auditor may ask about ("who was told that this follow-up was due, and since when?"):
each change is an event in the municipality's audit chain, with who made it. Its id
is derived from the municipality code (`recipients_id`), so there is never a second
one and nobody has to look it up.

Only functional addresses are meant (a team mailbox, not a person); the domain cannot
tell one from the other, so it checks that each is a well-formed address and keeps
them few, normalised and in a stable order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from email.errors import HeaderParseError
from email.headerregistry import Address
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue
from domain.reference import municipality
from domain.values import Actor

#: More than this many mailboxes per municipality is a mailing list's job, not ours.
MAX_RECIPIENTS = 10
MAX_ADDRESS_LENGTH = 254

#: A reminder 14 days before a follow-up's due date, and one the day after it is missed.
UPCOMING = "upcoming"
MISSED = "missed"
REMIND_DAYS_BEFORE = 14

ReminderKey = tuple[UUID, str, date]
"""(follow-up, kind, due date): at most one reminder each."""


def recipients_id(code: str) -> UUID:
    """The one `ReminderRecipients` id of a municipality."""
    return uuid5(NAMESPACE_URL, f"https://loftesboken.se/reminders/{code}")


def normalised_addresses(addresses: Sequence[str]) -> tuple[str, ...]:
    """The addresses checked, lower-cased, without duplicates, sorted; else `InvalidValue`."""
    found: set[str] = set()
    for raw in addresses:
        address = raw.strip().lower()
        if not _well_formed(address):
            raise InvalidValue(f"{raw!r} is not an e-mail address (name@domain.se).")
        found.add(address)
    if len(found) > MAX_RECIPIENTS:
        raise InvalidValue(f"At most {MAX_RECIPIENTS} addresses per municipality.")
    return tuple(sorted(found))


def _well_formed(address: str) -> bool:
    if not address or len(address) > MAX_ADDRESS_LENGTH or any(c.isspace() for c in address):
        return False
    try:
        parsed = Address(addr_spec=address)
    except (HeaderParseError, ValueError, IndexError):
        return False
    return (
        parsed.addr_spec == address
        and bool(parsed.username)
        and "." in parsed.domain
        and not parsed.domain.startswith(".")
        and not parsed.domain.endswith(".")
    )


class ReminderRecipients(Aggregate):
    """The functional addresses that receive one municipality's deadline reminders."""

    TOPIC = "loften:ReminderRecipients"

    class Created(Aggregate.Created):
        """Base of the creation event; only its named subclass is ever recorded."""

        TOPIC = "loften:ReminderRecipients.Created"

    @classmethod
    def first_set(
        cls, *, municipality_code: str, addresses: Sequence[str], actor: Actor
    ) -> ReminderRecipients:
        """The municipality's first setting (its id is `recipients_id(code)`)."""
        municipality(municipality_code)
        return cls(
            municipality=municipality_code,
            addresses=list(normalised_addresses(addresses)),
            actor=actor,
        )

    @classmethod
    def create_id(cls, municipality: str, **_: object) -> UUID:
        return recipients_id(municipality)

    class RecipientsSet(Created):
        """The municipality's reminder addresses were set for the first time."""

        TOPIC = "loften:ReminderRecipients.RecipientsSet"

        municipality: str
        addresses: list[str]
        actor: Actor

    @event(RecipientsSet)
    def __init__(self, *, municipality: str, addresses: list[str], actor: Actor) -> None:
        self.municipality = municipality
        self.addresses: tuple[str, ...] = tuple(addresses)
        self.reminded: set[ReminderKey] = set()

    def change(self, *, addresses: Sequence[str], actor: Actor) -> bool:
        """Set the addresses; the same set again records nothing (False). An empty list
        stops the reminders."""
        wanted = normalised_addresses(addresses)
        if wanted == self.addresses:
            return False
        self._change(addresses=list(wanted), actor=actor)
        return True

    class RecipientsChanged(Aggregate.Event):
        """The municipality's reminder addresses were replaced (empty: no reminders)."""

        TOPIC = "loften:ReminderRecipients.RecipientsChanged"

        addresses: list[str]
        actor: Actor

    @event(RecipientsChanged)
    def _change(self, *, addresses: list[str], actor: Actor) -> None:
        self.addresses = tuple(addresses)

    def record_reminder(
        self,
        *,
        promise_id: UUID,
        follow_up_id: UUID,
        kind: str,
        due_on: date,
        addresses: Sequence[str],
        sent: bool,
        actor: Actor,
    ) -> bool:
        """Record one reminder as sent (or, with no mail server, as due but not sent).

        At most once per follow-up, kind and due date: the second record of one is
        refused (False), which is what keeps a reminder from being sent twice.
        """
        if kind not in (UPCOMING, MISSED):
            raise InvalidValue(f"A reminder is {UPCOMING!r} or {MISSED!r}, not {kind!r}.")
        if (follow_up_id, kind, due_on) in self.reminded:
            return False
        self._remind(
            promise_id=promise_id,
            follow_up_id=follow_up_id,
            kind=kind,
            due_on=due_on,
            addresses=list(addresses),
            sent=sent,
            actor=actor,
        )
        return True

    class ReminderRecorded(Aggregate.Event):
        """A deadline reminder went to the addresses (`sent`), or was due with no mail server."""

        TOPIC = "loften:ReminderRecipients.ReminderRecorded"

        promise_id: UUID
        follow_up_id: UUID
        kind: str
        due_on: date
        addresses: list[str]
        sent: bool
        actor: Actor

    @event(ReminderRecorded)
    def _remind(
        self,
        *,
        promise_id: UUID,
        follow_up_id: UUID,
        kind: str,
        due_on: date,
        addresses: list[str],
        sent: bool,
        actor: Actor,
    ) -> None:
        self.reminded.add((follow_up_id, kind, due_on))
