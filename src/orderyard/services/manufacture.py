"""Manufacture order use cases: plan a build of kits, complete it, cancel it, read, list.

Completing consumes the components from *available* stock (units promised to orders, held
back or kept as safety stock are never used) with the same atomic conditional UPDATE that
allocation uses, then produces the kits. A component that is short fails the whole build.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from orderyard.domain.allocation.policy import AllocationStrategy, Take
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.manufacture import (
    InsufficientComponentsError,
    ManufactureOrder,
    component_needs,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.allocation import allocate_backorders
from orderyard.store.queries.manufacture import ManufactureView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["ManufactureView", "PageRequest"]


@dataclass(frozen=True, slots=True)
class CreateManufactureOrder:
    """Plan building ``quantity`` kits of ``sku`` at a location (given by code)."""

    sku: str
    quantity: int
    location: str


async def create_manufacture_order(
    uow: UnitOfWork, command: CreateManufactureOrder
) -> ManufactureOrder:
    """Plan a build; nothing moves until it is completed.

    Raises:
        InvalidRequestError: an unregistered location, an unknown SKU or one that is not a
            kit with components, or a quantity that is not positive.
    """
    async with uow:
        location = await uow.locations.find_by_code(command.location)
        if location is None:
            raise InvalidRequestError(
                f"location {command.location!r} is not registered", field="location"
            )
        item = await uow.catalog.find_item(command.sku)
        if item is None or not item.is_kit:
            problem = "unknown SKU" if item is None else "not a kit:"
            raise InvalidRequestError(f"{problem} {command.sku!r}", field="sku")
        components = (await uow.catalog.components_of([item.id])).get(item.id, [])
        component_needs(components, command.quantity)
        order = ManufactureOrder(0, location.id, item.id, item.sku, command.quantity)
        await uow.manufacture_orders.add(order)
        await uow.events.record("manufacture_order_created", "manufacture_order", order.id)
        await uow.commit()
    return order


async def complete_manufacture_order(uow: UnitOfWork, order_id: int) -> ManufactureOrder:
    """Build the kits: consume every component, produce the kits, serve waiting backorders.

    Raises:
        NotFoundError: no such manufacture order in this account.
        InvalidStateTransitionError: it is not pending.
        InvalidRequestError: the kit no longer has components.
        InsufficientComponentsError: a component is not available in the needed quantity.
    """
    async with uow:
        order = await _load(uow, order_id)
        order.complete(utcnow())
        components = (await uow.catalog.components_of([order.item_id])).get(order.item_id, [])
        needs = component_needs(components, order.quantity)
        skus = {c.item_id: c.sku for c in components}
        await _build(uow, order, needs, skus)
        await uow.manufacture_orders.save(order)
        account = await uow.accounts.get(uow.account_id)
        await allocate_backorders(
            uow, {order.item_id}, AllocationStrategy(account.allocation_strategy)
        )
        await uow.events.record("manufacture_order_completed", "manufacture_order", order.id)
        await uow.commit()
    return order


async def _build(
    uow: UnitOfWork, order: ManufactureOrder, needs: Mapping[int, int], skus: Mapping[int, str]
) -> None:
    """Apply every stock change of the build in (location, item) order, then the ledger."""
    deltas = {item_id: -need for item_id, need in needs.items()}
    deltas[order.item_id] = deltas.get(order.item_id, 0) + order.quantity
    movements: list[Movement] = []
    for item_id, delta in sorted(deltas.items()):
        if delta < 0:
            await _consume(uow, order.location_id, item_id, -delta, skus.get(item_id, ""))
        elif delta > 0:
            await uow.stock.add_on_hand(order.location_id, item_id, delta)
        if delta:
            movements.append(
                Movement(
                    order.location_id,
                    item_id,
                    MovementReason.manufactured,
                    on_hand_delta=delta,
                    reference=f"manufacture:{order.id}",
                )
            )
    await uow.stock.record(movements)


async def _consume(
    uow: UnitOfWork, location_id: int, item_id: int, quantity: int, sku: str
) -> None:
    """Take ``quantity`` out of available stock, or refuse.

    The take is allocation's conditional UPDATE (it succeeds only while that many units
    are available); shipping the taken units out then lowers on-hand, so the net change is
    on-hand down by ``quantity`` and allocated unchanged.

    Raises:
        InsufficientComponentsError: fewer units are available.
    """
    await uow.reservations.settle([(location_id, item_id)], utcnow())
    if not await uow.stock.take(Take(0, location_id, item_id, quantity)):
        level = (await uow.stock.levels([(location_id, item_id)])).get((location_id, item_id))
        available = 0 if level is None else level.available
        raise InsufficientComponentsError(
            f"not enough {sku} to build: {quantity} needed, {available} available",
            field="sku",
        )
    await uow.stock.ship_out(location_id, item_id, quantity)


async def cancel_manufacture_order(uow: UnitOfWork, order_id: int) -> ManufactureOrder:
    """Give up a planned build; nothing had moved.

    Raises:
        NotFoundError: no such manufacture order in this account.
        InvalidStateTransitionError: it is not pending.
    """
    async with uow:
        order = await _load(uow, order_id)
        order.cancel()
        await uow.manufacture_orders.save(order)
        await uow.events.record("manufacture_order_cancelled", "manufacture_order", order.id)
        await uow.commit()
    return order


async def _load(uow: UnitOfWork, order_id: int) -> ManufactureOrder:
    order = await uow.manufacture_orders.load(order_id, for_update=True)
    if order is None:
        raise NotFoundError(f"manufacture order {order_id} not found", field="order")
    return order


async def get_manufacture_order(uow: ReadUnitOfWork, order_id: int) -> ManufactureView:
    """One manufacture order with its kit's components.

    Raises:
        NotFoundError: no such manufacture order in this account.
    """
    async with uow:
        view = await uow.manufacture_orders.get(order_id)
    if view is None:
        raise NotFoundError(f"manufacture order {order_id} not found", field="order")
    return view


async def list_manufacture_orders(uow: ReadUnitOfWork, page: PageRequest) -> Page[ManufactureView]:
    """A page of the account's manufacture orders, newest first."""
    async with uow:
        return await uow.manufacture_orders.page(page)
