"""Placing orders: resolve SKUs, explode kits, allocate, and insert, one savepoint per order."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from orderyard.domain.allocation.geo import Coordinates
from orderyard.domain.allocation.policy import AllocationStrategy, Demand, Take
from orderyard.domain.attribute import StoredAttribute
from orderyard.domain.catalog import ResolvedSku
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.order import (
    HoldState,
    Order,
    OrderHeader,
    OrderLine,
    OrderStatus,
)
from orderyard.domain.payment import Payment, check_payments
from orderyard.kit.metrics import ALLOCATION_OUTCOMES, ORDERS_PLACED
from orderyard.services.allocation import (
    levels_of,
    merge_takes,
    open_shipments,
    plan_takes,
    take_stock,
)
from orderyard.services.bulk import Attempt, any_succeeded, attempt_each
from orderyard.services.order.commands import LineInput, OrderOutcome, PlaceOrder
from orderyard.services.order.custom_fields import (
    NewOrderFields,
    OrderFields,
    check_new_order_fields,
    line_spans,
    write_new_order_fields,
)
from orderyard.services.preorder.sequencing import (
    mark_preorders,
    waves_for_new_order,
    write_places,
)
from orderyard.services.taxes import tax_new_order
from orderyard.store.queries.order_views import OrderView, view_as_written
from orderyard.store.repositories.order import PlacementContext
from orderyard.store.repositories.placement import NewOrder
from orderyard.store.uow import UnitOfWork


class _LostRaceError(Exception):
    """Stock planned for an order went to another transaction before it was taken."""


@dataclass(frozen=True, slots=True)
class _Placed:
    """An order as its placement wrote it: enough to answer it without reading it back."""

    order: Order
    new: NewOrder
    context: PlacementContext
    fields: NewOrderFields | None
    spans: list[range]
    payments: list[Payment]


async def place_order(uow: UnitOfWork, command: PlaceOrder) -> tuple[OrderView, OrderFields]:
    """Place one order (as ``place_orders``) and answer it as a read of it would.

    The answer is made from what the placement wrote, not read back: a create costs the
    statements of ShipEdge's, whose answer is the id alone (bench/README.md).

    Raises:
        DomainError: why the order was refused; nothing was written.
    """
    [attempt] = await _placed(uow, [command])
    if attempt.value is None:
        assert attempt.error is not None  # noqa: S101 - an attempt has a value or an error
        raise attempt.error
    return _answer(uow.account_id, attempt.value, command)


async def place_orders(uow: UnitOfWork, commands: Sequence[PlaceOrder]) -> list[OrderOutcome]:
    """Create and allocate each order; a failing order is reported and leaves no trace.

    Each order of a bulk call runs in its own savepoint, so valid orders are kept when
    others fail. A single order needs no savepoint: its failure rolls back the call.

    A single order takes its stock last (see ``_place``); if another transaction took
    that stock first, the whole call is rolled back and placed again taking stock first.
    """
    return [
        outcome_of(
            Attempt(a.index, a.command, a.value.order if a.value else None, a.error),
            a.command.order_number,
        )
        for a in await _placed(uow, commands)
    ]


async def _placed(
    uow: UnitOfWork, commands: Sequence[PlaceOrder]
) -> list[Attempt[PlaceOrder, _Placed]]:
    try:
        if len(commands) == 1:
            attempts = await _place_all(uow.autocommitting(), commands, take_last=True)
        else:
            attempts = await _place_all(uow, commands, take_last=False)
    except _LostRaceError:
        attempts = await _place_all(uow, commands, take_last=False)
    _count(attempts)
    return attempts


def _count(attempts: Sequence[Attempt[PlaceOrder, _Placed]]) -> None:
    """The metrics of the committed orders: how many, and where allocation left each."""
    for attempt in attempts:
        if attempt.value is not None:
            ORDERS_PLACED.inc()
            ALLOCATION_OUTCOMES.labels(attempt.value.order.status.value).inc()


async def _place_all(
    uow: UnitOfWork, commands: Sequence[PlaceOrder], *, take_last: bool
) -> list[Attempt[PlaceOrder, _Placed]]:
    async with uow:
        attempts = await attempt_each(
            uow,
            commands,
            lambda command: _place(uow, command, take_last=take_last),
            savepoint_single=False,
        )
        if any_succeeded(attempts):
            await uow.commit()
    return attempts


def outcome_of(attempt: Attempt[Any, Order], name: str) -> OrderOutcome:
    """The outcome of one order of a bulk call, named as the client named it."""
    order = attempt.value
    if order is None:
        return OrderOutcome(attempt.index, name, error=attempt.error)
    return OrderOutcome(
        attempt.index, order.header.order_number, order.id, order.status, order.hold
    )


async def _place(uow: UnitOfWork, command: PlaceOrder, *, take_last: bool = False) -> _Placed:
    """Place one order inside the open unit of work.

    Taking stock locks its level rows until COMMIT, and every order of a hot SKU takes the
    same row. With ``take_last`` the plan is made from an unlocked read, the order, its
    lines, allocations, movements and event are written as if it will succeed, and the
    conditional UPDATEs come last, so the lock is held for one statement and the COMMIT
    instead of six. A level that no longer has the stock raises ``_LostRaceError`` (the caller
    rolls everything back and places the order again with ``take_last=False``: stock first,
    re-planning on a lost race, the rest backordered).
    """
    context = await uow.orders.placement_context(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
    )
    check_registered(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
        context=context,
    )
    check_payments(command.payments, currency=command.currency)
    if context.has_tax_rates:
        command = await tax_new_order(uow, command)
    fields = await check_new_order_fields(uow, command, required=context.required_fields)
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
            customer=command.customer,
            billing_address=command.billing_address,
            ordered_at=command.ordered_at,
        ),
        status=OrderStatus.pending,
        hold=command.hold,
        hold_reason=command.hold_reason,
        lines=build_lines(command.lines, resolved),
    )
    total = sum(
        (line.unit_price * line.quantity + line.tax - line.discount for line in command.lines),
        Decimal(0),
    )
    waves = await waves_for_new_order(uow, context, order)
    takes: list[Take] = []
    strategy = AllocationStrategy(context.strategy)
    to = Coordinates.of(command.address.latitude, command.address.longitude)
    demands = [Demand(line.item_id, line.quantity, to) for line in order.lines]
    if order.hold is HoldState.none:
        if take_last:
            takes = await plan_takes(uow, demands, strategy, waiting_first=True)
        else:
            takes = await take_stock(uow, demands, strategy, waiting_first=True)
        for take in takes:
            order.lines[take.demand_index].allocated += take.quantity
    country = command.address.country_code.strip().upper()
    placed = await mark_preorders(uow, order, waves, country) if waves else {}
    order.refresh_status()
    wanted = levels_of(takes) if take_last else {}
    new = NewOrder(
        order,
        command.address,
        total,
        event_kind="order_placed",
        event_data={"status": order.status},
        allocated=merge_takes(takes),
        take=wanted,
        payment_count=len(command.payments),
        has_custom_fields=fields is not None,
    )
    more_writes = fields is not None or command.payments or context.ships_on_allocation
    if more_writes or not uow.placements.in_one_statement:
        await uow.transaction()
    taken = await uow.placements.add(new)
    if len(taken) < len(wanted):
        raise _LostRaceError
    await write_places(uow, order, placed, waves, country)
    spans = line_spans(command.lines, resolved)
    payments = []
    if command.payments:
        payments = await uow.payments.add(order.id, command.payments, at=new.placed_at)
    if fields is not None:
        await write_new_order_fields(uow, order, fields, spans, payments)
    if context.ships_on_allocation and takes:
        await open_shipments(uow, [order])
    return _Placed(order, new, context, fields, spans, payments)


def _answer(account_id: int, placed: _Placed, command: PlaceOrder) -> tuple[OrderView, OrderFields]:
    """The view and custom fields a read of the placed order would give."""
    new = placed.new
    view = view_as_written(
        account_id,
        new,
        channel_name=placed.context.channel_name,
        shipping_method=command.shipping_method or "",
    )
    if placed.fields is None:
        return view, OrderFields(payments=placed.payments)
    at = new.placed_at
    lines = {
        placed.order.lines[number].id: _stored(values, at)
        for values, span in zip(placed.fields.lines, placed.spans, strict=True)
        for number in span
    }
    payments = {
        payment.id: _stored(values, at)
        for values, payment in zip(placed.fields.payments, placed.payments, strict=True)
    }
    return view, OrderFields(
        _stored(placed.fields.order, at),
        {line: kept for line, kept in lines.items() if kept},
        placed.payments,
        {payment: kept for payment, kept in payments.items() if kept},
    )


def _stored(values: Sequence[FieldValue], at: datetime) -> list[StoredAttribute]:
    """Values as a read gives them back: the ones set, by name."""
    by_name = sorted(values, key=lambda value: value.name)
    return [StoredAttribute(v.name, v.value, at, at) for v in by_name if v.value is not None]


def check_registered(
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
        raise InvalidRequestError(f"channel id {channel_id} is not registered", field="channel.id")
    if channel_id is None and channel_name is not None and context.channel_id is None:
        raise InvalidRequestError(
            f"channel named {channel_name!r} is not registered", field="channel"
        )


def build_lines(inputs: Sequence[LineInput], resolved: dict[str, ResolvedSku]) -> list[OrderLine]:
    """Turn requested lines into order lines: aliases resolved, kits exploded.

    A kit's price stays on the order total; its component lines carry a unit price of 0, its
    tax and discount go to its first component, and each carries the kit line's external id.

    Raises:
        InvalidRequestError: a SKU is neither an item nor an alias in this account.
    """
    lines: list[OrderLine] = []
    for index, wanted in enumerate(inputs):
        found = resolved.get(wanted.sku)
        if found is None:
            raise InvalidRequestError(f"unknown SKU {wanted.sku!r}", field=f"lines[{index}].sku")
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
                    external_id=wanted.external_id,
                    tax=wanted.tax,
                    discount=wanted.discount,
                )
            )
            continue
        for number, part in enumerate(found.components):
            lines.append(
                OrderLine(
                    len(lines) + 1,
                    part.item_id,
                    part.sku,
                    wanted.quantity * part.quantity,
                    requested_sku=requested,
                    kit_sku=found.sku,
                    external_id=wanted.external_id,
                    tax=wanted.tax if number == 0 else Decimal(0),
                    discount=wanted.discount if number == 0 else Decimal(0),
                )
            )
    return lines
