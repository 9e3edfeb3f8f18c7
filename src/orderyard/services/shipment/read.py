"""Reading shipments: one by id, or a page of those a filter matches."""

from collections.abc import Sequence

from orderyard.domain.errors import NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.shipment import ShipmentFilter, ShipmentLineView, ShipmentView
from orderyard.store.uow import ReadUnitOfWork

__all__ = [
    "ShipmentFilter",
    "ShipmentLineView",
    "ShipmentView",
    "get_shipment",
    "get_shipments",
    "list_shipments",
]


async def get_shipment(uow: ReadUnitOfWork, shipment_id: int) -> ShipmentView:
    """One shipment with its lines, tracking numbers and custom fields.

    Raises:
        NotFoundError: no such shipment in this account (another account's included).
    """
    [view] = await get_shipments(uow, [shipment_id])
    return view


async def get_shipments(uow: ReadUnitOfWork, shipment_ids: Sequence[int]) -> list[ShipmentView]:
    """Shipments by id, in the order named: what a change answers once it committed.

    Raises:
        NotFoundError: one of them is not a shipment of this account.
    """
    async with uow:
        found = [await uow.shipments.get(shipment_id) for shipment_id in shipment_ids]
    views: list[ShipmentView] = []
    for shipment_id, view in zip(shipment_ids, found, strict=True):
        if view is None:
            raise NotFoundError(f"shipment {shipment_id} not found", field="shipment")
        views.append(view)
    return views


async def list_shipments(
    uow: ReadUnitOfWork, where: ShipmentFilter, page: PageRequest, *, newest_first: bool = False
) -> Page[ShipmentView]:
    """A page of the account's shipments that ``where`` matches, oldest first.

    The APIs list oldest first; the console newest first (``newest_first``), along the same
    index read backwards.
    """
    # A list naming a shipment or its order is a lookup, which a client makes right after
    # writing: the primary. Any other may read the replica.
    named = where.shipment_id is not None or where.order_id is not None or where.order_number
    async with uow if named else uow.tolerating_lag() as uow:
        return await uow.shipments.page(where, page, newest_first=newest_first)
