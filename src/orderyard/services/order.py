"""Order use cases: place, update, hold and release, cancel, sub-status, read and list."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from orderyard.domain.allocation.policy import AllocationStrategy, Take
from orderyard.domain.catalog import ResolvedSku
from orderyard.domain.errors import (
    DomainError,
    InvalidRequestError,
    InvalidStateTransitionError,
    NotFoundError,
)
from orderyard.domain.order import (
    HoldState,
    Order,
    OrderHeader,
    OrderLine,
    OrderStatus,
    cancel_open_quantities,
)
from orderyard.domain.values import Address, Page, PageRequest
from orderyard.services.allocation import (
    allocate_backorders,
    allocate_order,
    persist_takes,
    release_order,
    take_stock,
)
from orderyard.store.queries.order import OrderFilter, OrderView
from orderyard.store.repositories.order import PlacementContext
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["OrderFilter", "OrderView", "PageRequest"]


@dataclass(frozen=True, slots=True)
class LineInput:
    """One requested line: a SKU (or alias, or kit) and how many."""

    sku: str
    quantity: int
    unit_price: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """Create one order and allocate it."""

    order_number: str
    lines: tuple[LineInput, ...]
    shipping_method: str | None = None
    address: Address = field(default_factory=Address)
    reference: str = ""
    channel_name: str | None = None
    channel_id: int | None = None
    hold: HoldState = HoldState.none
    hold_reason: str = ""
    order_type: int = 1
    notes: str = ""
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    """What became of one order of a (possibly bulk) call: an order id, or an error."""

    index: int
    order_number: str
    order_id: int | None = None
    status: OrderStatus | None = None
    hold: HoldState = HoldState.none
    error: DomainError | None = None


@dataclass(frozen=True, slots=True)
class OrderRef:
    """How a client names an order: by ``id``, ``order_number`` or ``reference``."""

    field: str
    value: str | int


@dataclass(frozen=True, slots=True)
class UpdateOrder:
    """Change an order. ``None`` leaves a field as it is; ``lines`` replaces every line."""

    ref: OrderRef
    reference: str | None = None
    shipping_method: str | None = None
    channel_name: str | None = None
    channel_id: int | None = None
    address_changes: dict[str, str] = field(default_factory=dict)
    notes: str | None = None
    hold: HoldState | None = None
    hold_reason: str = ""
    lines: tuple[LineInput, ...] | None = None


async def place_orders(uow: UnitOfWork, commands: Sequence[PlaceOrder]) -> list[OrderOutcome]:
    """Create and allocate each order; a failing order is reported and leaves no trace.

    Each order of a bulk call runs in its own savepoint, so valid orders are kept when
    others fail. A single order needs no savepoint: its failure rolls back the call.
    """
    outcomes: list[OrderOutcome] = []
    async with uow:
        for index, command in enumerate(commands):
            try:
                if len(commands) == 1:
                    order = await _place(uow, command)
                else:
                    async with uow.savepoint():
                        order = await _place(uow, command)
            except DomainError as error:
                outcomes.append(OrderOutcome(index, command.order_number, error=error))
                continue
            outcomes.append(
                OrderOutcome(index, command.order_number, order.id, order.status, order.hold)
            )
        if any(o.error is None for o in outcomes):
            await uow.commit()
    return outcomes


async def _place(uow: UnitOfWork, command: PlaceOrder) -> Order:
    context = await uow.orders.placement_context(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
    )
    _check_registered(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
        context=context,
    )
    resolved = await uow.catalog.resolve([line.sku for line in command.lines])
    order = Order(
        id=0,
        header=OrderHeader(
            order_number=command.order_number,
            reference=command.reference,
            channel_id=context.channel_id,
            shipping_method_id=context.shipping_method_id,
            order_type=command.order_type,
            notes=command.notes,
            currency=command.currency,
        ),
        status=OrderStatus.pending,
        hold=command.hold,
        hold_reason=command.hold_reason,
        lines=build_lines(command.lines, resolved),
    )
    total = sum((line.unit_price * line.quantity for line in command.lines), Decimal(0))
    takes: list[Take] = []
    if order.hold is HoldState.none:
        demands = [(line.item_id, line.quantity) for line in order.lines]
        takes = await take_stock(uow, demands, AllocationStrategy(context.strategy))
        for take in takes:
            order.lines[take.demand_index].allocated += take.quantity
    order.refresh_status()
    await uow.orders.add(order, command.address, total=total)
    await persist_takes(uow, order.id, [(order.lines[t.demand_index].id, t) for t in takes])
    await uow.events.record("order_placed", "order", order.id, {"status": order.status})
    return order


def _check_registered(
    *,
    shipping_method: str | None,
    channel_name: str | None,
    channel_id: int | None,
    context: PlacementContext,
) -> None:
    """Refuse a shipping method or channel that the account has not registered."""
    if shipping_method is not None and context.shipping_method_id is None:
        raise InvalidRequestError(
            f"shipping method {shipping_method!r} is not registered", field="shipping_method"
        )
    if channel_id is not None and context.channel_id is None:
        raise InvalidRequestError(f"channel id {channel_id} is not registered", field="cart.id")
    if channel_id is None and channel_name is not None and context.channel_id is None:
        raise InvalidRequestError(
            f"store {channel_name!r} is not registered", field="cart.store_name"
        )


def build_lines(inputs: Sequence[LineInput], resolved: dict[str, ResolvedSku]) -> list[OrderLine]:
    """Turn requested lines into order lines: aliases resolved, kits exploded.

    A kit's price stays on the order total; its component lines carry a unit price of 0.

    Raises:
        InvalidRequestError: a SKU is neither an item nor an alias in this account.
    """
    lines: list[OrderLine] = []
    for index, wanted in enumerate(inputs):
        found = resolved.get(wanted.sku)
        if found is None:
            raise InvalidRequestError(f"unknown SKU {wanted.sku!r}", field=f"items[{index}].sku")
        requested = wanted.sku if wanted.sku != found.sku else ""
        if not found.components:
            lines.append(
                OrderLine(
                    len(lines) + 1,
                    found.item_id,
                    found.sku,
                    wanted.quantity,
                    unit_price=wanted.unit_price,
                    requested_sku=requested,
                )
            )
            continue
        for part in found.components:
            lines.append(
                OrderLine(
                    len(lines) + 1,
                    part.item_id,
                    part.sku,
                    wanted.quantity * part.quantity,
                    requested_sku=requested,
                    kit_sku=found.sku,
                )
            )
    return lines


async def update_orders(uow: UnitOfWork, commands: Sequence[UpdateOrder]) -> list[OrderOutcome]:
    """Change each order's details, hold state or lines; failing orders are reported.

    Replacing lines releases the order's stock and allocates the new lines afresh; it is
    refused once anything has shipped. Stock an update gives back goes to waiting backorders.
    Each order of a bulk call runs in its own savepoint, as in ``place_orders``.
    """
    outcomes: list[OrderOutcome] = []
    async with uow:
        for index, command in enumerate(commands):
            try:
                async with uow.savepoint():
                    order = await _update(uow, command)
            except DomainError as error:
                outcomes.append(OrderOutcome(index, str(command.ref.value), error=error))
                continue
            outcomes.append(
                OrderOutcome(index, order.header.order_number, order.id, order.status, order.hold)
            )
        if any(o.error is None for o in outcomes):
            await uow.commit()
    return outcomes


async def _update(uow: UnitOfWork, command: UpdateOrder) -> Order:
    """Apply one update.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: an unknown SKU, shipping method or channel.
        InvalidStateTransitionError: lines changed after shipping, or a cancelled order.
    """
    order = await _load(uow, command.ref, for_update=True)
    if order.status is OrderStatus.cancelled:
        raise InvalidStateTransitionError("a cancelled order cannot be changed")
    context = await uow.orders.placement_context(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
    )
    _check_registered(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
        context=context,
    )
    _apply_details(order, command, context)
    strategy = AllocationStrategy(context.strategy)
    released: set[int] = set()
    if command.lines is not None:
        released |= await _replace_lines(uow, order, command.lines)
    if command.hold is not None:
        released |= await _set_hold(uow, order, command.hold, command.hold_reason)
    if order.hold is HoldState.none:
        await allocate_order(uow, order, strategy)
    order.refresh_status()
    await uow.orders.save(order, address_changes=command.address_changes)
    await allocate_backorders(uow, released, strategy)
    await uow.events.record("order_updated", "order", order.id, {"status": order.status})
    return order


def _apply_details(order: Order, command: UpdateOrder, context: PlacementContext) -> None:
    header = order.header
    if command.reference is not None:
        header.reference = command.reference
    if command.notes is not None:
        header.notes = command.notes
    if command.shipping_method is not None:
        header.shipping_method_id = context.shipping_method_id
    if command.channel_id is not None or command.channel_name is not None:
        header.channel_id = context.channel_id


async def _replace_lines(uow: UnitOfWork, order: Order, inputs: Sequence[LineInput]) -> set[int]:
    if any(line.shipped for line in order.lines):
        raise InvalidStateTransitionError("lines cannot be replaced once anything has shipped")
    released = await release_order(uow, order)
    resolved = await uow.catalog.resolve([line.sku for line in inputs])
    order.lines = build_lines(inputs, resolved)
    await uow.orders.replace_lines(order)
    return released


async def _set_hold(uow: UnitOfWork, order: Order, hold: HoldState, reason: str) -> set[int]:
    """Hold (or park) an order, giving back its stock; or resume it. Return items released."""
    released: set[int] = set()
    if hold is not HoldState.none and order.hold is HoldState.none:
        released = await release_order(uow, order)
    order.hold = hold
    order.hold_reason = reason if hold is not HoldState.none else ""
    return released


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """What became of one order of a cancel call."""

    order_id: int
    status: OrderStatus | None = None
    error: DomainError | None = None


async def cancel_orders(uow: UnitOfWork, order_ids: Sequence[int]) -> list[CancelOutcome]:
    """Cancel every unshipped unit of each order and give back its stock.

    The stock released goes to waiting backorders, oldest first, in the same transaction.
    An order that cannot be cancelled is reported and left as it was.
    """
    outcomes: list[CancelOutcome] = []
    released: set[int] = set()
    async with uow:
        strategy = AllocationStrategy((await uow.accounts.get(uow.account_id)).allocation_strategy)
        for order_id in order_ids:
            try:
                async with uow.savepoint():
                    order = await _load(uow, OrderRef("id", order_id), for_update=True)
                    released |= await release_order(uow, order)
                    cancel_open_quantities(order.lines)
                    order.hold, order.hold_reason = HoldState.none, ""
                    order.refresh_status()
                    await uow.orders.save(order)
                    await uow.events.record("order_cancelled", "order", order.id)
            except DomainError as error:
                outcomes.append(CancelOutcome(order_id, error=error))
                continue
            outcomes.append(CancelOutcome(order_id, order.status))
        await allocate_backorders(uow, released, strategy)
        await uow.commit()
    return outcomes


async def set_sub_status(uow: UnitOfWork, ref: OrderRef, sub_status: str) -> OrderOutcome:
    """Set the free-text sub-status that rides alongside the status.

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        order = await _load(uow, ref, for_update=True)
        order.sub_status = sub_status
        await uow.orders.save_header(order)
        await uow.events.record(
            "order_sub_status_set", "order", order.id, {"sub_status": sub_status}
        )
        await uow.commit()
    return OrderOutcome(0, order.header.order_number, order.id, order.status, order.hold)


async def _load(uow: UnitOfWork, ref: OrderRef, *, for_update: bool = False) -> Order:
    order_id = ref.value if ref.field == "id" else await uow.orders.find_id(ref.field, ref.value)
    order = (
        None if order_id is None else await uow.orders.load(int(order_id), for_update=for_update)
    )
    if order is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return order


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
