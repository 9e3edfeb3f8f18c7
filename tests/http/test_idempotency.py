"""Idempotency keys end to end: order creation in both dialects, through the whole server."""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.domain.idempotency import CARRIED_OUT_MESSAGE, KEEP, LEASE
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import idempotency
from orderyard.services.account import NewAccount
from orderyard.services.answer_queue import AnswerQueue
from orderyard.services.worker import purge_keys_when_due, work
from orderyard.settings import DatabaseSettings, Settings
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.aborts import answers_lost
from tests.dialects.orderdynamics.test_orders import order_body as od_order
from tests.dialects.shipedge.conftest import order_body as se_order
from tests.factories import Factory
from tests.services.checks import count_rows, level
from tests.statements import checkouts, counted

KEY = "3f1c2a9e-order-1"


@pytest.fixture
def app(db_url: str) -> FastAPI:
    """The whole server (both dialects)."""
    return create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=5)))


@pytest.fixture
def answers(app: FastAPI) -> AnswerQueue:
    """The server's answers waiting to be kept."""
    queue: AnswerQueue = app.state.orderyard.answers
    return queue


@pytest.fixture
async def server(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The whole server (both dialects), unauthenticated."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://orderyard.test"
    ) as http:
        yield http
    await app.state.orderyard.engines.dispose()


@dataclass(frozen=True)
class Warm:
    """The whole server with the account's key cached (one create made), and its write engine."""

    http: httpx.AsyncClient
    write: AsyncEngine


@pytest.fixture
async def warm(db_url: str, account: NewAccount, stocked: Factory) -> AsyncIterator[Warm]:
    app = create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=5)))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://orderyard.test"
    ) as http:
        await od_create(http, account, od_order("EXT-0"), key=None)
        yield Warm(http, app.state.orderyard.engines.write)
    await app.state.orderyard.engines.dispose()


def se_headers(account: NewAccount, key: str | None = KEY) -> dict[str, str]:
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    return headers if key is None else {**headers, "Idempotency-Key": key}


