"""Deadline reminders through a real SMTP server on loopback (aiosmtpd), on both stores.

The clock is moved, never waited on: 14 days before a follow-up's due date one
reminder, the day after it is missed one more, each exactly once however often the
sender checks, and a send the server refused is sent again, once, at the next check.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from domain.reminders import MISSED, UPCOMING, ReminderRecipients
from infra.mail import SmtpMailer
from tests.support.builders import issued_promise
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.reminders import REMINDER_ACTOR, ReminderSender
from workflow.settings import Settings

MALMO = "1280"
ADDRESS = "trygghet@malmo.se"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts; it can refuse the next ones,
    or (`hold`) keep the next one waiting until its client has gone, as a server that
    has not yet queued a message drops it when the sender dies mid-send."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message]] = []
        self.refuse = 0
        self.hold = False
        self.holding = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.hold:
            self.hold = False
            self.holding.set()
            for _ in range(6000):  # at most 60 s
                if server.transport is None or server.transport.is_closing():
                    return "451 4.4.2 Client gone before the message was queued"
                await asyncio.sleep(0.01)
            return "451 4.4.2 Timed out"
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        content = envelope.content
        assert isinstance(content, bytes)
        self.messages.append((envelope, message_from_bytes(content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, str]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def recorded(app: Loftesboken) -> list[Any]:
    recipients = app.reminder_recipients(MALMO)
    assert recipients is not None
    return [
        e
        for e in app.aggregate_events(recipients.id)
        if isinstance(e, ReminderRecipients.ReminderRecorded)
    ]


def test_one_reminder_before_and_one_after_a_missed_follow_up(
    app: Loftesboken, clock: FakeClock, inbox: tuple[Inbox, str]
) -> None:
    server, url = inbox
    promise_id = issued_promise(app)  # quarterly: first follow-up due 2025-03-31
    app.set_reminder_addresses(
        MALMO, [ADDRESS, "brottsforebyggande@malmo.se"], actor=REMINDER_ACTOR
    )
    sender = ReminderSender(
        app, SmtpMailer(url), sender="loftesboken@malmo.se", base_url="https://loften.malmo.se"
    )
    assert sender.check() == 0  # 2025-02-10: nothing due within 14 days

    clock.set(date(2025, 3, 17))  # 14 days before 2025-03-31
    assert sender.check() == 1
    assert sender.check() == 0
    clock.set(date(2025, 3, 31))
    assert sender.check() == 0
    [(envelope, message)] = server.messages
    assert sorted(envelope.rcpt_tos) == ["brottsforebyggande@malmo.se", ADDRESS]
    assert message["From"] == "loftesboken@malmo.se"
    assert "Tryggare Rosengård 2025" in message["Subject"]
    assert "2025-03-31" in message["Subject"]
    body = message.get_body().get_content()  # type: ignore[attr-defined]
    promise = app.get_promise(promise_id)
    follow_up = next(f for f in promise.follow_ups.values() if f.due_on == date(2025, 3, 31))
    assert "Minst tio trygghetsvandringar" in body
    assert (
        f"https://loften.malmo.se/arbete/loften/{promise_id}/uppfoljningar/{follow_up.id}" in body
    )

    clock.set(date(2025, 4, 1))  # the day after: missed
    assert sender.check() == 1
    assert ReminderSender(app, SmtpMailer(url)).check() == 0, (
        "a restarted sender sends nothing again"
    )
    assert len(server.messages) == 2
    assert "Missad uppföljning" in server.messages[1][1]["Subject"]
    assert [(e.kind, e.due_on, e.sent) for e in recorded(app)] == [
        (UPCOMING, date(2025, 3, 31), True),
        (MISSED, date(2025, 3, 31), True),
    ]


def test_a_send_the_server_refused_goes_again_once(
    app: Loftesboken, clock: FakeClock, inbox: tuple[Inbox, str]
) -> None:
    server, url = inbox
    issued_promise(app)
    app.set_reminder_addresses(MALMO, [ADDRESS], actor=REMINDER_ACTOR)
    outcomes: list[str] = []
    sender = ReminderSender(app, SmtpMailer(url), on_outcome=outcomes.append)
    clock.set(date(2025, 3, 17))
    server.refuse = 1
    with pytest.raises(Exception, match="Try again later"):
        sender.check()
    assert server.messages == [] and app.reminder_recipients(MALMO) is not None
    assert recorded(app) == []
    assert sender.check() == 1
    assert sender.check() == 0
    assert len(server.messages) == 1
    assert outcomes == ["failed", "sent"]


def test_with_no_mail_server_reminders_are_recorded_not_sent(
    app: Loftesboken, clock: FakeClock
) -> None:
    issued_promise(app)
    sender = ReminderSender(app, None)
    clock.set(date(2025, 3, 17))
    assert sender.check() == 0, "no addresses set: no one to remind"
    app.set_reminder_addresses(MALMO, [ADDRESS], actor=REMINDER_ACTOR)
    assert sender.check() == 1
    assert sender.check() == 0
    [event] = recorded(app)
    assert (event.kind, event.sent, event.addresses) == (UPCOMING, False, [ADDRESS])


def test_a_follow_up_done_in_time_gets_no_missed_reminder(
    app: Loftesboken, clock: FakeClock
) -> None:
    promise_id = issued_promise(app)
    app.set_reminder_addresses(MALMO, [ADDRESS], actor=REMINDER_ACTOR)
    sender = ReminderSender(app, None)
    follow_up = min(app.get_promise(promise_id).follow_ups.values(), key=lambda f: f.due_on)
    clock.set(date(2025, 3, 30))
    app.record_follow_up(
        promise_id,
        follow_up.id,
        held_on=date(2025, 3, 30),
        summary="Genomförd",
        activities=[],
        actor=REMINDER_ACTOR,
    )
    assert sender.check() == 0
    clock.set(date(2025, 4, 1))
    assert sender.check() == 0


SEND_ONCE = """
import sys
from datetime import date
from infra.bootstrap import open_application
from infra.mail import SmtpMailer
from workflow.clock import FakeClock
from workflow.reminders import ReminderSender
from workflow.settings import Settings
app = open_application(Settings(database_url=sys.argv[1]), FakeClock(date(2025, 3, 17)))
ReminderSender(app, SmtpMailer(sys.argv[2])).check()
"""


def test_a_sender_killed_mid_send_leaves_the_reminder_to_go_once_after_restart(
    app: Loftesboken, clock: FakeClock, settings: Settings, inbox: tuple[Inbox, str]
) -> None:
    server, url = inbox
    issued_promise(app)
    app.set_reminder_addresses(MALMO, [ADDRESS], actor=REMINDER_ACTOR)
    server.hold = True
    process = subprocess.Popen(
        [sys.executable, "-c", SEND_ONCE, settings.database_url, url],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        assert server.holding.wait(timeout=120), "the sender never reached DATA"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert recorded(app) == []

    clock.set(date(2025, 3, 17))
    restarted = ReminderSender(app, SmtpMailer(url))
    assert restarted.check() == 1
    assert restarted.check() == 0
    assert len(server.messages) == 1
    [event] = recorded(app)
    assert (event.kind, event.sent) == (UPCOMING, True)


SEND_AND_DIE_BEFORE_THE_RECORD = SEND_ONCE.replace(
    "ReminderSender(app, SmtpMailer(sys.argv[2])).check()",
    """
