"""Lists of invoices and credit memos: by the seed's filters, or by a customer's orders."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from orderyard.domain.invoice import Invoice, InvoiceFilter, InvoiceKind
from orderyard.domain.values import Page, PageRequest
from orderyard.store.customer_link import linked_orders
from orderyard.store.repositories.invoice import InvoiceRepository
from orderyard.store.tables import invoices, orders


class InvoiceQueries(InvoiceRepository):
    """The read side: the repository's reads and the lists."""

    def _where(self, where: InvoiceFilter) -> Select[tuple[int]]:
        statement = select(invoices.c.id).join(orders, orders.c.id == invoices.c.order_id)
        statement = statement.where(
            invoices.c.account_id == self.account_id, orders.c.account_id == self.account_id
        )
        conditions: list[tuple[object, Callable[[Any], ColumnElement[bool]]]] = [
            (where.created_after, lambda v: invoices.c.created_at > v),
            (where.created_before, lambda v: invoices.c.created_at < v),
            (where.invoice_id, lambda v: invoices.c.id == v),
            (where.order_id, lambda v: invoices.c.order_id == v),
            (where.order_number, lambda v: orders.c.order_number == v),
            (where.status, lambda v: invoices.c.status == v.value),
            (where.kind, lambda v: invoices.c.kind == v.value),
            (where.link, linked_orders),
        ]
        for value, condition in conditions:
            if value is not None:
                statement = statement.where(condition(value))
        return statement

    async def search(self, where: InvoiceFilter, page: PageRequest) -> Page[Invoice]:
        """A page of the invoices (and memos) matching ``where``, newest first."""
        matching = self._where(where)
        total = (
            await self.conn.execute(select(func.count()).select_from(matching.subquery()))
        ).scalar_one()
        rows = await self.conn.execute(
            matching.order_by(invoices.c.id.desc()).limit(page.per_page).offset(page.offset)
        )
        ids: list[int] = [int(row.id) for row in rows]
        found = {invoice.id: invoice for invoice in await self.get_many(ids)}
        return Page(sorted(found.values(), key=lambda i: -i.id), total, page)

    async def invoiced_units(self, order_id: int) -> dict[int, int]:
        """Units of each line of the order on its sales invoices."""
        return await self.billed_units(order_id, InvoiceKind.sales)
