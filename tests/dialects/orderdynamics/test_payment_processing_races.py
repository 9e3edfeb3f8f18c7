"""Concurrent AutoInvoice, PaymentRetry and CreditInvoice on one order, over HTTP.

Each raise or credit locks the order's row, so they take turns and each sees what the last
wrote; a retry claims the invoice's capture by one conditional UPDATE, so two retries never
both call the gateway. Whatever the interleaving, the order is invoiced once, captured once
and credited at most what was paid.
"""

import asyncio
from decimal import Decimal

import httpx
import pytest

from orderyard.domain.gateway import Outcome
from orderyard.services.payment.gateways import SCRIPTED
from tests.dialects.orderdynamics.test_payment_processing import BASE, amounts, auto, placed
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = [pytest.mark.concurrency, pytest.mark.postgres]


async def test_racing_invoices_retries_and_credits_never_count_twice(
    od: httpx.AsyncClient, make: Factory
) -> None:
    order = await placed(od, make)
    order_id = order["InternalOrderId"]
    await make.ship(order_id)
    SCRIPTED.script(Outcome.declined)
    SCRIPTED.delay = 0.05

    raised = await asyncio.gather(*(auto(od, order_id) for _ in range(4)))
    invoice_id = next(r.json()["InvoiceId"] for r in raised if r.status_code == 200)
    retries = await asyncio.gather(
        *(
            od.post(f"{BASE}/Invoices/PaymentRetry", json={"InvoiceId": invoice_id})
            for _ in range(4)
        )
    )
    credits = await asyncio.gather(
        *(
            od.post(f"{BASE}/Invoices/CreditInvoice", json={"InvoiceId": invoice_id})
            for _ in range(4)
        )
    )

    assert sorted(r.status_code for r in raised) == [200, 409, 409, 409]
    assert sorted(r.status_code for r in retries) == [200, 409, 409, 409]
    assert sorted(r.status_code for r in credits) == [200, 409, 409, 409]
    assert [op for op, _ in SCRIPTED.calls] == ["capture", "capture", "refund"]
    assert await count_rows(make, "invoices") == 2
    figures = await amounts(od, order_id)
    assert figures["InvoicedAmount"] == figures["CapturedAmount"] == 22.73
    assert figures["CreditedAmount"] == figures["RefundedAmount"] == 22.73
    assert Decimal(str(figures["RefundableAmount"])) == 0


@pytest.fixture(autouse=True)
def _approving() -> None:
    SCRIPTED.reset()
    SCRIPTED.default = Outcome.approved