def od_headers(account: NewAccount, key: str | None = KEY) -> dict[str, str]:
    headers = {"Ocp-Apim-Subscription-Key": account.key}
    return headers if key is None else {**headers, "Idempotency-Key": key}


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """DC-1 holds 5 of SKU-1 (OrderDynamics' body); DC-CODE 10 of PROD-001 (ShipEdge's)."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    await make.location("DC-CODE")
    await make.item("PROD-001")
    await make.stock("DC-CODE", "PROD-001", 10)
    return make


async def se_create(
    server: httpx.AsyncClient, account: NewAccount, body: dict[str, Any], key: str | None = KEY
) -> httpx.Response:
    return await server.post(
        f"{SHIPEDGE_ROOT}/orders", json={"data": [body]}, headers=se_headers(account, key)
    )


async def od_create(
    server: httpx.AsyncClient, account: NewAccount, body: dict[str, Any], key: str | None = KEY
) -> httpx.Response:
    return await server.post("/v1/orders", json=body, headers=od_headers(account, key))


async def kept_keys(make: Factory) -> int:
    return await count_rows(make, "idempotency_keys")


class TestReplay:
    async def test_a_replayed_shipedge_order_creation_makes_one_order_and_the_same_answer(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory
    ) -> None:
        first = await se_create(server, account, se_order("ORD-1"))
        again = await se_create(server, account, se_order("ORD-1"))

        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert again.json()["data"][0]["success"] is True
        assert again.headers["content-type"] == first.headers["content-type"]
        assert again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert await count_rows(stocked, "orders") == 1
        assert await level(stocked, "DC-CODE", "PROD-001") == (10, 2)

    async def test_a_replayed_orderdynamics_order_creation_makes_one_order_and_the_same_answer(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory
    ) -> None:
        first = await od_create(server, account, od_order("EXT-1"))
        again = await od_create(server, account, od_order("EXT-1"))

        assert first.status_code == again.status_code == 201, first.text
        assert again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["x-trace-id"] != first.headers["x-trace-id"]
        assert await count_rows(stocked, "orders") == 1
        assert await level(stocked, "DC-1", "SKU-1") == (5, 2)

    async def test_a_4xx_is_kept_and_replayed_even_once_the_request_would_succeed(
        self, server: httpx.AsyncClient, account: NewAccount, make: Factory
    ) -> None:
        refused = await od_create(server, account, od_order("EXT-1"))  # no SKU-1 yet
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 5)

        again = await od_create(server, account, od_order("EXT-1"))

        assert refused.status_code == again.status_code == 400
        assert again.content == refused.content
        assert again.headers["idempotent-replayed"] == "true"
        assert await count_rows(make, "orders") == 0

    async def test_without_the_header_nothing_is_kept(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory
    ) -> None:
        first = await od_create(server, account, od_order("EXT-1"), key=None)
        again = await od_create(server, account, od_order("EXT-1"), key=None)

        assert (first.status_code, again.status_code) == (201, 409)
        assert await kept_keys(stocked) == 0


class TestAnswersKeptTogether:
    """A running server keeps answers in batches (``services/answer_queue.py``)."""

    async def test_a_retry_meanwhile_is_answered_from_memory_and_a_stop_keeps_the_answer(
        self, db_url: str, account: NewAccount, stocked: Factory
    ) -> None:
        settings = Settings(
            database=DatabaseSettings(url=db_url, pool_size=5),
            idempotency_answer_delay_seconds=1,  # longer than the test takes to retry
        )
        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://orderyard.test"
            ) as http,
        ):
            first = await od_create(http, account, od_order("EXT-1"))
            again = await od_create(http, account, od_order("EXT-1"))
            answered_meanwhile = await answered_keys(stocked)
        answered_after_stop = await answered_keys(stocked)

        assert (first.status_code, again.status_code) == (201, 201)
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        assert await count_rows(stocked, "orders") == 1
        assert (answered_meanwhile, answered_after_stop) == (0, 1)


async def answered_keys(make: Factory) -> int:
    async with make.uow() as uow:
        found = await uow.conn.execute(
            text("SELECT count(*) FROM idempotency_keys WHERE status IS NOT NULL")
        )
        return int(found.scalar_one())


class TestRefusals:
    async def test_the_same_key_with_another_body_is_a_409_problem_writing_nothing(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory
    ) -> None:
        await od_create(server, account, od_order("EXT-1"))

        response = await od_create(server, account, od_order("EXT-2"))

        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert (body["status"], body["title"]) == (409, "Conflict")
        assert body["errors"] == {
            "Idempotency-Key": [
                "Idempotency-Key: this Idempotency-Key was used with another request"
                " (method, path, query or body)"
            ]
        }
        assert await count_rows(stocked, "orders") == 1
        assert await level(stocked, "DC-1", "SKU-1") == (5, 2)

    async def test_the_same_key_with_another_body_is_a_400_envelope_in_shipedge(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory
    ) -> None:
        await se_create(server, account, se_order("ORD-1"))

        response = await se_create(server, account, se_order("ORD-2"))

        assert response.status_code == 400
        message = (
            "Idempotency-Key: this Idempotency-Key was used with another request"
            " (method, path, query or body)"
        )
        assert response.json() == {
            "response": {
                "success": False,
                "message": message,
                "errors": [{"field": "Idempotency-Key", "message": message, "index": None}],
            }
        }
        assert await count_rows(stocked, "orders") == 1

    async def test_the_same_key_on_another_path_is_another_key(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory
    ) -> None:
        await od_create(server, account, od_order("EXT-1"))

        response = await server.post("/v1/orders/Search", json={}, headers=od_headers(account))

        assert response.status_code == 200, response.text
        assert "idempotent-replayed" not in response.headers
        assert await kept_keys(stocked) == 2

    @pytest.mark.parametrize("key", ["", "has space", "\u00e9", "k" * 256])
    async def test_a_malformed_key_is_a_400_naming_the_header_writing_nothing(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory, key: str
    ) -> None:
        headers = {**od_headers(account, None), "Idempotency-Key": key.encode()}
        response = await server.post(
            "/v1/orders",
            content=httpx.Request("POST", "/", json=od_order()).content,
            headers={**headers, "Content-Type": "application/json"},
        )

        assert response.status_code == 400
        assert response.json()["errors"] == {
            "Idempotency-Key": ["Idempotency-Key: must be 1 to 255 visible ASCII characters"]
        }
        assert await count_rows(stocked, "orders") == 0
        assert await kept_keys(stocked) == 0

    async def test_refused_credentials_are_answered_by_the_dialect_and_not_kept(
        self, server: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await server.post(
            "/v1/orders",
            json=od_order(),
            headers={"Ocp-Apim-Subscription-Key": "wrong", "Idempotency-Key": KEY},
        )

        assert response.status_code == 401
        assert response.json()["statusCode"] == 401
        assert await kept_keys(stocked) == 0


class TestScope:
    async def test_keys_of_two_accounts_do_not_collide(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory, engines: Engines
    ) -> None:
        other = await account_service.create_account(
            SystemUnitOfWork(engines.write),
            "Other",
            shipping_methods=("Pick",),
            channels=("My Shop",),
        )
        other_make = Factory(engines, other.account_id)
        await other_make.location("DC-1")
        await other_make.item("SKU-1")
        await other_make.stock("DC-1", "SKU-1", 5)

        mine = await od_create(server, account, od_order("EXT-1"))
        theirs = await od_create(server, other, od_order("EXT-1"))

        assert mine.status_code == theirs.status_code == 201, theirs.text
        assert "idempotent-replayed" not in theirs.headers
        assert mine.json()["InternalOrderId"] != theirs.json()["InternalOrderId"]
        assert await count_rows(stocked, "orders") == 1
        assert await count_rows(other_make, "orders") == 1

    async def test_an_expired_key_runs_the_request_again(
        self,
        server: httpx.AsyncClient,
        account: NewAccount,
        stocked: Factory,
        clock: TestClock,
    ) -> None:
        first = await od_create(server, account, od_order("EXT-1"))
        clock.advance(KEEP + timedelta(seconds=1))

        again = await od_create(server, account, od_order("EXT-1"))

        assert first.status_code == 201
        # Run again: the route itself refuses the duplicate ExternalOrderId.
        assert again.status_code == 409
        assert "ExternalOrderId" in again.text, again.text  # not the key "in progress"
        assert "idempotent-replayed" not in again.headers
        assert await count_rows(stocked, "orders") == 1
        assert await kept_keys(stocked) == 1

    async def test_a_key_within_24_hours_is_still_answered(
        self,
        server: httpx.AsyncClient,
        account: NewAccount,
        stocked: Factory,
        clock: TestClock,
    ) -> None:
        first = await od_create(server, account, od_order("EXT-1"))
        clock.advance(KEEP - timedelta(seconds=1))

        again = await od_create(server, account, od_order("EXT-1"))

        assert again.status_code == 201
        assert again.content == first.content

    async def test_the_purge_deletes_expired_keys_only(
        self,
        server: httpx.AsyncClient,
        account: NewAccount,
        stocked: Factory,
        engines: Engines,
        clock: TestClock,
    ) -> None:
        await od_create(server, account, od_order("EXT-1"), key="old")
        clock.advance(KEEP - timedelta(hours=1))
        await od_create(server, account, od_order("EXT-2"), key="new")
        clock.advance(timedelta(hours=1, seconds=1))

        purged = await idempotency.purge_expired(SystemUnitOfWork(engines.write))

        assert purged == 1
        assert await kept_keys(stocked) == 1


class TestAnOrderWhoseAnswerWasLost:
    """The server stopped between an order's commit and keeping its answer: never twice."""

    @pytest.mark.parametrize("dialect", ["orderdynamics", "shipedge"])
    async def test_is_not_made_again_by_a_retry_past_the_lease(
        self,
        server: httpx.AsyncClient,
        account: NewAccount,
        stocked: Factory,
        engines: Engines,
        answers: AnswerQueue,
        clock: TestClock,
        dialect: str,
    ) -> None:
        def send() -> Any:
            if dialect == "shipedge":
                return se_create(server, account, se_order("ORD-1", ("PROD-001", 1)))
            return od_create(server, account, od_order("EXT-1"))

        location, sku = ("DC-1", "SKU-1") if dialect == "orderdynamics" else ("DC-CODE", "PROD-001")
        async with answers_lost(engines, answers):
            first = await send()
        after_first = await level(stocked, location, sku)
        clock.advance(LEASE + timedelta(seconds=1))

        retry = await send()

        assert first.status_code == (201 if dialect == "orderdynamics" else 200)
        assert retry.status_code == (409 if dialect == "orderdynamics" else 400)
        assert CARRIED_OUT_MESSAGE in retry.text
        assert await count_rows(stocked, "orders") == 1
        assert await level(stocked, location, sku) == after_first

    @pytest.mark.postgres
    async def test_the_key_rides_in_the_placements_own_statement(
        self, warm: Warm, account: NewAccount, stocked: Factory
    ) -> None:
        with counted(warm.write) as plain:
            await od_create(warm.http, account, od_order("EXT-1"), key=None)
        with counted(warm.write) as keyed:
            created = await od_create(warm.http, account, od_order("EXT-2"), key="k-2")

        assert created.status_code == 201
        assert keyed == [*plain, "UPDATE"]  # the placement, with the key; the answer
        async with stocked.uow() as uow:
            found = await uow.conn.execute(text("SELECT carried_out FROM idempotency_keys"))
        assert found.scalar_one() is True

    @pytest.mark.postgres
    async def test_a_keyed_create_checks_out_one_connection_as_a_plain_one_does(
        self, warm: Warm, account: NewAccount, stocked: Factory
    ) -> None:
        """The placement and the answer share one (``store/lending.py``; without
        the app's lifespan, as here, the answer is written at once, not in a batch)."""
        with checkouts(warm.write) as plain:
            await od_create(warm.http, account, od_order("EXT-1"), key=None)
        with checkouts(warm.write) as keyed:
            created = await od_create(warm.http, account, od_order("EXT-2"), key="k-2")
        with checkouts(warm.write) as replayed:
            again = await od_create(warm.http, account, od_order("EXT-2"), key="k-2")

        assert (created.status_code, again.status_code) == (201, 201)
        assert again.headers["idempotent-replayed"] == "true"
        assert len(plain) == len(keyed) == len(replayed) == 1


