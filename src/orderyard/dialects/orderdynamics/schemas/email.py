"""Emails API bodies: the e-mail log of a customer, and resend (the seed names only the paths)."""

from datetime import datetime

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.http.wire import Id

RESEND_MAX = 100
"""E-mails one resend may name."""


class ResendIn(WireIn):
    """The logged e-mails to send again (each once; all or none)."""

    email_ids: list[Id] = Field(min_length=1, max_length=RESEND_MAX)


class EmailOut(WireOut):
    """One e-mail of the log."""

    email_id: int
    template: str = Field(description="order_confirmation, shipment_shipped or return_received.")
    to: str = Field(description="The recipient ('' once the customer was forgotten).")
    subject: str
    status: str = Field(description="queued, sent or failed (given up after 6 tries).")
    attempts: int
    last_error: str = Field(description="The SMTP server's last refusal ('' once sent).")
    next_try_date_time_utc: datetime | None
    created_date_time_utc: datetime
    sent_date_time_utc: datetime | None
    event_id: str | None = Field(description="The event that called for it (evt_<n>).")
    resend_of_email_id: int | None = Field(description="The e-mail this one sends again.")
    internal_order_id: int | None
    order_number: str


class ResendOut(WireOut):
    """The new sends, queued in the order named (the worker sends them on its next pass)."""

    emails: list[EmailOut]
