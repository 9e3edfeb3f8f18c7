"""A webhook endpoint for the benchmark: accepts every post with 200, counts them.

Runs in the bench process on a thread of its own with its own event loop: a raw asyncio
HTTP/1.1 server with keep-alive, so that the endpoint costs the shared machine as little as a
real ERP's endpoint elsewhere would (Python's ``http.server`` cost several times as much).
"""

import asyncio
import threading

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


class _Endpoint:
    def __init__(self) -> None:
        self.received = 0
        self.port = 0
        self._ready = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.run(self._serve_forever())

    async def _serve_forever(self) -> None:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await server.serve_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                marker = head.lower().find(b"content-length:")
                length = int(head[marker + 15 : head.find(b"\r\n", marker)]) if marker >= 0 else 0
                await reader.readexactly(length)
                self.received += 1
                writer.write(OK)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


ENDPOINT = _Endpoint()


def url() -> str:
    """The endpoint's URL, starting it on a free port the first time."""
    if not ENDPOINT.port:
        ENDPOINT.start()
    return f"http://127.0.0.1:{ENDPOINT.port}/hooks"
