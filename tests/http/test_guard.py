"""The shared edge, on a bare app: no database, no dialect, a refusal that echoes its input."""

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from orderyard.http.guard import RequestGuard

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def refusal(status: int, field: str | None, message: str) -> Response:
    return JSONResponse({"field": field, "message": message}, status_code=status)


async def echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"bytes": len(body), "client_port": request.client and request.client.port})


async def broken(_: Request) -> Response:
    raise RuntimeError("a bug")


def guarded(limit: int = 1024) -> Starlette:
    """An app guarded as a dialect is: inside Starlette's last-resort error middleware."""
    return Starlette(
        routes=[Route("/echo", echo, methods=["GET", "POST"]), Route("/broken", broken)],
        middleware=[Middleware(RequestGuard, max_body_bytes=limit, refuse=refusal)],
    )


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=guarded(), raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://guard.test") as http:
        yield http


async def test_an_unexpected_error_is_answered_500_and_not_raised_on(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/broken")

    assert response.status_code == 500
    assert response.json() == {"field": None, "message": "Internal server error"}


async def test_a_body_within_the_limit_reaches_the_app_whole(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", content=b"x" * 1024)

    assert response.json()["bytes"] == 1024


async def test_a_body_one_byte_over_the_limit_is_a_413(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", content=b"x" * 1025)

    assert response.status_code == 413
    assert response.json()["field"] == "body"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"a": "x\\u0000"}', "a"),
        (b'{"a": [{"b": "ok"}, {"b": "\\udfff"}]}', "a[1].b"),
        (b'{"k\\u0000": 1}', "k\x00"),
        (b'"\\u0000"', "body"),
    ],
)
async def test_unstorable_text_in_json_is_refused_naming_its_path(
    client: httpx.AsyncClient, body: bytes, field: str
) -> None:
    response = await client.post("/echo", content=body)

    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "body", [b'{"a": "\\\\u0000"}', b'{"a": "\\ud83d\\ude00"}', b"not json \\u0000"]
)
async def test_what_only_looks_unstorable_passes(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post("/echo", content=body)

    assert response.status_code == 200


async def test_nul_in_a_query_parameter_names_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/echo?ok=1&sku=a%00b")

    assert (response.status_code, response.json()["field"]) == (400, "sku")


VISA = "4111 1111 1111 1111"
"""A test card number: it passes the Luhn check, as every real one does."""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"json": {"order": {"notes": [f"card {VISA}"]}}}, "order.notes[0]"),
        ({"json": {"ref": int(VISA.replace(" ", ""))}}, "ref"),
        ({"data": {"sku": "A", "note": VISA}}, "note"),
        ({"data": {"sku": "A"}, "files": {"file": ("c.csv", f"{VISA}\n".encode())}}, "file"),
        ({"content": VISA.encode()}, "body"),
    ],
    ids=["json string", "json number", "form typed with spaces", "multipart part", "raw"],
)
async def test_a_card_number_in_any_body_is_refused_naming_its_field(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/echo", **body)

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert "1111" not in response.text


async def test_a_card_number_in_the_query_names_its_parameter(client: httpx.AsyncClient) -> None:
    response = await client.get("/echo", params={"sku": "A", "q": VISA})

    assert (response.status_code, response.json()["field"]) == (400, "q")


@pytest.mark.parametrize("boundary", ["4111111111111111", "x4111111111111111y"])
async def test_a_multipart_boundary_is_no_card_number(
    client: httpx.AsyncClient, boundary: str
) -> None:
    """The client draws the boundary at random: httpx's 32 hex digits once held such a run."""
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        f"\r\nsku,location,quantity\r\n--{boundary}--\r\n"
    ).encode()
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}

    response = await client.post("/echo", content=body, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["bytes"] == len(body)


@pytest.fixture
def server() -> Iterator[str]:
    """The guarded app behind a real uvicorn, which drops a connection its app raised on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(guarded(), host="127.0.0.1", port=port, log_level="critical")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        asyncio.run(asyncio.sleep(0.01))
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=5)


def test_the_connection_survives_a_500(server: str) -> None:
    with httpx.Client(base_url=server) as http:
        first = http.get("/echo").json()["client_port"]
        failed = http.get("/broken")
        after = http.get("/echo").json()["client_port"]

    assert failed.status_code == 500
    assert "close" not in failed.headers.get("connection", "")
    assert after == first, "the client had to open a new connection"
