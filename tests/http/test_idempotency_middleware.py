"""The idempotency middleware on a bare app with a real store: server errors, waits, leases.

The route writes (an event of the account) unless a test says otherwise: a keyed request's
write is what claims its key, so "executed once" is counted in events, while ``runs`` counts
the route's runs (a retry runs up to its write, which meets the key).
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message

from orderyard.domain.idempotency import CARRIED_OUT_MESSAGE, LEASE
from orderyard.domain.values import AccountId
from orderyard.http.deps import AppState, write_uow
from orderyard.http.guard import RequestGuard
from orderyard.http.idempotency import IdempotencyKeys
from orderyard.kit.clock import TestClock
from orderyard.kit.storage import DirectoryStore
from orderyard.services.account import KeyCache, NewAccount, create_account
from orderyard.services.answer_queue import AnswerQueue
from orderyard.services.media import Files
from orderyard.store.engine import Engines
from orderyard.store.tables import idempotency_keys
from orderyard.store.uow import AnswerUnitOfWork, SystemUnitOfWork
from tests.aborts import answers_lost
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
keys_status = idempotency_keys.c.status


KEYED = {"Idempotency-Key": "k-lease"}


def refusal(status: int, field: str | None, message: str) -> Response:
    return JSONResponse({"field": field, "message": message}, status_code=status)


class Counter:
    """A route that counts its runs, writes, and answers what the test sets."""

    def __init__(self, writes_for: AccountId | None) -> None:
        self.runs = 0
        self.answers: list[Callable[[], Response]] = []
        self.gate: asyncio.Event | None = None
        """When set, each run waits for it after its write, before answering."""
        self.gate_before_write: asyncio.Event | None = None
        self.writes_for = writes_for
        """When set, each run commits a write (an event) of this account before answering."""

    async def endpoint(self, request: Request) -> Response:
        self.runs += 1
        run = self.runs
        await request.body()
        if self.gate_before_write is not None:
            await self.gate_before_write.wait()
        if self.writes_for is not None:
            async with write_uow(request, self.writes_for, actor="test") as uow:
                await uow.events.record("thing_made", "thing", run)
                await uow.commit()
        if self.gate is not None:
            await self.gate.wait()
        if self.answers:
            return self.answers.pop(0)()
        return JSONResponse({"run": run}, status_code=201, headers={"Location": "/x/1"})


def bare_app(
    engines: Engines,
    account: NewAccount,
    route: Counter,
    wait: float,
    *,
    lease: timedelta = LEASE,
    answers: AnswerQueue | None = None,
) -> Starlette:
    async def account_of(_: HTTPConnection) -> AccountId | None:
        return account.account_id

    app = Starlette(routes=[Route("/things", route.endpoint, methods=["POST", "PUT", "PATCH"])])
    app.add_middleware(
        IdempotencyKeys,
        account_of=account_of,
        refuse=refusal,
        conflict_status=409,
        wait_seconds=wait,
    )
    app.add_middleware(RequestGuard, max_body_bytes=1000, refuse=refusal)
    unused = Files(DirectoryStore(Path("never-written")), max_file_bytes=1024)  # no uploads here
    app.state.orderyard = AppState(
        engines=engines,
        max_per_page=100,
        keys=KeyCache(0),
        files=unused,
        answers=answers or AnswerQueue(partial(AnswerUnitOfWork, engines.write)),
        key_lease=lease,
    )
    return app


@pytest.fixture
def route(account: NewAccount) -> Counter:
    return Counter(writes_for=account.account_id)


@pytest.fixture
def answers(engines: Engines) -> AnswerQueue:
    return AnswerQueue(partial(AnswerUnitOfWork, engines.write))


@pytest.fixture
async def http(
    engines: Engines, account: NewAccount, route: Counter, answers: AnswerQueue
) -> AsyncIterator[httpx.AsyncClient]:
    app = bare_app(engines, account, route, wait=0.3, answers=answers)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://test",
        headers={"Idempotency-Key": "k-1"},
    ) as client:
        yield client


def broken() -> Response:
    raise RuntimeError("the route broke")


async def test_an_exception_is_not_kept_and_the_retry_runs_again(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    route.writes_for = None
    route.answers = [broken]

    failed = await http.post("/things", json={"a": 1})
    assert await count_rows(make, "idempotency_keys") == 0
    again = await http.post("/things", json={"a": 1})

    assert failed.status_code == 500
    assert (again.status_code, again.json()) == (201, {"run": 2})
    assert await count_rows(make, "idempotency_keys") == 1


async def test_a_5xx_answer_is_not_kept_and_the_retry_runs_again(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    route.writes_for = None
    route.answers = [lambda: JSONResponse({"down": True}, status_code=503)]

    failed = await http.post("/things", json={"a": 1})
    assert await count_rows(make, "idempotency_keys") == 0
    again = await http.post("/things", json={"a": 1})

    assert failed.status_code == 503
    assert (again.status_code, again.json()) == (201, {"run": 2})


async def test_a_replay_answers_status_body_and_headers_for_put_and_patch(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    for method in ("PUT", "PATCH"):
        first = await http.request(method, "/things", json={"m": method})
        again = await http.request(method, "/things", json={"m": method})

        assert (again.status_code, again.content) == (first.status_code, first.content)
        assert again.headers["location"] == "/x/1"
        assert again.headers["idempotent-replayed"] == "true"
    assert await count_rows(make, "events") == 2


async def test_a_retry_that_writes_nothing_answers_the_first_answer_not_its_own(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    """A retry's own answer (a refusal, since the first run changed the state) gives way."""
    first = await http.post("/things", json={"a": 1})
    route.writes_for = None
    route.answers = [lambda: JSONResponse({"already": "done"}, status_code=409)]

    retry = await http.post("/things", json={"a": 1})

    assert (retry.status_code, retry.content) == (201, first.content)
    assert retry.headers["idempotent-replayed"] == "true"
    assert await count_rows(make, "events") == 1


