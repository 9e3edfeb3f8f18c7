"""Reading orders: one by reference, a filtered page, an order's figures."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.ledger import amounts_of
from orderyard.domain.values import Page, PageRequest
from orderyard.services.order.commands import OrderRef
from orderyard.store.queries.order_filters import OrderFilter
from orderyard.store.queries.order_views import OrderLineView, OrderView
from orderyard.store.uow import ReadUnitOfWork


async def get_order(uow: ReadUnitOfWork, ref: OrderRef) -> OrderView:
    """One order with its lines.

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        view = await uow.orders.get(ref.field, ref.value)
    if view is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return view


async def list_orders(
    uow: ReadUnitOfWork,
    where: OrderFilter,
    page: PageRequest,
    *,
    sort: str = "id",
    descending: bool = True,
) -> Page[OrderView]:
    """A page of the account's orders matching ``where``."""
    async with _list_read(uow, where) as uow:
        return await uow.orders.page(where, page, sort=sort, descending=descending)


def _list_read(uow: ReadUnitOfWork, where: OrderFilter) -> ReadUnitOfWork:
    """A list may read the replica (``tolerating_lag``), unless it names one order.

    A list by the order's id or reference is a lookup, which a client makes right after
    writing the order: it reads the primary, as a get does.
    """
    if where.order_id is not None or where.reference is not None:
        return uow
    return uow.tolerating_lag()


@dataclass(frozen=True, slots=True)
class Tally:
    """Lines that have units in one state, those units, and their amount at the unit price."""

    lines: int
    units: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class OrderStatistics:
    """What became of an order's units, state by state, and how many shipments it took."""

    order: OrderView
    ordered: Tally
    allocated: Tally
    shipped: Tally
    cancelled: Tally
    returned: Tally
    shipments: int
    invoiced: Tally = Tally(0, 0, Decimal(0))
    """Lines and units on sales invoices; the amount is what they bill (tax and discount in)."""


def _tally(lines: Sequence[OrderLineView], units: Callable[[OrderLineView], int]) -> Tally:
    counted = [(line, units(line)) for line in lines if units(line) > 0]
    return Tally(
        lines=len(counted),
        units=sum(n for _, n in counted),
        amount=sum((line.unit_price * n for line, n in counted), Decimal(0)),
    )


async def order_statistics(uow: ReadUnitOfWork, ref: OrderRef) -> OrderStatistics:
    """An order's figures: lines, units and amounts per state, and its shipments.

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        view = await uow.orders.get(ref.field, ref.value)
        if view is None:
            raise NotFoundError(f"order {ref.value} not found", field="order")
        shipment_count = await uow.orders.shipment_count(view.id)
        invoiced_units = await uow.invoices.invoiced_units(view.id)
        billed = amounts_of(view.currency, await uow.invoices.ledger(view.id)).invoiced
    lines = view.lines
    return OrderStatistics(
        order=view,
        ordered=_tally(lines, lambda line: line.quantity),
        allocated=_tally(lines, lambda line: line.allocated),
        shipped=_tally(lines, lambda line: line.shipped),
        cancelled=_tally(lines, lambda line: line.cancelled),
        returned=_tally(lines, lambda line: line.returned),
        shipments=shipment_count,
        invoiced=Tally(
            lines=sum(1 for units in invoiced_units.values() if units > 0),
            units=sum(invoiced_units.values()),
            amount=billed,
        ),
    )


async def cancelled_lines(
    uow: ReadUnitOfWork, ref: OrderRef, page: PageRequest
) -> tuple[OrderView, Page[OrderLineView]]:
    """An order and a page of its lines with cancelled units, in line order.

    Raises:
        NotFoundError: no such order in this account.
    """
    view = await get_order(uow, ref)
    cancelled = [line for line in view.lines if line.cancelled > 0]
    items = cancelled[page.offset : page.offset + page.per_page]
    return view, Page(items, len(cancelled), page)


async def search_orders(
    uow: ReadUnitOfWork,
    where: OrderFilter,
    page: PageRequest,
    *,
    location_code: str | None = None,
) -> Page[OrderView]:
    """A page of the account's orders matching ``where``, newest first.

    ``location_code`` keeps the orders with units allocated at that location.

    Raises:
        InvalidRequestError: the location is not one of the account's.
    """
    async with _list_read(uow, where) as uow:
        if location_code is not None:
            location = await uow.locations.find_by_code(location_code)
            if location is None:
                raise InvalidRequestError(f"unknown location {location_code!r}", field="location")
            where = replace(where, location_id=location.id)
        return await uow.orders.page(where, page, sort=newest_first(where))


def newest_first(where: OrderFilter) -> str:
    """The sort that puts the newest first and follows the index of ``where``'s range.

    A created-date window is a range of (account_id, created_at, id): sorted by that index,
    the page and its count read only the window; sorted by id, they walked every newer order
    first (bench/README.md, "Console orders list"). An order's ``created_at`` is when
    Orderyard wrote it, in the order of ids, so "newest first" means the same either way.
    """
    if where.created_from is not None or where.created_to is not None:
        return "created_at"
    return "id"
