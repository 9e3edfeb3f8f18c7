"""A data subject's rights: export everything held about a customer, or forget them.

Export reads, in one read transaction, the customer, their address book, their orders (by
the link rule, ``domain.customer.CustomerLink``) and the event log's entries about them.
Forget erases the person in one transaction: the customer's and their addresses' personal
fields, and the personal columns of their orders, are emptied (orders keep their numbers,
lines and amounts for the books), the e-mail log's messages to them are emptied (address,
subject, bodies; one still queued is never sent), earlier event payloads that hold a
personal value are scrubbed, and the log records that the customer was forgotten, with
counts, not data.
"""

from dataclasses import dataclass
from datetime import datetime

from orderyard.domain.customer import (
    CustomerAddress,
    CustomerRecord,
    Forgetting,
    anonymised,
    personal_values,
    scrubbed,
)
from orderyard.domain.values import PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.customer.records import CustomerRef, find_customer, locking
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.queries.customer import EventView
from orderyard.store.queries.order_filters import OrderFilter
from orderyard.store.queries.order_views import OrderView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

EXPORT_PAGE = 250
"""Orders read per statement while exporting."""


@dataclass(frozen=True, slots=True)
class CustomerExport:
    """Everything Orderyard holds about one customer."""

    customer: CustomerRecord
    addresses: list[CustomerAddress]
    orders: list[OrderView]
    events: list[EventView]
    exported_at: datetime


async def export_customer(uow: ReadUnitOfWork, ref: CustomerRef) -> CustomerExport:
    """Everything held about a customer: record, addresses, orders and its event log.

    Raises:
        NotFoundError: no such customer in this account.
    """
    async with uow:
        customer = await find_customer(uow.customers.get, ref)
        addresses = await uow.customers.all_addresses(customer.id)
        orders: list[OrderView] = []
        if customer.link.links_anything:
            where = OrderFilter(linked_to=customer.link)
            number = 1
            while True:
                page = await uow.orders.page(
                    where, PageRequest(number, EXPORT_PAGE), sort="id", descending=False
                )
                orders += page.items
                if len(page.items) < EXPORT_PAGE:
                    break
                number += 1
        history = await uow.customers.history("customer", [customer.id])
        history += await uow.customers.history("customer_address", [a.id for a in addresses])
    return CustomerExport(customer, addresses, orders, history, utcnow())


@retried_on_lock_cycles
async def forget_customer(uow: UnitOfWork, ref: CustomerRef) -> Forgetting:
    """Erase a customer's personal data everywhere, irreversibly, in one transaction.

    Forgetting a forgotten customer changes nothing and answers zero counts.

    Raises:
        NotFoundError: no such customer in this account.
    """
    now = utcnow()
    async with uow:
        customer = await find_customer(locking(uow), ref)
        if customer.forgotten_at is not None:
            return Forgetting(customer.id, customer.forgotten_at, 0, 0, 0)
        book = await uow.customers.addresses(customer.id)
        order_ids = (
            await uow.personal_data.linked_order_ids(customer.link)
            if customer.link.links_anything
            else []
        )
        personal = personal_values(customer.person, [entry.address for entry in book])
        await uow.personal_data.anonymise_orders(order_ids, now)
        await uow.emails.anonymise(order_ids, customer.person.email)
        blank = [(entry.id, anonymised(entry.address)) for entry in book]
        await uow.customers.anonymise_addresses(customer.id, blank, now)
        await uow.customers.forget(customer.id, now)
        scrubbed_count = await _scrub_events(
            uow, personal, customer.id, [entry.id for entry in book], order_ids
        )
        for order_id in order_ids:
            await uow.events.record("order_anonymised", "order", order_id, {})
        counts = {
            "orders": len(order_ids),
            "addresses": len(book),
            "events_scrubbed": scrubbed_count,
        }
        await uow.events.record("customer_forgotten", "customer", customer.id, counts)
        await uow.commit()
    return Forgetting(customer.id, now, len(order_ids), len(book), scrubbed_count)


async def _scrub_events(
    uow: UnitOfWork,
    personal: tuple[str, ...],
    customer_id: int,
    address_ids: list[int],
    order_ids: list[int],
) -> int:
    """Rewrite every earlier event payload about the person that holds a personal value."""
    if not personal:
        return 0
    count = 0
    for record_type, ids in (
        ("customer", [customer_id]),
        ("customer_address", address_ids),
        ("order", order_ids),
    ):
        for event_id, data in await uow.personal_data.events_about(record_type, ids):
            clean, hit = scrubbed(data, personal)
            if hit:
                await uow.personal_data.rewrite_event(event_id, clean)
                count += 1
    return count
