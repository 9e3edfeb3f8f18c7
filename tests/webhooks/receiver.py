"""A real HTTP endpoint for webhook tests: records every post, refuses the first few."""

import asyncio
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Received:
    """One post as the receiver saw it."""

    headers: dict[str, str]
    body: bytes
    sender_port: int = 0
    """The port the post came from: which process sent it (``tests/scale/balancer.py``)."""

    @property
    def document(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """Answers 500 to the first ``fail_first`` posts, then 200; keeps every post."""

    fail_first: int = 0
    delay: float = 0.0
    """Seconds the endpoint takes to answer (a slow receiver)."""
    posts: list[Received] = field(default_factory=list)
    server: asyncio.Server | None = None
    answering: asyncio.Event = field(default_factory=asyncio.Event)
    """Cleared by ``hold``: posts are received but not answered until ``release``."""

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hooks"

    async def start(self) -> "Receiver":
        self.answering.set()
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")[1:]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                port = int(writer.get_extra_info("peername")[1])
                self.posts.append(Received(headers, body, port))
                if self.delay:
                    await asyncio.sleep(self.delay)
                await self.answering.wait()
                ok = len(self.posts) > self.fail_first
                status = b"200 OK" if ok else b"500 Internal Server Error"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def hold(self) -> None:
        """Keep the posts that arrive from now on waiting: their senders are mid-delivery."""
        self.answering.clear()

    def release(self) -> None:
        """Answer the held posts, and the next ones at once."""
        self.answering.set()

    def accepted(self) -> list[Received]:
        """The posts answered 200, in arrival order."""
        return self.posts[self.fail_first :]


def verified(secret: str, received: Received) -> bool:
    """The README's check: HMAC-SHA256 over ``"<t>." + body`` equals the header's ``v1``."""
    parts = dict(item.split("=", 1) for item in received.headers["orderyard-signature"].split(","))
    signed = parts["t"].encode() + b"." + received.body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
