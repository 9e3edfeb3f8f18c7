"""What ShipEdge HTTP tests share: an authenticated client and the seed's example order body."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from tests.dialects.event_walk import witnessed


def order_body(number: str = "ORD-001", *items: tuple[str, int], **fields: Any) -> dict[str, Any]:
    """One order as the seed's example sends it (``items`` default: 2 x PROD-001)."""
    order: dict[str, Any] = {
        "order_number": number,
        "order_reference": "REF-123",
        "shipping_method": "Pick",
        "cart": {"store_name": "My Shop", "id": 0},
        "customer": {
            "email": "customer@example.com",
            "phone": "1234567890",
            "firstname": "John",
            "lastname": "Doe",
            "address1": "123 Main St",
            "city": "Los Angeles",
            "state": "CA",
            "zip": "90001",
            "country": "USA",
        },
        "items": [
            {"sku": sku, "quantity": qty, "sold_price": 29.99}
            for sku, qty in (items or (("PROD-001", 2),))
        ],
    }
    order.update(fields)
    return order


@pytest.fixture
def seed_order() -> dict[str, Any]:
    """The seed's own example body for POST /orders."""
    return {"data": [order_body()]}


@pytest.fixture
async def client(db_url: str, account: NewAccount) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the ShipEdge dialect, authenticated as the account."""
    app = create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=5)))
    async with (
        witnessed(app) as witness,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=witness),
            base_url=f"http://orderyard.test{SHIPEDGE_ROOT}",
            headers={"AccountID": str(account.account_id), "Key": account.key},
        ) as http,
    ):
        yield http
    await app.state.orderyard.engines.dispose()
