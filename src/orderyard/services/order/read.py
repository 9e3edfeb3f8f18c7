"""Reading orders: one by reference, or a filtered page."""

from orderyard.domain.errors import (
    NotFoundError,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.services.order.commands import OrderRef
from orderyard.store.queries.order import OrderFilter, OrderView
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
    async with uow:
        return await uow.orders.page(where, page, sort=sort, descending=descending)
