"""Trace ids: one per request, answered on every response, taken from ``traceparent``."""

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from orderyard.http.guard import RequestGuard
from orderyard.http.trace import TraceIdFilter, TraceIds, current_trace_id, trace_id_of

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def seen(_: Request) -> Response:
    logging.getLogger("test.trace").warning("serving")
    return JSONResponse({"trace_id": current_trace_id()})


async def broken(_: Request) -> Response:
    raise RuntimeError("a bug")


def refusal(status: int, field: str | None, message: str) -> Response:
    return JSONResponse({"message": message, "traceId": current_trace_id()}, status_code=status)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(
        routes=[Route("/seen", seen), Route("/broken", broken)],
        middleware=[
            Middleware(TraceIds),
            Middleware(RequestGuard, max_body_bytes=1024, refuse=refusal),
        ],
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://trace.test") as http:
        yield http


async def test_every_response_names_its_trace_id_and_the_request_saw_the_same(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/seen")

    trace_id = response.headers["x-trace-id"]
    assert len(trace_id) == 32
    assert response.json()["trace_id"] == trace_id


async def test_two_requests_get_two_ids(client: httpx.AsyncClient) -> None:
    first = (await client.get("/seen")).headers["x-trace-id"]
    second = (await client.get("/seen")).headers["x-trace-id"]

    assert first != second


async def test_a_w3c_traceparent_gives_its_trace_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/seen", headers={"traceparent": PARENT})

    assert response.headers["x-trace-id"] == "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.mark.parametrize(
    "traceparent",
    [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
    ],
)
async def test_an_invalid_traceparent_is_replaced_by_a_new_id(
    client: httpx.AsyncClient, traceparent: str
) -> None:
    response = await client.get("/seen", headers={"traceparent": traceparent})

    assert response.headers["x-trace-id"] not in traceparent
    assert len(response.headers["x-trace-id"]) == 32


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/broken", 500), ("POST", "/seen", 413)]
)
async def test_errors_answered_by_the_guard_carry_the_id_in_header_and_body(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path, content=b"x" * 2048)

    assert response.status_code == status
    assert response.json()["traceId"] == response.headers["x-trace-id"]


async def test_log_records_carry_the_trace_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(TraceIdFilter())

    response = await client.get("/seen")

    [record] = [r for r in caplog.records if r.name == "test.trace"]
    assert record.trace_id == response.headers["x-trace-id"]


@given(st.binary(max_size=80))
def test_any_header_value_gives_a_32_hex_id(value: bytes) -> None:
    trace_id = trace_id_of(value)

    assert len(trace_id) == 32
    assert int(trace_id, 16) >= 0
