"""Allocation inside an open unit of work: orders take stock, backorders wait and catch up.

These are internal steps that other services call with their own open ``uow``; none of them
commits (STYLE.md §2.5, "one UoW per use case").
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from orderyard.domain.allocation.geo import Coordinates
from orderyard.domain.allocation.policy import AllocationStrategy, Demand, Take, plan, reach
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import Allocation, HoldState, Order, OrderLine
from orderyard.domain.shipment import (
    Shipment,
    ShipmentStatus,
    plan_every_location,
    shippable_by_location,
)
from orderyard.kit.clock import utcnow
from orderyard.store.uow import UnitOfWork

MAX_PLAN_ATTEMPTS = 3
"""Re-plans after losing a race for stock before the rest is left backordered."""
BACKORDER_BATCH = 10_000
"""Waiting lines considered per round of backorder allocation. A round reads the candidate
levels of every item it covers, and a feed's waiting lines (oldest first) spread over all its
items, so each round re-reads about the same items: fewer, larger rounds read them fewer
times (2,000 lines a round cost the 100,000-row feed 1-2 s more). The bound keeps one
round's orders and lines in memory."""


async def take_stock(
    uow: UnitOfWork,
    demands: Sequence[Demand],
    strategy: AllocationStrategy,
    *,
    waiting_first: bool = False,
    excluding: frozenset[int] = frozenset(),
) -> list[Take]:
    """Take what stock allows for the demands, earlier demands first.

    ``excluding``: locations that must not be planned (a rejected shipment's location).

    The plan's takes at one stock level are taken together, all or nothing per level
    (``StockRepository.take_levels``: conditional UPDATEs in (location, item) order), so a
    batch of backorders costs statements per batch, not per order. A level whose stock went
    elsewhere meanwhile takes nothing, and its demands are re-planned against fresh stock.
    """
    outstanding = [demand.quantity for demand in demands]
    taken: list[Take] = []
    wanted = demands
    for _ in range(MAX_PLAN_ATTEMPTS):
        if not any(left > 0 for left in outstanding):
            break
        by_level: dict[tuple[int, int], list[Take]] = {}
        planned = await plan_takes(
            uow, wanted, strategy, waiting_first=waiting_first, excluding=excluding
        )
        for take in planned:
            by_level.setdefault((take.location_id, take.item_id), []).append(take)
        got = await uow.stock.take_levels(
            {level: sum(t.quantity for t in ts) for level, ts in by_level.items()}
        )
        for level in sorted(got):
            taken.extend(by_level[level])
            for take in by_level[level]:
                outstanding[take.demand_index] -= take.quantity
        if len(got) == len(by_level):
            break
        wanted = [
            Demand(d.item_id, left, d.destination)
            for d, left in zip(demands, outstanding, strict=True)
        ]
    return taken


async def plan_takes(
    uow: UnitOfWork,
    demands: Sequence[Demand],
    strategy: AllocationStrategy,
    *,
    waiting_first: bool = False,
    excluding: frozenset[int] = frozenset(),
) -> list[Take]:
    """Plan takes for the demands against current stock, without taking anything.

    ``excluding`` removes locations from the candidates; the read then covers every
    candidate (a by-priority reach could stop at an excluded location).

    A candidate level that counts an expired reservation is settled first (its lock, then
    its recount), and its units join the plan. ``waiting_first`` (a new order): units an
    expiry freed go to the orders already waiting for them before this one, oldest first, as
    if the expiry had been noticed when it happened.
    """
    items = {demand.item_id for demand in demands if demand.quantity > 0}
    if not items:
        return []
    reach_ = None if excluding else reach(demands, strategy)
    read = await uow.stock.candidates(items, first_by_priority=reach_)
    if read.expired:
        await uow.transaction()
        freed = await uow.reservations.settle(read.expired, utcnow())
        if waiting_first and freed:
            await allocate_backorders(uow, freed, strategy)
        read = await uow.stock.candidates(items, first_by_priority=reach_)
    by_item = read.by_item
    if excluding:
        by_item = {
            item: [c for c in found if c.location_id not in excluding]
            for item, found in by_item.items()
        }
    return [t for t in plan(demands, by_item, strategy) if t.quantity > 0]


def merge_takes(takes: Sequence[Take]) -> list[Take]:
    """One take per (demand, location): a re-plan can take twice where it took before."""
    merged: dict[tuple[int, int], Take] = {}
    for take in takes:
        key = (take.demand_index, take.location_id)
        earlier = merged.get(key)
        merged[key] = (
            take if earlier is None else replace(take, quantity=earlier.quantity + take.quantity)
        )
    return list(merged.values())


