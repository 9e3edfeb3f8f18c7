"""An order's money from the customer to the credit, over HTTP as clients call it (issue 16).

A customer is created, an order placed for them (no card: it is paid by cheque), shipped
through OrderDynamics shipments, auto-invoiced, paid offline, partly returned through
ShipEdge, committed through OrderDynamics and credited; every amount is checked at each
step, and the ledger of stock and of money agree at the end.
"""

from typing import Any

import httpx

from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_orders import order_body
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, level

BASE = "/v1/paymentprocessing"
SHIPMENTS = "/v1/orderfulfillment/shipments"
RETURNS = "/apirest/v4/oms/inventory/returns"
LINES = (
    {"ExternalOrderDetailId": "L-1", "Sku": "SKU-1", "Quantity": 2, "UnitPrice": 10.5,
     "TaxAmount": 2.73, "DiscountAmount": 1},
    {"ExternalOrderDetailId": "L-2", "Sku": "SKU-2", "Quantity": 1, "UnitPrice": 4.99,
     "TaxAmount": 0.65},
)  # fmt: skip
"""SKU-1: 2 x 10.50 + 2.73 tax - 1.00 discount = 22.73; SKU-2: 4.99 + 0.65 = 5.64."""


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def amounts(od: httpx.AsyncClient, order_id: int) -> dict[str, float]:
    figures = await ok(
        await od.get(f"{BASE}/OrderAvailableAmounts", params={"InternalOrderId": order_id})
    )
    names = ("Invoiced", "OfflineApplied", "UnappliedOffline", "Credited", "Refunded")
    return {name: figures[f"{name}Amount"] for name in names} | {"Due": figures["AmountDue"]}


async def test_a_customers_order_is_invoiced_paid_offline_returned_in_part_and_credited(
    od: httpx.AsyncClient, make: Factory, account: NewAccount
) -> None:
    await make.location("DC-1")
    for sku in ("SKU-1", "SKU-2"):
        await make.item(sku)
        await make.stock("DC-1", sku, 5)
    customer = {"ExternalCustomerId": "C-9", "Email": "jane@example.com", "FirstName": "Jane"}
    customer_id = (await ok(await od.post("/v1/customers", json=customer), 201))[
        "InternalCustomerId"
    ]

    order = await ok(await od.post("/v1/orders", json=order_body("EXT-1", *LINES)), 201)
    order_id = order["InternalOrderId"]
    assert order["OrderStatus"] == "Allocated"
    history = await ok(
        await od.get("/v1/orders/CustomerHistory", params={"InternalCustomerId": customer_id})
    )
    assert [o["InternalOrderId"] for o in history["Items"]] == [order_id]
    assert await amounts(od, order_id) == {
        "Invoiced": 0.0, "OfflineApplied": 0.0, "UnappliedOffline": 0.0, "Credited": 0.0,
        "Refunded": 0.0, "Due": 0.0,
    }  # fmt: skip

    [shipment] = (
        await ok(
            await od.post(f"{SHIPMENTS}/CreateAllShipments", json={"ExternalOrderId": "EXT-1"}),
            201,
        )
    )["Shipments"]
    for word in ("Released", "Picked", "Packed", "Shipped"):
        await ok(
            await od.put(
                f"{SHIPMENTS}/Status",
                params={"ShipmentId": shipment["ShipmentId"]},
                json={"ShipmentStatus": word},
            )
        )
    assert await level(make, "DC-1", "SKU-1") == (3, 0)

    invoice = await ok(
        await od.post(f"{BASE}/Invoices/AutoInvoice", json={"IDType": "order", "ID": order_id})
    )
    assert (invoice["Amount"], invoice["InvoiceStatus"]) == (28.37, "Open")
    assert sorted(line["Amount"] for line in invoice["LineItems"]) == [5.64, 22.73]
    assert (await amounts(od, order_id))["Due"] == 28.37

    query = {"InternalOrderId": order_id}
    await ok(
        await od.post(
            f"{BASE}/OfflinePayment/Accept", params=query, json={"Amount": 30, "Reference": "CHQ"}
        )
    )
    assert (await amounts(od, order_id))["UnappliedOffline"] == 30.0
    applied = await ok(await od.post(f"{BASE}/OfflinePayment/Apply", params=query, json={}))
    assert applied["AmountApplied"] == 28.37
    assert await amounts(od, order_id) == {
        "Invoiced": 28.37, "OfflineApplied": 28.37, "UnappliedOffline": 1.63, "Credited": 0.0,
        "Refunded": 0.0, "Due": 0.0,
    }  # fmt: skip

    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    announced = await ok(
        await od.post(
            RETURNS,
            headers=shipedge,
            json={"data": [{"order_id": order_id, "items": [{"sku": "SKU-1", "quantity": 1}]}]},
        )
    )
    return_id = announced["data"][0]["return_id"]
    assert (await amounts(od, order_id))["Credited"] == 0.0  # announced is not yet received

    await ok(
        await od.post(
            "/v1/returns/Commit",
            params={"InternalReturnId": return_id},
            json={"LocationInternalName": "DC-1"},
        )
    )

    figures = await amounts(od, order_id)
    assert (figures["Invoiced"], figures["OfflineApplied"]) == (28.37, 28.37)
    assert figures["Credited"] == 11.37  # one unit of two: 22.73 / 2, rounded half up
    assert figures["Refunded"] <= figures["Credited"]
    memos = await ok(await od.get(f"{BASE}/CreditMemos", params={"ExternalCustomerId": "C-9"}))
    assert [memo["Amount"] for memo in memos["Items"]] == [11.37]
    after = await ok(await od.get("/v1/orders", params={"InternalOrderId": order_id}))
    assert [
        (d["Sku"], d["ShippedQuantity"], d["ReturnedQuantity"]) for d in after["OrderDetails"]
    ] == [
        ("SKU-1", 2, 1),
        ("SKU-2", 1, 0),
    ]
    assert await level(make, "DC-1", "SKU-1") == (4, 0)
    await assert_ledger_balances(make)