class TestConcurrency:
    @pytest.mark.parametrize("dialect", ["orderdynamics", "shipedge"])
    async def test_twenty_concurrent_requests_with_one_key_make_one_order(
        self, server: httpx.AsyncClient, account: NewAccount, stocked: Factory, dialect: str
    ) -> None:
        def send() -> Any:
            if dialect == "shipedge":
                return se_create(server, account, se_order("ORD-1", ("PROD-001", 1)))
            return od_create(server, account, od_order("EXT-1"))

        answers = await asyncio.gather(*(send() for _ in range(20)))

        assert {a.status_code for a in answers} == {201 if dialect == "orderdynamics" else 200}
        assert len({a.content for a in answers}) == 1
        assert sum("idempotent-replayed" not in a.headers for a in answers) == 1
        assert await count_rows(stocked, "orders") == 1
        assert await kept_keys(stocked) == 1


async def test_the_worker_purges_expired_keys(
    server: httpx.AsyncClient,
    account: NewAccount,
    stocked: Factory,
    engines: Engines,
    clock: TestClock,
) -> None:
    await od_create(server, account, od_order("EXT-1"))
    clock.advance(KEEP + timedelta(seconds=1))
    stop = asyncio.Event()
    running = asyncio.create_task(work(engines, stop=stop, poll_seconds=0.01))
    while await kept_keys(stocked) == 1:
        await asyncio.sleep(0.01)
    stop.set()
    await running

    assert await kept_keys(stocked) == 0
    just_now = time.monotonic()
    assert await purge_keys_when_due(engines, just_now) == just_now  # not due again yet
