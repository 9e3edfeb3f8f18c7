"""A real SMTP server for the tests (aiosmtpd in a thread) that can refuse its first messages."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One message the server accepted."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        """The plain-text body."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    @property
    def html(self) -> str:
        """The HTML alternative ('' when none)."""
        part = self.message.get_body(preferencelist=("html",))
        return "" if part is None else str(part.get_content())


@dataclass
class Handler:
    """Accepts messages, answering ``451`` to the first ``refuse_first`` of them."""

    refuse_first: int = 0
    refused: int = 0
    accepted: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.accepted.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """The server, started on a free local port; ``stop`` ends it."""

    def __init__(self, *, refuse_first: int = 0) -> None:
        self.handler = Handler(refuse_first=refuse_first)
        self.port = free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def accepted(self) -> list[Received]:
        return self.handler.accepted
