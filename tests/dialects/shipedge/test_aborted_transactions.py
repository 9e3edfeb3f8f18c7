"""A ShipEdge write whose transaction PostgreSQL aborts runs again (``http/retry.py``)."""

import httpx
import pytest

from orderyard.store.engine import Engines
from tests.aborts import database_aborts
from tests.dialects.shipedge.conftest import order_body
from tests.dialects.shipedge.test_order import create, order_count
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, level

pytestmark = pytest.mark.postgres


async def test_two_orders_of_one_call_aborted_once_are_each_created_once(
    client: httpx.AsyncClient, make: Factory, engines: Engines
) -> None:
    await make.location("DC-CODE")
    await make.item("PROD-001")
    await make.stock("DC-CODE", "PROD-001", 10)

    async with database_aborts(engines, "orders", times=1) as tries:
        response = await create(
            client, order_body("A-1", ("PROD-001", 2)), order_body("A-2", ("PROD-001", 3))
        )

        assert response.status_code == 200, response.text
        assert await tries() == 3  # the aborted first insert, then one per order
    assert [r["success"] for r in response.json()["data"]] == [True, True]
    assert await order_count(client) == 2
    assert await count_rows(make, "order_lines") == 2
    assert await level(make, "DC-CODE", "PROD-001") == (10, 5)
    await assert_ledger_balances(make)
