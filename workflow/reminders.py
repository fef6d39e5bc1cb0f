"""Deadline reminders: one e-mail 14 days before a follow-up is due, one the day after it is missed.

What is due to be sent is derived from the events: the issued promises (found in the
notification log, as the deadline watcher finds them) and, per municipality, the
reminders already recorded on its `ReminderRecipients` aggregate. A reminder is sent
first and recorded after (`ReminderRecorded`, at most once per follow-up, kind and due
date, refused by the aggregate a second time), so:

- a crash before the mail server accepted the message sends it again at the next
  check, once: the server kept nothing;
- a crash between the server's acceptance and the record sends it once more at the
  next check, with the same `Message-ID` (derived from the key, so a mail system or
  reader can tell the copies apart) and the same content. The window is as small as
  the sender can make it: the record is written the moment the server's `250` for the
  message arrives (`Mailer.send(..., accepted=...)`), before the SMTP goodbye, so it
  spans one local commit and no network round trip. Recording first (a "sending"
  mark) would not close it: a crash after the mark could not tell a message the
  server accepted from one it never got, so it would have to send again anyway, or
  lose the reminder; a reminder that never comes is worse than one that comes twice;
- several workers are kept to one sender by the worker's lease (`reminders`), and a
  second sender that still slips in loses the aggregate's version race and re-checks.

With no mail server configured (`LOFTEN_SMTP_URL`) reminders are recorded as due
(`sent=False`) and not sent, so switching sending on later does not mail the past.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol
from uuid import UUID

from eventsourcing.application import LocalNotificationLog
from eventsourcing.system import NotificationLogReader

from domain.events import topic_of
from domain.promise import FollowUp, Promise
from domain.reference import municipality
from domain.reminders import MISSED, REMIND_DAYS_BEFORE, UPCOMING, ReminderRecipients
from domain.values import Actor as ActorValue
from domain.values import FollowUpStatus, PromiseStatus, Role
from workflow.application import Loftesboken

log = logging.getLogger(__name__)

REMINDER_ACTOR = ActorValue(label="reminders", role=Role.SYSTEM)
#: A missed follow-up is reminded of up to a week after its due date, not later: a
#: server started long after (or a restored store) does not mail months-old misses.
MISSED_WINDOW_DAYS = 7
PAGE = 10_000
PROMISE_TOPICS = tuple(
    topic_of(c) for c in (Promise.PromiseIssued, Promise.PromiseConcluded, Promise.PromiseWithdrawn)
)
RESPONSIBLE_SV = {"police": "polisen", "municipality": "kommunen", "other": "annan aktör"}


class Mailer(Protocol):
    """Hands one message to a mail server; raises if the server did not accept it.

    `accepted` is called the moment the server has accepted the message, before the
    connection is closed, so the sender records it without waiting for the goodbye.
    """

    def send(self, message: EmailMessage, accepted: Callable[[], None]) -> None: ...


@dataclass(frozen=True)
class DueReminder:
    """One reminder to send: to one municipality, about one follow-up and due date."""

    municipality: str
    promise: Promise
    follow_up: FollowUp
    kind: str

    @property
    def message_id(self) -> str:
        return (
            f"<reminder.{self.follow_up.id}.{self.kind}.{self.follow_up.due_on.isoformat()}"
            f".{self.municipality}@loftesboken>"
        )


def reminder_kind(follow_up: FollowUp, today: date) -> str | None:
    """Which reminder, if any, a follow-up not yet done calls for today."""
    if follow_up.status is FollowUpStatus.DONE:
        return None
    due = follow_up.due_on
    if due - timedelta(days=REMIND_DAYS_BEFORE) <= today < due:
        return UPCOMING
    if due + timedelta(days=1) <= today <= due + timedelta(days=MISSED_WINDOW_DAYS):
        return MISSED
    return None


class ReminderSender:
    """Finds the reminders due today and sends (or, with no mailer, records) each once."""

    def __init__(
        self,
        app: Loftesboken,
        mailer: Mailer | None,
        *,
        sender: str = "loftesboken@localhost",
        base_url: str = "http://localhost:8000",
        on_outcome: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        #: Told "sent", "recorded" (no mail server) or "failed" per reminder (the metrics).
        self.on_outcome = on_outcome or (lambda outcome: None)
        self.mailer = mailer
        self.sender = sender
        self.base_url = base_url.rstrip("/")
        self._position = 0
        self._issued: set[UUID] = set()
        self._lock = threading.Lock()

    def check(self) -> int:
        """Send every reminder due now; how many this call recorded."""
        with self._lock:
            self._catch_up()
            recorded = 0
            for reminder in self.due():
                recorded += self._deliver(reminder)
            return recorded

    def due(self) -> list[DueReminder]:
        """The reminders due today that no municipality has recorded yet."""
        today = self.app.today
        found: list[DueReminder] = []
        recipients: dict[str, ReminderRecipients | None] = {}
        for promise_id in sorted(self._issued):
            promise = self.app.get_promise(promise_id)
            if promise.status is not PromiseStatus.ISSUED:
                continue
            for follow_up in sorted(promise.follow_ups.values(), key=lambda f: f.due_on):
                kind = reminder_kind(follow_up, today)
                if kind is None:
                    continue
                for code in promise.municipalities:
                    if code not in recipients:
                        recipients[code] = self._recipients(code)
                    mine = recipients[code]
                    if mine is None or not mine.addresses:
                        continue
                    if (follow_up.id, kind, follow_up.due_on) not in mine.reminded:
                        found.append(DueReminder(code, promise, follow_up, kind))
        return found

    def _recipients(self, code: str) -> ReminderRecipients | None:
        return self.app.reminder_recipients(code)

    def _deliver(self, reminder: DueReminder) -> int:
        recipients = self._recipients(reminder.municipality)
        if recipients is None or not recipients.addresses:
            return 0
        key = (reminder.follow_up.id, reminder.kind, reminder.follow_up.due_on)
        if key in recipients.reminded:
            return 0
        addresses = recipients.addresses
        outcome: list[bool] = []  # whether the record was new, once it was made

        def record() -> None:
            outcome.append(
                self.app.record_reminder(
                    reminder.municipality,
                    promise_id=reminder.promise.id,
                    follow_up_id=reminder.follow_up.id,
                    kind=reminder.kind,
                    due_on=reminder.follow_up.due_on,
                    addresses=addresses,
                    sent=self.mailer is not None,
                    actor=REMINDER_ACTOR,
                )
            )

        if self.mailer is None:
            record()
        else:
            try:
                self.mailer.send(self.message(reminder, addresses), accepted=record)
            except Exception:
                if not outcome:  # not accepted (or not recorded): sent again next check
                    self.on_outcome("failed")
                    raise
                log.warning("reminders: the mail server's goodbye failed after acceptance")
        if not outcome or not outcome[0]:
            return 0
        self.on_outcome("sent" if self.mailer is not None else "recorded")
        return 1

    def message(self, reminder: DueReminder, addresses: Sequence[str]) -> EmailMessage:
        """The reminder e-mail, in Swedish: the promise, the due date, its activities, a link."""
        promise, follow_up = reminder.promise, reminder.follow_up
        due = follow_up.due_on.isoformat()
        name = municipality(reminder.municipality).name
        link = f"{self.base_url}/arbete/loften/{promise.id}/uppfoljningar/{follow_up.id}"
        if reminder.kind == UPCOMING:
            subject = f"Påminnelse: uppföljning av medborgarlöftet ”{promise.title}” senast {due}"
            opening = f"Uppföljningen av medborgarlöftet ska göras senast {due}."
        else:
            subject = f"Missad uppföljning: medborgarlöftet ”{promise.title}” ({due})"
            opening = (
                f"Uppföljningen av medborgarlöftet skulle ha gjorts senast {due}"
                " och är inte registrerad."
            )
        activities = [
            f"- {a.description} (ansvarig: {RESPONSIBLE_SV[a.responsible.value]},"
            f" klart senast {a.due_on.isoformat()})"
            for a in promise.activities.values()
        ] or ["- (inga aktiviteter registrerade)"]
        body = "\n".join(
            [
                "Hej,",
                "",
                opening,
                "",
                f"Medborgarlöfte: {promise.title}",
                f"Kommun: {name} ({reminder.municipality})",
                f"Uppföljningens sista dag: {due}",
                "",
                "Aktiviteter:",
                *activities,
                "",
                f"Registrera uppföljningen här: {link}",
                "",
                "Det här meddelandet skickas automatiskt av Löftesboken till kommunens",
                "funktionsadress för påminnelser. Svara inte på det.",
            ]
        )
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(addresses)
        message["Subject"] = subject
        message["Message-ID"] = reminder.message_id
        message["Date"] = format_datetime(self.app.clock.now())
        message.set_content(body)
        return message

    def _catch_up(self) -> None:
        reader = NotificationLogReader(LocalNotificationLog(self.app.recorder, PAGE), PAGE)
        pages = reader.select(start=self._position, topics=PROMISE_TOPICS, inclusive_of_start=False)
        for notifications in pages:
            for notification in notifications:
                promise_id = UUID(str(notification.originator_id))
                if notification.topic == PROMISE_TOPICS[0]:
                    self._issued.add(promise_id)
                else:
                    self._issued.discard(promise_id)
                self._position = notification.id


class ReminderService:
    """Runs a `ReminderSender` in a background thread: at start, then every `interval` s."""

    def __init__(self, sender: ReminderSender, interval: float = 60.0) -> None:
        self.sender = sender
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="reminders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.sender.check()
                if sent:
                    log.info("reminders: %d recorded", sent)
            except Exception:  # a mail server down must not stop the loop; the next check retries
                log.exception("reminders: a check failed; retrying at the next interval")
            self._stop.wait(self.interval)