def levels_of(takes: Sequence[Take]) -> dict[tuple[int, int], int]:
    """The units the takes want at each (location, item) level."""
    wanted: dict[tuple[int, int], int] = {}
    for take in takes:
        level = (take.location_id, take.item_id)
        wanted[level] = wanted.get(level, 0) + take.quantity
    return wanted


async def allocate_order(uow: UnitOfWork, order: Order, strategy: AllocationStrategy) -> None:
    """Allocate what stock allows to an existing order's open demand, and persist it.

    The nearest strategy ranks by the order's stored shipping coordinates.
    """
    lines = [line for line in order.lines if line.waiting > 0]
    destination = (await destinations_of(uow, [order.id], strategy)).get(order.id)
    demands = [Demand(ln.item_id, ln.waiting, destination) for ln in lines]
    takes = await take_stock(uow, demands, strategy)
    for take in takes:
        lines[take.demand_index].allocated += take.quantity
    await persist_takes(uow, {order.id: [(lines[t.demand_index].id, t) for t in takes]})
    order.refresh_status()


async def persist_takes(uow: UnitOfWork, takes: Mapping[int, Sequence[tuple[int, Take]]]) -> None:
    """Record takes as allocations per (line, location) and ledger movements.

    ``takes`` maps order ids to their ``(line_id, take)`` pairs; every order's rows go out
    in the same two statements. Takes of one line at one location (a re-plan can take there
    twice) become one allocation. (A new order's are written with the order, see
    ``PlacementRepository``.)
    """
    merged: list[tuple[int, int, Take]] = []
    for order_id, pairs in takes.items():
        line_of = {take.demand_index: line_id for line_id, take in pairs}
        merged += [
            (order_id, line_of[t.demand_index], t) for t in merge_takes([t for _, t in pairs])
        ]
    if not merged:
        return
    await uow.orders.add_allocations(
        [
            (order_id, Allocation(0, line_id, t.location_id, t.item_id, t.quantity))
            for order_id, line_id, t in merged
        ]
    )
    await uow.stock.record([t.movement(order_id) for order_id, _, t in merged])


async def release_order(uow: UnitOfWork, order: Order) -> set[int]:
    """Give back every open allocation of the order; return the items released."""
    held = await uow.orders.allocations_of(order.id)
    for allocation in sorted(held, key=lambda a: (a.location_id, a.item_id)):
        await uow.stock.release(allocation.location_id, allocation.item_id, allocation.quantity)
    await uow.stock.record(
        [
            Movement(
                a.location_id,
                a.item_id,
                MovementReason.released,
                allocated_delta=-a.quantity,
                order_id=order.id,
            )
            for a in held
        ]
    )
    await uow.orders.clear_allocations(order.id)
    for line in order.lines:
        line.allocated = 0
    for shipment_id in await uow.shipments.close_open(order.id, ShipmentStatus.cancelled):
        await uow.events.record(
            "shipment_cancelled", "shipment", shipment_id, {"why": "order released its stock"}
        )
    return {a.item_id for a in held}


async def release_shortfalls(
    uow: UnitOfWork, shortfalls: Mapping[tuple[int, int], int], *, reference: str = ""
) -> set[int]:
    """Take lost stock back from the newest allocations of each level; return their orders.

    ``shortfalls`` maps ``(location_id, item_id)`` to the units to release there (a count
    fell below what on-hand backs; a bypass release's shortfall stays). The levels are
    already locked by the caller; the orders are locked here, oldest id first. Their lines
    wait as backorders afterwards: the caller allocates them again (``allocate_backorders``)
    once the counts are set, elsewhere if the account's strategy finds stock, else they stay
    backordered.
    """
    released: dict[int, dict[int, int]] = {}
    movements: list[Movement] = []
    for (location_id, item_id), shortfall in sorted(shortfalls.items()):
        left = shortfall
        for order_id, allocation in await uow.orders.allocations_at(location_id, item_id):
            if left == 0:
                break
            quantity = min(left, allocation.quantity)
            left -= quantity
            await uow.orders.reduce_allocation(allocation.id, quantity)
            lines = released.setdefault(order_id, {})
            lines[allocation.order_line_id] = lines.get(allocation.order_line_id, 0) + quantity
            movements.append(
                Movement(
                    location_id,
                    item_id,
                    MovementReason.released,
                    allocated_delta=-quantity,
                    order_id=order_id,
                    reference=reference,
                )
            )
        await uow.stock.release(location_id, item_id, shortfall - left, lost=True)
    await uow.stock.record(movements)
    orders = await uow.orders.load_many(sorted(released), for_update=True)
    for order in orders:
        for line in order.lines:
            line.allocated -= released[order.id].get(line.id, 0)
        order.refresh_status()
    await uow.orders.save_progress(orders)
    return set(released)


