"""A write whose transaction PostgreSQL aborts runs again; its client sees only the answer.

``tests/aborts.database_aborts`` makes the database raise ``serialization_failure`` for the
first inserts into a table, as it does to break a lock cycle (``http/retry.py``).
"""

import httpx
import pytest

from orderyard.http.retry import ATTEMPTS
from orderyard.store.engine import Engines
from tests.aborts import database_aborts
from tests.dialects.orderdynamics.test_orders import nothing_written, order_body, stocked
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, level

pytestmark = pytest.mark.postgres


async def test_an_order_aborted_twice_is_created_once(
    od: httpx.AsyncClient, make: Factory, engines: Engines
) -> None:
    await stocked(make)

    async with database_aborts(engines, "orders", times=2) as tries:
        response = await od.post("/v1/orders", json=order_body())

        assert response.status_code == 201, response.text
        assert await tries() == 3
    assert await count_rows(make, "orders") == 1
    assert await level(make, "DC-1", "SKU-1") == (5, 2)
    await assert_ledger_balances(make)


async def test_a_hold_aborted_once_holds_the_order_and_records_it_once(
    od: httpx.AsyncClient, make: Factory, engines: Engines
) -> None:
    await stocked(make)
    await od.post("/v1/orders", json=order_body())
    events_before = await count_rows(make, "events")

    async with database_aborts(engines, "events", times=1) as tries:
        held = await od.post("/v1/orders/Hold", params={"ExternalOrderId": "EXT-1"})

        assert held.status_code == 200, held.text
        tried = await tries()
    assert held.json()["IsOnHold"] is True
    assert await level(make, "DC-1", "SKU-1") == (5, 0)
    kept = await count_rows(make, "events") - events_before
    assert kept >= 1
    assert tried == kept + 1  # the aborted attempt's first event, then the events of one hold


async def test_an_order_aborted_every_time_fails_after_the_last_attempt_writing_nothing(
    od: httpx.AsyncClient, make: Factory, engines: Engines
) -> None:
    await stocked(make)

    async with database_aborts(engines, "orders", times=ATTEMPTS + 5) as tries:
        response = await od.post("/v1/orders", json=order_body())

        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"

        assert await tries() == ATTEMPTS
    await nothing_written(make)
