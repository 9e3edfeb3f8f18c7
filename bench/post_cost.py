"""What one webhook post costs the posting process, by client (CPU per post).

Starts a local endpoint (uvicorn serving a 200 ``ok``), then posts the same 530-byte body
over a kept-alive connection with ``kit/http_post.Poster``, httpx and, when it is installed,
aiohttp, in rounds, and prints the CPU this process spent per post: the measurement behind
``kit/http_post.py`` (docs/decisions.md, "Webhooks").

    .venv/bin/python -m bench.post_cost
"""

import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from importlib.util import find_spec

import httpx

from orderyard.kit.http_post import Poster

COUNT = 2000
PORT = 8799
URL = f"http://127.0.0.1:{PORT}/hook"
BODY = b'{"id":"evt_1","type":"order.created","data":{"x":1}}' * 10
HEADERS = {"Content-Type": "application/json", "X-Orderyard-Signature": "t=1,v1=abc"}


async def endpoint(scope: dict[str, object], receive: Callable, send: Callable) -> None:  # type: ignore[type-arg]
    """The receiving end: reads the body, answers 200 ``ok``."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


async def cpu_us(post: Callable[[], Awaitable[int]]) -> float:
    """CPU microseconds per post, after a warm-up."""
    for _ in range(100):
        assert await post() == 200
    start = time.process_time()
    for _ in range(COUNT):
        await post()
    return (time.process_time() - start) / COUNT * 1e6


async def main() -> None:
    poster = Poster(timeout=5)
    clients: dict[str, Callable[[], Awaitable[int]]] = {}

    async def by_poster() -> int:
        return await poster.post(URL, BODY, HEADERS)

    clients["kit/http_post"] = by_poster
    async with httpx.AsyncClient(timeout=5) as client:

        async def by_httpx() -> int:
            return (await client.post(URL, content=BODY, headers=HEADERS)).status_code

        clients["httpx"] = by_httpx
        session = None
        if find_spec("aiohttp"):
            import aiohttp

            session = aiohttp.ClientSession()

            async def by_aiohttp() -> int:
                async with session.post(URL, data=BODY, headers=HEADERS) as answer:
                    await answer.read()
                    return answer.status

            clients["aiohttp"] = by_aiohttp
        try:
            for _ in range(3):
                figures = [f"{name} {await cpu_us(post):6.0f} µs" for name, post in clients.items()]
                print("  ".join(figures))
        finally:
            if session is not None:
                await session.close()
            await poster.aclose()


if __name__ == "__main__":
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "bench.post_cost:endpoint"),
            *("--port", str(PORT), "--log-level", "warning", "--no-access-log"),
        ]
    )
    time.sleep(2)
    try:
        asyncio.run(main())
    finally:
        server.terminate()
