"""CPU of the shared edge (``http/guard.py``) per request, driven alone in a loop.

The guard reads every body of both dialects once (size, NUL, card numbers) before a route
runs. This drives it around an app that only reads the body, with a one-line ShipEdge order
body (and, beside it, the app alone), and reports the best of five rounds of CPU per request
(``time.process_time``), which barely moves on a busy machine.

    .venv/bin/python -m bench.guard
    .venv/bin/python -m bench.guard --count 100000
"""

import argparse
import asyncio
import json
import time

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderyard.http.guard import RequestGuard

ONE_LINE_ORDER = {
    "data": [
        {
            "order_number": "ORD-1",
            "order_reference": "REF-123",
            "shipping_method": "Pick",
            "customer": {
                "email": "c@example.com",
                "phone": "1234567890",
                "firstname": "John",
                "lastname": "Doe",
                "address1": "123 Main St",
                "city": "Los Angeles",
                "state": "CA",
                "zip": "90001",
                "country": "USA",
            },
            "items": [{"sku": "PROD-001", "quantity": 2, "sold_price": 29.99}],
        }
    ]
}


async def _reads_the_body(_: Scope, receive: Receive, __: Send) -> None:
    await receive()


def _refusal(status: int, field: str | None, message: str) -> Response:
    return JSONResponse({"field": field, "message": message}, status_code=status)


async def cpu_per_request(app: ASGIApp, body: bytes, count: int) -> float:
    """Best of five rounds of ``count`` requests: seconds of this process's CPU per request."""
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/orders",
        "query_string": b"",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(_: Message) -> None:
        return None

    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(count):
            await app(scope, receive, send)
        best = min(best, (time.process_time() - started) / count)
    return best


async def main(count: int) -> None:
    body = json.dumps(ONE_LINE_ORDER).encode()
    guarded = RequestGuard(_reads_the_body, max_body_bytes=10 * 1024 * 1024, refuse=_refusal)
    bare = await cpu_per_request(_reads_the_body, body, count)
    with_guard = await cpu_per_request(guarded, body, count)
    print(f"one-line order body, {len(body)} bytes, {count} requests a round, best of 5")
    print(f"guarded {with_guard * 1e6:.1f} us, bare {bare * 1e6:.1f} us of CPU per request")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    asyncio.run(main(parser.parse_args().count))
