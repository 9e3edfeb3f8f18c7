"""E-mails to customers: which events call for one, their templates, and how a send is retried.

The event log (``events``) is the e-mail outbox, as it is the webhooks': a change that calls
for an e-mail already records its event, so sending adds no write to any change (not to an
order's placement). The job worker turns those events into the e-mail log (``emails``) and
sends it over SMTP.

Templates are shipped in ``orderyard/domain/email_templates``: ``<template>.txt`` (the first
line is the subject, then a blank line, then the plain-text body) and an optional
``<template>.html`` (the HTML alternative), read with :class:`string.Template` (``$name``).
Every variable a template may use is in ``VARIABLES``; HTML gets its values escaped.
"""

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from string import Template

from orderyard.domain.errors import InvalidRequestError


class EmailTemplate(StrEnum):
    """The e-mails Orderyard sends, one per kind of event that calls for it."""

    order_confirmation = "order_confirmation"
    shipment_shipped = "shipment_shipped"
    return_received = "return_received"


class EmailStatus(StrEnum):
    """Where an e-mail of the log is: to send (again), sent, or given up."""

    queued = "queued"
    sent = "sent"
    failed = "failed"


class EmailSort(StrEnum):
    """The columns a customer's e-mail log sorts by (the id breaks ties)."""

    id = "id"
    created_at = "created_at"
    status = "status"
    template = "template"


TEMPLATE_OF_KIND: Mapping[str, EmailTemplate] = {
    "order_placed": EmailTemplate.order_confirmation,
    "shipment_shipped": EmailTemplate.shipment_shipped,
    "return_received": EmailTemplate.return_received,
}
"""The event kinds that call for an e-mail. An imported order (``order_imported``) is history
from another system and sends none; a shipment shipped without a tracking number sends none."""

VARIABLES: tuple[str, ...] = (
    "account_name",
    "order_number",
    "customer_name",
    "order_total",
    "currency",
    "order_status",
    "carrier",
    "tracking_number",
    "return_id",
    "return_outcome",
)
"""What a template may use (every one is set for every template; empty when not known)."""

MAX_ATTEMPTS = 6
"""Tries of one e-mail before it is given up (the first and five retries)."""
BACKOFF_BASE = timedelta(minutes=1)
"""The pause after the first failure; each next one doubles: 1, 2, 4, 8, 16 minutes."""
FORGOTTEN_ERROR = "customer forgotten"
"""The last error of an e-mail still queued when its customer was forgotten (never sent)."""


@dataclass(frozen=True, slots=True)
class EmailFacts:
    """What an event that calls for an e-mail says, gathered from its order (the outbox read)."""

    account_id: int
    event_id: int
    kind: str
    order_id: int
    to: str
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Rendered:
    """An e-mail ready to log and send."""

    template: EmailTemplate
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Email:
    """One e-mail of the log."""

    id: int
    template: str
    to: str
    subject: str
    status: EmailStatus
    attempts: int
    last_error: str
    next_try_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    event_id: int | None
    resend_of: int | None
    order_id: int | None
    order_number: str


@dataclass(frozen=True, slots=True)
class DueEmail:
    """An e-mail a worker has claimed to send."""

    id: int
    account_id: int
    to: str
    subject: str
    text: str
    html: str
    attempts: int


@cache
def _source(name: str) -> str | None:
    found = resources.files(__package__).joinpath("email_templates", name)
    return found.read_text(encoding="utf-8") if found.is_file() else None


def render(template: EmailTemplate, values: Mapping[str, str]) -> Rendered:
    """The subject and bodies of ``template`` with ``values`` (every name of ``VARIABLES``)."""
    source = _source(f"{template.value}.txt")
    if source is None:
        raise LookupError(f"no template {template.value}.txt")
    text = Template(source).substitute(values)
    subject, _, body = text.partition("\n\n")
    markup = _source(f"{template.value}.html")
    escaped = {name: html.escape(value) for name, value in values.items()}
    return Rendered(
        template=template,
        subject=" ".join(subject.split()),
        text=body.strip() + "\n",
        html=Template(markup).substitute(escaped) if markup is not None else "",
    )


def next_try(attempts: int, now: datetime) -> datetime | None:
    """When to try again after ``attempts`` failed tries; None when it is given up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + BACKOFF_BASE * (1 << max(0, attempts - 1))


def customer_name(first: str, last: str) -> str:
    """How a message greets the customer (``customer`` when no name is known)."""
    return " ".join(part for part in (first.strip(), last.strip()) if part) or "customer"


def check_resend_ids(ids: list[int]) -> list[int]:
    """The e-mails to resend, each once, in the order given.

    Raises:
        InvalidRequestError: no id at all.
    """
    if not ids:
        raise InvalidRequestError("name at least one e-mail", field="EmailIds")
    return list(dict.fromkeys(ids))
