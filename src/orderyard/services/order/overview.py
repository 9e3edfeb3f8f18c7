"""An order with everything around it, read at once: what the console's order page shows.

One read unit of work and a fixed number of statements whatever the order holds: the order
and its lines, its shipments (lines and tracking numbers batched), its payments (only when
``payment_count`` says it has some), its invoices and credit memos, and the latest events on
the order and on its shipments with the e-mails of the staff members who made them.
"""

from dataclasses import dataclass

from orderyard.domain.errors import NotFoundError
from orderyard.domain.event_log import Initiator, LoggedEvent
from orderyard.domain.invoice import Invoice, InvoiceFilter
from orderyard.domain.payment import Payment
from orderyard.domain.values import PageRequest
from orderyard.services.event_log import TIMELINE_LIMIT, Timeline
from orderyard.store.queries.order_views import OrderView
from orderyard.store.queries.shipment import ShipmentFilter, ShipmentView
from orderyard.store.uow import ReadUnitOfWork

SHIPMENTS_SHOWN = 100
"""Shipments of one order shown (oldest first); no real order comes near."""
INVOICES_SHOWN = 100
"""Invoices and credit memos of one order shown (newest first)."""


@dataclass(frozen=True, slots=True)
class OrderOverview:
    """An order, its shipments, payments, invoices and the timeline of who changed what."""

    order: OrderView
    shipments: list[ShipmentView]
    payments: list[Payment]
    invoices: list[Invoice]
    timeline: Timeline


async def order_overview(read: ReadUnitOfWork, order_id: int) -> OrderOverview:
    """Everything the order page shows about one order.

    Raises:
        NotFoundError: no such order in this account (another account's included).
    """
    async with read:
        order = await read.orders.get("id", order_id)
        if order is None:
            raise NotFoundError(f"order {order_id} not found", field="order")
        shipments = await read.shipments.page(
            ShipmentFilter(order_id=order.id), PageRequest(1, SHIPMENTS_SHOWN)
        )
        payments = (
            (await read.payments.of_orders([order.id])).get(order.id, [])
            if order.payment_count
            else []
        )
        invoices = await read.invoices.search(
            InvoiceFilter(order_id=order.id), PageRequest(1, INVOICES_SHOWN)
        )
        events = await _events(read, order.id, [s.id for s in shipments.items])
        staff_ids = sorted(
            {
                named
                for kind, named in (event.initiator for event in events)
                if kind is Initiator.STAFF and named is not None
            }
        )
        emails = await read.staff.emails_of(staff_ids)
    return OrderOverview(order, shipments.items, payments, invoices.items, Timeline(events, emails))


async def _events(
    read: ReadUnitOfWork, order_id: int, shipment_ids: list[int]
) -> list[LoggedEvent]:
    """The latest events on the order and on its shipments, oldest first."""
    found = await read.events.of_records("order", [order_id], limit=TIMELINE_LIMIT)
    found += await read.events.of_records("shipment", shipment_ids, limit=TIMELINE_LIMIT)
    return sorted(found, key=lambda event: event.id)[-TIMELINE_LIMIT:]