async def allocate_backorders(
    uow: UnitOfWork,
    item_ids: Iterable[int],
    strategy: AllocationStrategy,
    *,
    batch: int = BACKORDER_BATCH,
) -> set[int]:
    """Allocate newly available stock of these items to waiting lines, oldest order first.

    Waiting lines are read ``batch`` at a time. After each round, only the items whose
    waiting lines got nothing are dropped (they are out of stock); items the round did not
    reach stay for the next one. The waiting orders are locked and re-read before any stock
    is taken, so a concurrent hold or cancel cannot leave stock promised to an order that no
    longer wants it. The nearest strategy ranks each line's locations by its own order's
    stored shipping coordinates. Returns the ids of the orders that received stock.
    """
    items = set(item_ids)
    served: set[int] = set()
    while items:
        waiting = await uow.orders.waiting_lines(items, limit=batch)
        if not waiting:
            break
        orders = await _lock_active_orders(uow, {w.order_id for w in waiting})
        lines = [
            (order, line)
            for order in orders
            for line in order.lines
            if line.item_id in items and line.waiting > 0
        ]
        to = await destinations_of(uow, [order.id for order in orders], strategy)
        demands = [Demand(ln.item_id, ln.waiting, to.get(order.id)) for order, ln in lines]
        takes = await take_stock(uow, demands, strategy)
        served |= await _apply_takes(uow, lines, takes)
        if takes and await uow.accounts.ships_on_allocation(uow.account_id):
            await open_shipments(
                uow, {o.id: o for o, _ in (lines[t.demand_index] for t in takes)}.values()
            )
        if len(waiting) < batch:
            break
        stocked = {lines[t.demand_index][1].item_id for t in takes}
        items -= {w.item_id for w in waiting} - stocked
    return served


async def destinations_of(
    uow: UnitOfWork, order_ids: Sequence[int], strategy: AllocationStrategy
) -> dict[int, Coordinates]:
    """The orders' stored shipping coordinates, read only for the strategy that uses them."""
    if strategy is not AllocationStrategy.nearest or not order_ids:
        return {}
    return await uow.orders.destinations(order_ids)


async def _lock_active_orders(uow: UnitOfWork, order_ids: set[int]) -> list[Order]:
    locked = await uow.orders.load_many(sorted(order_ids), for_update=True)
    return [o for o in locked if o.hold is HoldState.none]


async def _apply_takes(
    uow: UnitOfWork, lines: Sequence[tuple[Order, OrderLine]], takes: Sequence[Take]
) -> set[int]:
    by_order: dict[int, list[tuple[int, Take]]] = {}
    orders: dict[int, Order] = {}
    for take in takes:
        order, line = lines[take.demand_index]
        line.allocated += take.quantity
        orders[order.id] = order
        by_order.setdefault(order.id, []).append((line.id, take))
    if not orders:
        return set()
    await persist_takes(uow, by_order)
    for order in orders.values():
        order.refresh_status()
    await uow.orders.save_progress([orders[oid] for oid in sorted(orders)])
    return set(orders)


async def open_shipments(uow: UnitOfWork, orders: Iterable[Order]) -> None:
    """Create each order's shipments for what is allocated and in no open shipment yet.

    What an account that ships on allocation (``ships_on_allocation``) does after every
    allocation: one shipment per location, in the allocation's transaction.
    """
    for order in sorted(orders, key=lambda o: o.id):
        claimed = await uow.shipments.claimed(order.id)
        free = shippable_by_location(await uow.orders.allocations_of(order.id), claimed)
        await add_shipments(uow, plan_every_location(order, free))


async def add_shipments(uow: UnitOfWork, planned: Sequence[Shipment]) -> None:
    """Insert planned shipments and record their creation (inside an open unit of work)."""
    for shipment in planned:
        await uow.shipments.add(shipment)
        await uow.events.record(
            "shipment_created",
            "shipment",
            shipment.id,
            {"order_id": shipment.order_id, "location_id": shipment.location_id},
        )
