"""Sending e-mails: turn the event log into the e-mail log, then send what is due over SMTP.

One pass (``send_pending``) runs in the job worker's loop when SMTP is configured (never
otherwise: the log does not grow and nothing is sent). A short transaction reads the new
events that call for an e-mail, renders and logs them, and leases the due ones; they are
sent outside any transaction (``smtplib`` in a thread, one connection per pass) and each
outcome is recorded in a second. A failed send is tried again with backoff
(``domain.email.next_try``) and given up after ``MAX_ATTEMPTS``; the log keeps the tries and
the last error.
"""

import asyncio
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from orderyard.domain.email import TEMPLATE_OF_KIND, DueEmail, next_try, render
from orderyard.kit.clock import utcnow
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork

LEASE = timedelta(minutes=5)
"""How long a claimed e-mail is a worker's: beyond a pass's sends at their timeout."""
BATCH = 100
"""E-mails claimed and sent together in one pass (over one SMTP connection)."""


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where and how to send: the SMTP server, its login, and the sender's address."""

    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    starttls: bool = False
    from_address: str = "orderyard@localhost"
    timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class EmailSender:
    """What a worker needs to send e-mails."""

    smtp: SmtpConfig
    lease: timedelta = LEASE
    batch: int = BATCH


def message_of(due: DueEmail, sender: str) -> EmailMessage:
    """The message of one logged e-mail (text, with its HTML alternative when it has one)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = due.to
    message["Subject"] = due.subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Orderyard-Email-Id"] = str(due.id)
    message.set_content(due.text)
    if due.html:
        message.add_alternative(due.html, subtype="html")
    return message


def send_all(config: SmtpConfig, batch: Sequence[DueEmail]) -> list[str]:
    """Send ``batch`` over one connection; each e-mail's error ('' when accepted).

    Blocking (run it in a thread). A connection or login that fails fails every e-mail.
    """
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as client:
            if config.starttls:
                client.starttls(context=ssl.create_default_context())
            if config.username:
                client.login(config.username, config.password)
            return [_send_one(client, config, due) for due in batch]
    except (OSError, smtplib.SMTPException) as failure:
        return [_describe(failure)] * len(batch)


def _send_one(client: smtplib.SMTP, config: SmtpConfig, due: DueEmail) -> str:
    try:
        client.send_message(message_of(due, config.from_address))
    except smtplib.SMTPServerDisconnected:
        raise
    except smtplib.SMTPException as failure:
        client.rset()
        return _describe(failure)
    except (ValueError, UnicodeError) as failure:  # an address no message can carry
        return _describe(failure)
    return ""


def _describe(failure: BaseException) -> str:
    if isinstance(failure, smtplib.SMTPRecipientsRefused):
        answers = failure.recipients.values()
        return "; ".join(f"{code} {_text(text)}" for code, text in answers)[:500]
    if isinstance(failure, smtplib.SMTPResponseException):
        return f"{failure.smtp_code} {_text(failure.smtp_error)}"[:500]
    return f"{type(failure).__name__}: {failure}"[:500]


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else answer


async def send_pending(engines: Engines, sender: EmailSender) -> int:
    """Log the e-mails new events call for, then send every due one; how many were tried."""
    async with SystemUnitOfWork(engines.write) as system:
        now = utcnow()
        facts = await system.email_queue.new_facts()
        await system.email_queue.log(
            [(one, render(TEMPLATE_OF_KIND[one.kind], one.values)) for one in facts], now
        )
        claimed = await system.email_queue.claim(now, lease=sender.lease, limit=sender.batch)
        await system.commit()
    if not claimed:
        return 0
    errors = await asyncio.to_thread(send_all, sender.smtp, claimed)
    async with SystemUnitOfWork(engines.write) as system:
        now = utcnow()
        outcomes = list(zip(claimed, errors, strict=True))
        await system.email_queue.sent([due for due, error in outcomes if not error], now)
        for due, error in outcomes:
            if error:
                await system.email_queue.failed(
                    due, error=error, next_try_at=next_try(due.attempts, now)
                )
        await system.commit()
    return len(claimed)
