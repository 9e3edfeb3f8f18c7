"""``RetryAborted`` on a bare app over the real store: what it runs again, and what it never does.

The database aborts for real: a ``DO`` block raises ``serialization_failure`` (``40001``) in a
unit of work, as PostgreSQL does to break a lock cycle. PostgreSQL only.
"""

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from orderyard.http.retry import ATTEMPTS, KEPT_BYTES, RetryAborted
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import UnitOfWork

pytestmark = pytest.mark.postgres

ABORT = text("DO $$ BEGIN RAISE EXCEPTION 'aborted' USING ERRCODE = '40001'; END $$")


class Things:
    """A route that aborts its first ``aborts`` runs (after committing one unit, if told)."""

    def __init__(self, engines: Engines, account: NewAccount) -> None:
        self.engines = engines
        self.account = account
        self.aborts = 0
        self.bodies: list[bytes] = []
        self.commit_first = False
        self.error: Callable[[], Exception] | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engines.write, self.account.account_id)

    async def endpoint(self, request: Request) -> Response:
        self.bodies.append(await request.body())
        if self.commit_first:
            async with self.uow() as uow:
                await uow.commit()
        if self.error is not None:
            raise self.error()
        if len(self.bodies) <= self.aborts:
            async with self.uow() as uow:
                await uow.conn.execute(ABORT)
        return JSONResponse({"runs": len(self.bodies)})

    async def streaming(self, request: Request) -> Response:
        self.bodies.append(await request.body())

        async def chunks() -> AsyncIterator[bytes]:
            yield b"first"
            async with self.uow() as uow:
                await uow.conn.execute(ABORT)
            yield b"never"

        return StreamingResponse(chunks())


@pytest.fixture
def route(engines: Engines, account: NewAccount) -> Things:
    return Things(engines, account)


@pytest.fixture
async def http(route: Things) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(
        routes=[
            Route("/things", route.endpoint, methods=["GET", "POST", "PUT", "DELETE"]),
            Route("/stream", route.streaming, methods=["POST"]),
        ]
    )
    app.add_middleware(RetryAborted)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
async def test_a_write_aborted_before_its_last_attempt_is_answered(
    http: httpx.AsyncClient, route: Things, method: str
) -> None:
    route.aborts = ATTEMPTS - 1

    response = await http.request(method, "/things", content=b"the body")

    assert response.status_code == 200
    assert response.json() == {"runs": ATTEMPTS}
    assert route.bodies == [b"the body"] * ATTEMPTS


async def test_a_body_sent_in_chunks_is_read_whole_by_every_attempt(
    http: httpx.AsyncClient, route: Things
) -> None:
    route.aborts = 2
    parts = [b"a" * 1000, b"b" * 1000, b"c"]

    async def chunks() -> AsyncIterator[bytes]:
        for part in parts:
            yield part

    response = await http.post("/things", content=chunks())

    assert response.status_code == 200
    assert route.bodies == [b"".join(parts)] * 3


async def test_aborted_on_every_attempt_the_error_goes_out_after_the_last(
    http: httpx.AsyncClient, route: Things
) -> None:
    route.aborts = ATTEMPTS

    response = await http.post("/things", content=b"x")

    assert response.status_code == 500
    assert len(route.bodies) == ATTEMPTS


async def test_a_request_that_committed_before_the_abort_is_not_run_again(
    http: httpx.AsyncClient, route: Things
) -> None:
    route.aborts = 1
    route.commit_first = True

    response = await http.post("/things", content=b"x")

    assert response.status_code == 500
    assert len(route.bodies) == 1


async def test_an_answer_already_started_is_not_run_again(
    http: httpx.AsyncClient, route: Things
) -> None:
    response = await http.post("/stream", content=b"x")

    assert (response.status_code, response.content) == (200, b"first")  # broken off
    assert len(route.bodies) == 1


async def test_a_read_is_not_run_again(http: httpx.AsyncClient, route: Things) -> None:
    route.aborts = 1

    response = await http.get("/things")

    assert response.status_code == 500
    assert len(route.bodies) == 1


async def test_any_other_error_is_not_run_again(http: httpx.AsyncClient, route: Things) -> None:
    route.error = lambda: ValueError("not the database")

    response = await http.post("/things", content=b"x")

    assert response.status_code == 500
    assert len(route.bodies) == 1


async def test_a_body_too_large_to_keep_is_not_run_again(
    http: httpx.AsyncClient, route: Things
) -> None:
    route.aborts = 1

    response = await http.post("/things", content=b"x" * (KEPT_BYTES + 1))

    assert response.status_code == 500
    assert len(route.bodies) == 1