async def test_another_query_string_is_another_request(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    await http.post("/things?a=1", json={})

    response = await http.post("/things?a=2", json={})

    assert response.status_code == 409
    assert response.json()["field"] == "Idempotency-Key"
    assert await count_rows(make, "events") == 1


async def test_a_retry_past_the_wait_is_a_409_in_progress_and_then_gets_the_answer(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    route.gate = asyncio.Event()
    first = asyncio.create_task(http.post("/things", json={"a": 1}))
    while await count_rows(make, "events") == 0:
        await asyncio.sleep(0.01)

    waiting = await http.post("/things", json={"a": 1})
    route.gate.set()
    answered = await first
    later = await http.post("/things", json={"a": 1})

    assert waiting.status_code == 409
    assert waiting.json()["message"] == (
        "Idempotency-Key: a request with this Idempotency-Key is still in progress:"
        " retry after it has finished"
    )
    assert (answered.status_code, later.status_code) == (201, 201)
    assert later.content == answered.content
    assert await count_rows(make, "events") == 1


async def test_a_retry_within_the_wait_receives_the_first_answer(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    route.gate = asyncio.Event()
    first = asyncio.create_task(http.post("/things", json={"a": 1}))
    while await count_rows(make, "events") == 0:
        await asyncio.sleep(0.01)
    second = asyncio.create_task(http.post("/things", json={"a": 1}))
    await asyncio.sleep(0.05)
    route.gate.set()

    answers = [await first, await second]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].content == answers[0].content
    assert answers[1].headers["idempotent-replayed"] == "true"
    assert await count_rows(make, "events") == 1


async def test_a_first_run_not_yet_written_gives_way_to_a_retry_that_wrote_first(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    """No claim before the request: whichever run's write commits first holds the key, and
    the other's write, meeting it, writes nothing and answers the first answer."""
    gate = asyncio.Event()
    route.gate_before_write = gate
    stuck = asyncio.create_task(http.post("/things", json={"a": 1}))
    while route.runs == 0:
        await asyncio.sleep(0.01)
    route.gate_before_write = None

    retry = await http.post("/things", json={"a": 1})
    gate.set()
    first = await stuck

    assert (retry.status_code, retry.json()) == (201, {"run": 2})
    assert (first.status_code, first.json()) == (201, {"run": 2})
    assert first.headers["idempotent-replayed"] == "true"
    assert await count_rows(make, "events") == 1


@pytest.mark.postgres
async def test_a_retry_waiting_for_the_first_answer_holds_no_connection(
    http: httpx.AsyncClient, route: Counter, engines: Engines, make: Factory
) -> None:
    """The first request holds its lent connection (``store/lending.py``) while it runs; a
    retry gives its own back while it waits, so waiting retries cannot drain the pool."""
    pool = engines.write.sync_engine.pool
    route.gate = asyncio.Event()
    first = asyncio.create_task(http.post("/things", json={"a": 1}))
    while await count_rows(make, "events") == 0:
        await asyncio.sleep(0.01)
    held_by_the_first = pool.checkedout()  # type: ignore[attr-defined]
    second = asyncio.create_task(http.post("/things", json={"a": 1}))
    await asyncio.sleep(0.1)  # the retry has met the key, been told in progress, and waits
    held_while_waiting = pool.checkedout()  # type: ignore[attr-defined]
    route.gate.set()
    answers = [await first, await second]

    assert held_by_the_first == held_while_waiting == 1
    assert [a.status_code for a in answers] == [201, 201]
    assert await count_rows(make, "events") == 1


async def test_the_lease_is_the_servers_setting(
    engines: Engines,
    account: NewAccount,
    route: Counter,
    answers: AnswerQueue,
    clock: TestClock,
) -> None:
    """``ORDERYARD_IDEMPOTENCY_LEASE_SECONDS``, through the app's state: a request that wrote
    and whose answer was lost is "in progress" for 30 s, then "carried out"."""
    app = bare_app(engines, account, route, wait=0, lease=timedelta(seconds=30), answers=answers)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        async with answers_lost(engines, answers):
            await http.post("/things", json={"a": 1}, headers=KEYED)
        clock.advance(timedelta(seconds=20))
        within = await http.post("/things", json={"a": 1}, headers=KEYED)
        clock.advance(timedelta(seconds=11))
        past = await http.post("/things", json={"a": 1}, headers=KEYED)

    assert within.status_code == past.status_code == 409
    assert "in progress" in within.json()["message"]
    assert past.json()["message"] == f"Idempotency-Key: {CARRIED_OUT_MESSAGE}"


class TestARequestThatCommittedIsNeverRunAgain:
    """A key whose request committed its write remembers it, in that write's transaction."""

    async def test_its_answer_lost_a_retry_past_the_lease_is_told_it_was_carried_out(
        self,
        http: httpx.AsyncClient,
        engines: Engines,
        answers: AnswerQueue,
        make: Factory,
        clock: TestClock,
    ) -> None:
        async with answers_lost(engines, answers):
            first = await http.post("/things", json={"a": 1})
        waiting = await http.post("/things", json={"a": 1})
        clock.advance(LEASE + timedelta(seconds=1))

        retry = await http.post("/things", json={"a": 1})

        assert first.status_code == 201
        assert (waiting.status_code, retry.status_code) == (409, 409)
        assert "in progress" in waiting.json()["message"]
        assert retry.json() == {
            "field": "Idempotency-Key",
            "message": f"Idempotency-Key: {CARRIED_OUT_MESSAGE}",
        }
        assert await count_rows(make, "events") == 1

    async def test_another_body_with_that_key_is_still_refused_as_another_request(
        self,
        http: httpx.AsyncClient,
        engines: Engines,
        answers: AnswerQueue,
        make: Factory,
        clock: TestClock,
    ) -> None:
        async with answers_lost(engines, answers):
            await http.post("/things", json={"a": 1})
        clock.advance(LEASE + timedelta(seconds=1))

        other = await http.post("/things", json={"a": 2})

        assert other.status_code == 409
        assert "another request" in other.json()["message"]
        assert await count_rows(make, "events") == 1

    async def test_failing_after_its_commit_a_retry_is_told_at_once(
        self, http: httpx.AsyncClient, route: Counter, make: Factory
    ) -> None:
        route.answers = [broken]

        failed = await http.post("/things", json={"a": 1})
        retry = await http.post("/things", json={"a": 1})

        assert failed.status_code == 500
        assert retry.status_code == 409
        assert retry.json()["message"] == f"Idempotency-Key: {CARRIED_OUT_MESSAGE}"
        assert await count_rows(make, "events") == 1

    async def test_a_write_of_another_account_does_not_claim_the_key(
        self, http: httpx.AsyncClient, route: Counter, engines: Engines, make: Factory
    ) -> None:
        other = await create_account(SystemUnitOfWork(engines.write), "Other")
        route.writes_for = other.account_id

        await http.post("/things", json={"a": 1})

        async with make.uow() as uow:
            rows = await uow.conn.execute(select(idempotency_keys.c.carried_out, keys_status))
        assert [tuple(r) for r in rows] == [(False, 201)]


async def test_a_request_without_the_header_is_not_touched(
    http: httpx.AsyncClient, route: Counter, make: Factory
) -> None:
    del http.headers["Idempotency-Key"]

    answers = [await http.post("/things", json={"a": 1}) for _ in range(2)]

    assert [a.json() for a in answers] == [{"run": 1}, {"run": 2}]
    assert await count_rows(make, "idempotency_keys") == 0


async def test_an_answer_the_client_went_away_from_is_kept_for_its_retry(
    engines: Engines, account: NewAccount, route: Counter, http: httpx.AsyncClient, make: Factory
) -> None:
    app = bare_app(engines, account, route, wait=0.3)
    body = b'{"a": 1}'
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/things",
        "raw_path": b"/things",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"idempotency-key", b"k-1"), (b"content-length", b"8")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def gone(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise OSError("the client closed the connection")

    with pytest.raises(OSError, match="closed"):
        await app(scope, receive, gone)
    retry = await http.post("/things", content=body)

    assert (retry.status_code, retry.json()) == (201, {"run": 1})
    assert retry.headers["idempotent-replayed"] == "true"
    assert await count_rows(make, "events") == 1
