"""The mail server reminders go through, from `LOFTEN_SMTP_URL` (the standard library's smtplib).

`smtp://host:25`, `smtp://user:password@host:587?starttls=true` or
`smtps://user:password@host:465`; a user and password in the URL are percent-decoded.
Each message opens its own connection: reminders are a few a day, and a connection
kept open would only time out between them.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from infra.metrics import REMINDERS
from workflow.application import Loftesboken
from workflow.reminders import ReminderSender
from workflow.settings import ConfigurationError, Settings

TIMEOUT_SECONDS = 30.0


class SmtpMailer:
    """Hands each message to one SMTP server; raises if it was not accepted."""

    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigurationError(
                "LOFTEN_SMTP_URL must look like smtp://host:25, "
                "smtp://user:password@host:587?starttls=true or smtps://user:password@host:465"
            )
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        query = parse_qs(parts.query)
        self.starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        self.timeout = timeout

    def send(self, message: EmailMessage, accepted: Callable[[], None]) -> None:
        """Send `message`; `accepted()` runs once the server took it, before QUIT, so a
        crash after acceptance has only the record's commit left to lose."""
        smtp: smtplib.SMTP
        if self.tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                smtp.starttls()
            if self.user is not None:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
            accepted()
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):  # the message's fate is already known
                smtp.close()


def mailer_from(settings: Settings) -> SmtpMailer | None:
    """The configured mail server, or None: reminders are then recorded but not sent."""
    if settings.smtp_url is None:
        return None
    return SmtpMailer(settings.smtp_url.get_secret_value())


def reminder_sender(app: Loftesboken, settings: Settings) -> ReminderSender:
    """The reminder sender the settings describe (its mail server, sender, link base)."""
    return ReminderSender(
        app,
        mailer_from(settings),
        sender=settings.reminder_from,
        base_url=settings.public_base_url,
        on_outcome=lambda outcome: REMINDERS.labels(outcome=outcome).inc(),
    )
