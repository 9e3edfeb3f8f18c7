"""The webhook poster against raw HTTP servers: keep-alive, chunked and closing answers, errors."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from orderyard.kit.http_post import MAX_BODY, HttpError, Poster

Answer = Callable[[int], bytes]


@asynccontextmanager
async def server(answer: Answer, *, delay: float = 0.0) -> AsyncIterator[tuple[str, list[int]]]:
    """An endpoint answering the n-th request on a connection with ``answer(n)``."""
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(0)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                await reader.readexactly(length)
                connections[-1] += 1
                await asyncio.sleep(delay)
                writer.write(answer(connections[-1]))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/hook?x=1", connections
    finally:
        listening.close()


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
CHUNKED = b"HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
CLOSING = b"HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
LARGE = b"x" * (MAX_BODY + 1)
LONG = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(LARGE), LARGE)
LONG_CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (
    len(LARGE),
    LARGE,
)
UNSIZED = b"HTTP/1.1 200 OK\r\n\r\n" + LARGE


@pytest.mark.parametrize(("answer", "code", "connections"), [
    (OK, 200, [3]), (CHUNKED, 202, [3]), (CLOSING, 500, [1, 1, 1]),
    (LONG, 200, [1, 1, 1]), (LONG_CHUNKED, 200, [1, 1, 1]), (UNSIZED, 200, [1, 1, 1]),
])  # fmt: skip
async def test_posts_answer_the_status_and_keep_the_connection_unless_told_not_to(
    answer: bytes, code: int, connections: list[int]
) -> None:
    poster = Poster(timeout=5)
    async with server(lambda _: answer) as (url, seen):
        codes = [await poster.post(url, b"{}", {"X-Test": "1"}) for _ in range(3)]
        await poster.aclose()

    assert codes == [code] * 3
    assert seen == connections


async def test_no_answer_within_the_time_out_is_an_error() -> None:
    poster = Poster(timeout=0.05)
    async with server(lambda _: OK, delay=1) as (url, _):
        with pytest.raises(HttpError, match=r"no answer within 0\.05 s"):
            await poster.post(url, b"{}", {})
        await poster.aclose()


async def test_a_refused_connection_is_an_error() -> None:
    async with server(lambda _: OK) as (url, _):
        pass  # closed: nothing listens on its port any more
    with pytest.raises(HttpError, match=r"ConnectionRefusedError|OSError"):
        await Poster(timeout=1).post(url, b"{}", {})
