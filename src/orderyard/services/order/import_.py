"""Importing historical orders: kept as another system left them, without touching stock.

An imported order is not placed: nothing is allocated, no stock level changes, the ledger
records nothing. Its lines carry the shipped and cancelled quantities the other system
reports, and its status is derived from them as for every order (DESIGN.md: a status is
never set by hand); the status the other system gives must agree with them:

- every unit cancelled: ``cancelled``;
- every unit not cancelled shipped: ``shipped``, or ``delivered`` (kept as given);
- some shipped, some open: ``partially_shipped`` (the open units wait for stock);
- nothing shipped, some open: ``backordered`` (the open units wait for stock, and are
  allocated when stock next rises, like any backorder) or ``pending`` (imported on hold,
  waiting for nothing until resumed).

``allocated`` and ``partially_allocated`` are refused: an imported order holds no stock.
An order whose number (``order_number``) is already in the account is left as it is and
reported as already imported, so the same import run twice changes nothing.
"""

from collections.abc import Sequence
from decimal import Decimal

from orderyard.domain.catalog import ResolvedSku
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.order import (
    HoldState,
    Order,
    OrderHeader,
    OrderLine,
    OrderStatus,
    derive_status,
)
from orderyard.services.bulk import attempt_each
from orderyard.services.order.commands import (
    ImportOrder,
    ImportOutcome,
    LineInput,
    LineProgress,
)
from orderyard.services.order.custom_fields import (
    check_new_order_fields,
    line_spans,
    write_new_order_fields,
)
from orderyard.services.order.place import build_lines, check_registered
from orderyard.store.uow import UnitOfWork

IMPORTED_HOLD_REASON = "imported as pending"
"""The hold reason of an order imported as ``pending``: it waits until resumed."""
NOT_IMPORTED = (OrderStatus.allocated, OrderStatus.partially_allocated)


async def import_orders(uow: UnitOfWork, commands: Sequence[ImportOrder]) -> list[ImportOutcome]:
    """Import each order unless its number is already there; failing orders leave no trace.

    One transaction for the call, each order in its own savepoint (as ``place_orders``).
    """
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _import(uow, command))
        if any(a.value is not None and a.value[1] for a in attempts):
            await uow.commit()
    return [
        ImportOutcome(a.index, a.command.order.order_number, error=a.error)
        if a.value is None
        else ImportOutcome(
            a.index, a.command.order.order_number, order_id=a.value[0], imported=a.value[1]
        )
        for a in attempts
    ]


async def _import(uow: UnitOfWork, command: ImportOrder) -> tuple[int, bool]:
    """Import one order; return its id and whether it is new (False: already imported).

    Raises:
        InvalidRequestError: an unknown SKU, shipping method or channel, quantities that do
            not add up, or a status the quantities do not allow.
    """
    placed = command.order
    existing = await uow.orders.find_id("order_number", placed.order_number)
    if existing is not None:
        return existing, False
    _check_progress(placed.lines, command.progress)
    context = await uow.orders.placement_context(
        shipping_method=placed.shipping_method,
        channel_name=placed.channel_name,
        channel_id=placed.channel_id,
    )
    check_registered(
        shipping_method=placed.shipping_method,
        channel_name=placed.channel_name,
        channel_id=placed.channel_id,
        context=context,
    )
    fields = await check_new_order_fields(uow, placed)
    resolved = await uow.catalog.resolve([line.sku for line in placed.lines])
    lines = build_lines(placed.lines, resolved)
    _apply_progress(lines, placed.lines, command.progress, resolved)
    status, hold = imported_status(lines, command.status)
    order = Order(
        id=0,
        header=OrderHeader(
            order_number=placed.order_number,
            reference=placed.reference,
            channel_id=context.channel_id,
            shipping_method_id=context.shipping_method_id,
            order_type=placed.order_type,
            notes=placed.notes,
            currency=placed.currency,
            customer=placed.customer,
            billing_address=placed.billing_address,
            ordered_at=placed.ordered_at,
        ),
        status=status,
        hold=hold,
        hold_reason=IMPORTED_HOLD_REASON if hold is HoldState.hold else "",
        lines=lines,
    )
    total = sum(
        (line.unit_price * line.quantity + line.tax - line.discount for line in placed.lines),
        Decimal(0),
    )
    await uow.orders.add(order, placed.address, total=total, has_custom_fields=fields is not None)
    if fields is not None:
        await write_new_order_fields(uow, order, fields, line_spans(placed.lines, resolved))
    await uow.events.record("order_imported", "order", order.id, {"status": order.status})
    return order.id, True


def _check_progress(lines: Sequence[LineInput], progress: Sequence[LineProgress]) -> None:
    """Refuse shipped or cancelled quantities that are negative or exceed the line's."""
    if len(progress) != len(lines):
        raise InvalidRequestError("one shipped and cancelled quantity per line", field="lines")
    for index, (line, done) in enumerate(zip(lines, progress, strict=True)):
        for name, value in (("shipped", done.shipped), ("cancelled", done.cancelled)):
            if value < 0:
                raise InvalidRequestError(
                    f"{name} must not be negative", field=f"lines[{index}].{name}"
                )
        if done.shipped + done.cancelled > line.quantity:
            raise InvalidRequestError(
                f"shipped ({done.shipped}) plus cancelled ({done.cancelled}) exceed the "
                f"line's quantity ({line.quantity})",
                field=f"lines[{index}].shipped",
            )


def _apply_progress(
    lines: list[OrderLine],
    inputs: Sequence[LineInput],
    progress: Sequence[LineProgress],
    resolved: dict[str, ResolvedSku],
) -> None:
    """Give each order line its input's shipped and cancelled units (a kit's, per component)."""
    position = 0
    for wanted, done in zip(inputs, progress, strict=True):
        parts = len(resolved[wanted.sku].components) or 1
        for line in lines[position : position + parts]:
            per_unit = line.quantity // wanted.quantity
            line.shipped = done.shipped * per_unit
            line.cancelled = done.cancelled * per_unit
        position += parts


def imported_status(lines: list[OrderLine], given: OrderStatus) -> tuple[OrderStatus, HoldState]:
    """The status and hold of an imported order whose lines hold nothing.

    Raises:
        InvalidRequestError: the status given is not one the quantities allow.
    """
    derived = derive_status(lines, hold=HoldState.none)
    if given in NOT_IMPORTED:
        raise InvalidRequestError(
            f"an imported order holds no stock, so it cannot be {given}: import its open "
            "units as pending or backordered",
            field="status",
        )
    if given is OrderStatus.delivered and derived is OrderStatus.shipped:
        return given, HoldState.none
    if given is OrderStatus.pending and derived is OrderStatus.backordered:
        return given, HoldState.hold
    if given is not derived:
        raise InvalidRequestError(
            f"status {given} does not agree with the quantities, which make the order {derived}",
            field="status",
        )
    return given, HoldState.none
