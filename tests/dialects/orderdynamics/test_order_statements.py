"""An OrderDynamics create costs the statements of a ShipEdge one (issue 14).

Both go through the one placement; the OrderDynamics answer (the whole order) is made from
what the placement wrote (``services/order/place.py::place_order``), so it adds no read.
Counted on the server's own engine, through HTTP exactly as a client calls it, after one
order of each dialect has warmed the key cache.
"""

import httpx

from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from tests.dialects.orderdynamics.test_order_custom_fields import define
from tests.dialects.orderdynamics.test_orders import SHIPEDGE, order_body, stocked
from tests.factories import Factory
from tests.statements import counted

LINE = {"ExternalOrderDetailId": "L-1", "Sku": "SKU-1", "Quantity": 1, "UnitPrice": 2}


def shipedge_body(number: str) -> dict[str, object]:
    return {
        "data": [
            {
                "order_number": number,
                "shipping_method": "Pick",
                "cart": {"store_name": "My Shop"},
                "customer": {
                    "firstname": "Jane",
                    "address1": "1 Main St",
                    "city": "Toronto",
                    "state": "ON",
                    "zip": "M4W1A8",
                    "country": "CA",
                },
                "items": [{"sku": "SKU-1", "quantity": 1, "sold_price": 2}],
            }
        ]
    }


def server_engines(client: httpx.AsyncClient) -> Engines:
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    engines: Engines = transport.app.state.orderyard.engines  # type: ignore[attr-defined]
    return engines


async def test_a_one_line_order_costs_what_a_shipedge_one_does(
    od: httpx.AsyncClient, make: Factory, account: NewAccount
) -> None:
    await stocked(make, on_hand=10)
    se = {"AccountID": str(account.account_id), "Key": account.key}
    for number in ("WARM-SE", "WARM-OD"):
        warm = (
            await od.post(f"{SHIPEDGE}/orders", json=shipedge_body(number), headers=se)
            if number == "WARM-SE"
            else await od.post("/v1/orders", json=order_body(number, LINE))
        )
        assert warm.status_code in (200, 201), warm.text
    engine = server_engines(od).write

    with counted(engine) as shipedge:
        response = await od.post(f"{SHIPEDGE}/orders", json=shipedge_body("SE-1"), headers=se)
    assert response.status_code == 200, response.text
    with counted(engine) as orderdynamics:
        response = await od.post("/v1/orders", json=order_body("OD-1", LINE))
    assert response.status_code == 201, response.text

    assert orderdynamics == shipedge
    assert response.json()["OrderDetails"][0]["AllocatedQuantity"] == 1


async def test_custom_fields_on_create_add_only_their_own_statements(
    od: httpx.AsyncClient, make: Factory
) -> None:
    """Checking the values (one SELECT of their definitions) and writing them (one INSERT)
    cost their statements; answering them costs none."""
    await stocked(make, on_hand=10)
    await define(od, "Order", "Ref", "Text")
    assert (await od.post("/v1/orders", json=order_body("WARM", LINE))).status_code == 201
    engine = server_engines(od).write

    with counted(engine) as plain:
        await od.post("/v1/orders", json=order_body("OD-1", LINE))
    with counted(engine) as with_fields:
        body = order_body("OD-2", LINE, CustomFields=[{"Name": "Ref", "Value": "x"}])
        response = await od.post("/v1/orders", json=body)

    assert response.json()["CustomFields"] == [{"Name": "Ref", "Value": "x"}]
    added = list(with_fields)
    for statement in plain:
        added.remove(statement)
    assert sorted(added) == ["INSERT", "SELECT"]


async def test_a_get_reads_payments_only_of_an_order_that_has_some(
    od: httpx.AsyncClient, make: Factory
) -> None:
    """The order with its lines: one statement, as ShipEdge's get. Its payments only when
    ``orders.payment_count`` says there are; custom field values (of the order, its lines, its
    payments) only when ``orders.has_custom_fields`` says some were ever set."""
    await stocked(make, on_hand=10)
    offline = {"PaymentMethod": "Offline", "Amount": 2}
    assert (await od.post("/v1/orders", json=order_body("PLAIN", LINE))).status_code == 201
    paid = await od.post("/v1/orders", json=order_body("PAID", LINE, Payments=[offline]))
    assert paid.status_code == 201, paid.text
    engine = server_engines(od).read

    with counted(engine) as plain:
        await od.get("/v1/orders", params={"ExternalOrderId": "PLAIN"})
    with counted(engine) as with_payments:
        response = await od.get("/v1/orders", params={"ExternalOrderId": "PAID"})

    assert plain == ["SELECT"]
    assert with_payments == ["SELECT", "SELECT"]
    assert response.json()["Payments"][0]["Amount"] == 2


async def test_a_get_reads_custom_fields_once_any_was_set_through_either_dialect(
    od: httpx.AsyncClient, make: Factory, account: NewAccount
) -> None:
    await stocked(make, on_hand=10)
    order = (await od.post("/v1/orders", json=order_body("PLAIN", LINE))).json()
    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    engine = server_engines(od).read
    set_there = await od.post(
        f"{SHIPEDGE}/attributes/order/{order['InternalOrderId']}",
        json={"data": [{"attribute": "Ref", "value": "x"}]},
        headers=shipedge,
    )
    assert set_there.status_code == 200, set_there.text

    with counted(engine) as statements:
        response = await od.get("/v1/orders", params={"ExternalOrderId": "PLAIN"})

    assert statements == ["SELECT", "SELECT"]
    assert response.json()["CustomFields"] == [{"Name": "Ref", "Value": "x"}]
