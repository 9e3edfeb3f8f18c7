"""A small HTTP/1.1 client for webhook posts: keep-alive connections per endpoint, nothing else.

Why not a client library: measured in one run (2,000 keep-alive posts of a 530-byte body to
a local uvicorn endpoint, CPU of the posting process; docs/decisions.md has the command), this
costs about 0.2 ms of CPU a post, aiohttp 0.55 ms and httpx 3.0 ms, against the 4 ms the order
that caused the post costs the server, and an order makes more than one event. A webhook post
needs one method, a body, a status code and a time-out, so this sends just that, over a
connection kept open between posts to the same endpoint. It reads at most ``MAX_BODY`` bytes of
an answer (a receiver's body is never used), so an endpoint cannot make the worker hold a
large one.
"""

import asyncio
import ssl
from collections import defaultdict
from urllib.parse import urlsplit

Origin = tuple[str, str, int]
MAX_IDLE = 16
"""Open connections kept per endpoint between posts."""
MAX_BODY = 64 * 1024
"""The most of an answer's body read past; a longer one closes the connection instead."""


class HttpError(Exception):
    """The endpoint could not be reached or did not answer HTTP in time."""


class Poster:
    """Posts bodies and answers the status code; keeps connections open per endpoint."""

    def __init__(self, *, timeout: float) -> None:
        self._timeout = timeout
        self._idle: dict[Origin, list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]
        self._idle = defaultdict(list)
        self._tls = ssl.create_default_context()

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body`` to ``url``; the response's status code.

        Raises:
            HttpError: no connection, no answer within the time-out, or not HTTP.
        """
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        origin = (parts.scheme, parts.hostname or "", parts.port or (443 if secure else 80))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        head = [f"POST {target} HTTP/1.1", f"Host: {parts.netloc}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        try:
            async with asyncio.timeout(self._timeout):
                return await self._exchange(origin, request)
        except TimeoutError:
            raise HttpError(f"no answer within {self._timeout:g} s") from None
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
        ) as error:
            raise HttpError(f"{type(error).__name__}: {error}") from None

    async def _exchange(self, origin: Origin, request: bytes) -> int:
        idle = self._idle[origin]
        reused = bool(idle)
        reader, writer = idle.pop() if reused else await self._connect(origin)
        try:
            writer.write(request)
            await writer.drain()
            status, keep = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError):
            writer.close()
            if not reused:
                raise
            return await self._exchange(origin, request)  # the endpoint closed an idle one
        except BaseException:
            writer.close()
            raise
        if keep and len(idle) < MAX_IDLE:
            idle.append((reader, writer))
        else:
            writer.close()
        return status

    async def _connect(self, origin: Origin) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        scheme, host, port = origin
        tls = self._tls if scheme == "https" else None
        return await asyncio.open_connection(host, port, ssl=tls)

    async def aclose(self) -> None:
        """Close every kept connection."""
        for connections in self._idle.values():
            for _, writer in connections:
                writer.close()
        self._idle.clear()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status of one response, its body read past; whether the connection may be kept."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    version, status = head[0].split(" ", 2)[:2]
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        return int(status), await _skip_chunks(reader) and _keeps(version, headers)
    if "content-length" in headers:
        length = int(headers["content-length"])
        if length > MAX_BODY:
            return int(status), False
        await reader.readexactly(length)
    elif status not in ("204", "304"):
        return int(status), False  # the body runs to the end of the connection: not read
    return int(status), _keeps(version, headers)


def _keeps(version: str, headers: dict[str, str]) -> bool:
    """Whether the connection may carry the next post."""
    return headers.get("connection") != "close" and version == "HTTP/1.1"


async def _skip_chunks(reader: asyncio.StreamReader) -> bool:
    """Read past a chunked body; False (stop reading, close) once it passes ``MAX_BODY``."""
    read = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        read += size
        if read > MAX_BODY:
            return False
        await reader.readexactly(size + 2)
        if size == 0:
            return True