def accepted_then_killed(*args, **kwargs):
    print("accepted", flush=True)  # the server said 250; the record is not yet written
    sys.stdin.read()  # the test kills this process here
app.record_reminder = accepted_then_killed
ReminderSender(app, SmtpMailer(sys.argv[2])).check()
""",
)


def test_a_sender_killed_after_acceptance_sends_once_more_with_the_same_message_id(
    app: Loftesboken, clock: FakeClock, settings: Settings, inbox: tuple[Inbox, str]
) -> None:
    """The one window left: the server accepted, the record was not yet committed."""
    server, url = inbox
    issued_promise(app)
    app.set_reminder_addresses(MALMO, [ADDRESS], actor=REMINDER_ACTOR)
    process = subprocess.Popen(
        [sys.executable, "-c", SEND_AND_DIE_BEFORE_THE_RECORD, settings.database_url, url],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "accepted"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert len(server.messages) == 1 and recorded(app) == []

    clock.set(date(2025, 3, 17))
    restarted = ReminderSender(app, SmtpMailer(url))
    assert restarted.check() == 1
    assert restarted.check() == 0
    assert len(server.messages) == 2  # once more, and only once
    (_, first), (_, again) = server.messages
    assert first["Message-ID"] == again["Message-ID"]
    assert first.get_content() == again.get_content()
    [event] = recorded(app)
    assert (event.kind, event.sent) == (UPCOMING, True)
