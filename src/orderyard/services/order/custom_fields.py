"""Custom fields of orders and of their lines: checked against the metadata, kept as attributes.

An order's values are attributes of owner type ``order``, the very rows ShipEdge's
``/attributes/order/{id}`` reads and writes; a line's are of owner type ``order_line``. A
value is checked against its field's definition (``domain/custom_field.py``) before anything
is written. A kit line is exploded into its components, and its values go to each of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from orderyard.domain.attribute import ORDER_OWNER_TYPES, Attribute, OwnerType, StoredAttribute
from orderyard.domain.catalog import ResolvedSku
from orderyard.domain.custom_field import FieldValue, check_values
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.order import Order
from orderyard.domain.payment import Payment
from orderyard.services.order.commands import LineInput, OrderRef, PlaceOrder
from orderyard.store.queries.order_views import OrderView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

LINES_MAX = 1000
"""Most lines one write of line custom fields may name (an order has at most as many)."""
LINE_IDS_PER_READ = 5000
"""Lines whose values one statement reads (a page of big orders takes more than one)."""


class _WithFields(Protocol):
    """A part of a new order that carries custom field values (a line, a payment)."""

    @property
    def custom_fields(self) -> tuple[FieldValue, ...]: ...


@dataclass(frozen=True, slots=True)
class LineFields:
    """Custom field values to set on a line, named by its id or by the client's line id.

    A client's line id names every line that carries it (a kit's components).
    """

    values: Sequence[FieldValue]
    line_id: int | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentFields:
    """Custom field values to set on one payment of an order."""

    payment_id: int
    values: Sequence[FieldValue]


@dataclass(frozen=True, slots=True)
class NewOrderFields:
    """A new order's checked values, each requested line's and each payment's (by index)."""

    order: list[FieldValue]
    lines: list[list[FieldValue]]
    payments: list[list[FieldValue]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OrderFields:
    """What a whole order adds to its view.

    The custom field values of the order and of its lines (by line id), by name; its
    payments, and their values (by payment id).
    """

    order: list[StoredAttribute] = field(default_factory=list)
    lines: dict[int, list[StoredAttribute]] = field(default_factory=dict)
    payments: list[Payment] = field(default_factory=list)
    payment_fields: dict[int, list[StoredAttribute]] = field(default_factory=dict)


async def check_new_order_fields(
    uow: UnitOfWork, command: PlaceOrder, *, required: int = 0
) -> NewOrderFields | None:
    """A new order's values checked against the metadata; None (no statement) when it has none.

    A null value is no value (a required field's is refused, as a clear would be). When the
    account requires fields (``required``, counted by the placement's first read) and the
    client could send them, a required field left out is refused too.

    Raises:
        InvalidRequestError: naming ``custom_fields[1].value`` or
            ``lines[0].custom_fields[2].name``.
    """
    owners = (command.lines, command.payments)
    if not command.custom_fields and not any(o.custom_fields for part in owners for o in part):
        if required and command.carries_custom_fields:
            await _refuse_missing(uow, command)
        return None
    own = await uow.custom_fields.by_names(OwnerType.order, {v.name for v in command.custom_fields})
    order = check_values(own, command.custom_fields, field="custom_fields")
    lines = await _check_each(uow, OwnerType.order_line, command.lines, "lines")
    payments = await _check_each(uow, OwnerType.payment, command.payments, "payments")
    if required and command.carries_custom_fields:
        await _refuse_missing(uow, command)
    return NewOrderFields(order, lines, payments)


async def _refuse_missing(uow: UnitOfWork, command: PlaceOrder) -> None:
    """Refuse a new order that leaves out a required field of itself, a line or a payment.

    Raises:
        InvalidRequestError: naming ``custom_fields`` or ``lines[0].custom_fields``.
    """
    required = await uow.custom_fields.required_names(ORDER_OWNER_TYPES)
    owners: list[tuple[OwnerType, Sequence[FieldValue], str]] = [
        (OwnerType.order, command.custom_fields, "custom_fields")
    ]
    owners += [
        (OwnerType.order_line, line.custom_fields, f"lines[{index}].custom_fields")
        for index, line in enumerate(command.lines)
    ]
    owners += [
        (OwnerType.payment, payment.custom_fields, f"payments[{index}].custom_fields")
        for index, payment in enumerate(command.payments)
    ]
    for kind, values, at in owners:
        missing = required[kind] - {value.name for value in values}
        if missing:
            raise InvalidRequestError(f"custom field {min(missing)!r} is required", field=at)


async def _check_each(
    uow: UnitOfWork, kind: OwnerType, owners: Sequence[_WithFields], at: str
) -> list[list[FieldValue]]:
    """Each owner's values checked against the ``kind`` metadata (no statement when none)."""
    names = {value.name for owner in owners for value in owner.custom_fields}
    definitions = await uow.custom_fields.by_names(kind, names)
    return [
        check_values(definitions, owner.custom_fields, field=f"{at}[{index}].custom_fields")
        for index, owner in enumerate(owners)
    ]


async def write_new_order_fields(
    uow: UnitOfWork,
    order: Order,
    fields: NewOrderFields,
    spans: Sequence[range],
    payments: Sequence[Payment] = (),
) -> None:
    """Store a placed order's checked values.

    ``spans[i]`` are the lines requested line i became, ``payments[i]`` the payment i written.
    """
    written = _attributes(fields.order)
    if written:
        await uow.attributes.set_on_many(OwnerType.order, [order.id], written, flag=False)
    for values, span in zip(fields.lines, spans, strict=True):
        written = _attributes(values)
        if written:
            owners = [order.lines[number].id for number in span]
            await uow.attributes.set_on_many(OwnerType.order_line, owners, written, flag=False)
    for values, payment in zip(fields.payments, payments, strict=True):
        written = _attributes(values)
        if written:
            await uow.attributes.set_on_many(OwnerType.payment, [payment.id], written, flag=False)


def line_spans(inputs: Sequence[LineInput], resolved: dict[str, ResolvedSku]) -> list[range]:
    """Which of the built lines (``build_lines``) each requested line became: one, or a kit's."""
    spans: list[range] = []
    start = 0
    for wanted in inputs:
        count = len(resolved[wanted.sku].components) or 1
        spans.append(range(start, start + count))
        start += count
    return spans


async def set_order_custom_fields(
    uow: UnitOfWork, ref: OrderRef, values: Sequence[FieldValue]
) -> int:
    """Set custom field values on an order, all or none, and answer its id.

    A value replaces the field's; ``None`` clears it; fields not named stay.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: a field not defined for orders, given twice, or a value its
            definition refuses (``custom_fields[1].value``).
    """
    async with uow:
        order = await _locked(uow, ref)
        definitions = await uow.custom_fields.by_names(OwnerType.order, {v.name for v in values})
        kept = check_values(definitions, values, field="custom_fields")
        await _write(uow, OwnerType.order, [order.id], kept)
        await uow.commit()
    return order.id


async def set_line_custom_fields(
    uow: UnitOfWork, ref: OrderRef, lines: Sequence[LineFields]
) -> int:
    """Set custom field values on lines of one order, all or none, and answer its id.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: no line named or too many (``line_items``), a line the order
            does not have (``line_items[0].line_id`` / ``line_items[0].external_id``), or a
            refused value (``line_items[0].custom_fields[1].value``).
    """
    if not lines or len(lines) > LINES_MAX:
        raise InvalidRequestError(
            f"name 1 to {LINES_MAX} lines of the order (got {len(lines)})", field="line_items"
        )
    async with uow:
        order = await _locked(uow, ref)
        names = {value.name for line in lines for value in line.values}
        definitions = await uow.custom_fields.by_names(OwnerType.order_line, names)
        for index, line in enumerate(lines):
            at = f"line_items[{index}]"
            owners = _owners(order, line, at)
            kept = check_values(definitions, line.values, field=f"{at}.custom_fields")
            await _write(uow, OwnerType.order_line, owners, kept)
        await uow.commit()
    return order.id


async def set_payment_custom_fields(
    uow: UnitOfWork, ref: OrderRef, payments: Sequence[PaymentFields]
) -> int:
    """Set custom field values on payments of one order, all or none, and answer its id.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: a payment the order does not have (``payments[0].payment_id``),
            or a refused value (``payments[0].custom_fields[1].value``).
    """
    async with uow:
        order = await _locked(uow, ref)
        own = {p.id for p in (await uow.payments.of_orders([order.id])).get(order.id, [])}
        names = {value.name for payment in payments for value in payment.values}
        definitions = await uow.custom_fields.by_names(OwnerType.payment, names)
        for index, payment in enumerate(payments):
            at = f"payments[{index}]"
            if payment.payment_id not in own:
                raise InvalidRequestError(
                    f"order {order.id} has no payment {payment.payment_id}",
                    field=f"{at}.payment_id",
                )
            kept = check_values(definitions, payment.values, field=f"{at}.custom_fields")
            await _write(uow, OwnerType.payment, [payment.payment_id], kept)
        await uow.commit()
    return order.id


async def get_order_with_fields(
    uow: ReadUnitOfWork, ref: OrderRef
) -> tuple[OrderView, OrderFields]:
    """One order with its lines, and the custom field values of both: two statements.

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        view = await uow.orders.get(ref.field, ref.value)
        if view is None:
            raise NotFoundError(f"order {ref.value} not found", field="order")
        [fields] = await _fields_of(uow, [view])
    return view, fields


async def custom_fields_of(uow: ReadUnitOfWork, views: Sequence[OrderView]) -> list[OrderFields]:
    """The custom field values of each order read (a list's page) and of its lines."""
    if not views:
        return []
    async with uow:
        return await _fields_of(uow, views)


async def _fields_of(uow: ReadUnitOfWork, views: Sequence[OrderView]) -> list[OrderFields]:
    """Custom field values and payments of orders.

    Payments are read only for orders that have some (``payment_count``), values only for
    orders that ever had one (``has_custom_fields``): a read of an order with neither costs
    no statement for them, as ShipEdge's get does not.
    """
    paid = await uow.payments.of_orders([view.id for view in views if view.payment_count])
    with_fields = [view for view in views if view.has_custom_fields]
    line_ids = [line.id for view in with_fields for line in view.lines]
    found = await uow.attributes.of_owners(
        {
            OwnerType.order: [view.id for view in with_fields],
            OwnerType.order_line: line_ids[:LINE_IDS_PER_READ],
            OwnerType.payment: [p.id for view in with_fields for p in paid.get(view.id, [])],
        }
    )
    lines = found[OwnerType.order_line]
    for start in range(LINE_IDS_PER_READ, len(line_ids), LINE_IDS_PER_READ):
        more = await uow.attributes.of_owners(
            {OwnerType.order_line: line_ids[start : start + LINE_IDS_PER_READ]}
        )
        lines.update(more[OwnerType.order_line])
    return [
        OrderFields(
            found[OwnerType.order].get(view.id, []),
            {line.id: lines[line.id] for line in view.lines if line.id in lines},
            paid.get(view.id, []),
            {
                p.id: found[OwnerType.payment][p.id]
                for p in paid.get(view.id, [])
                if p.id in found[OwnerType.payment]
            },
        )
        for view in views
    ]


def _owners(order: Order, line: LineFields, at: str) -> list[int]:
    """The ids of the order's lines a client's line names."""
    if line.line_id is not None:
        if any(own.id == line.line_id for own in order.lines):
            return [line.line_id]
        raise InvalidRequestError(
            f"order {order.id} has no line {line.line_id}", field=f"{at}.line_id"
        )
    if line.external_id:
        found = [own.id for own in order.lines if own.external_id == line.external_id]
        if found:
            return found
        raise InvalidRequestError(
            f"order {order.id} has no line {line.external_id!r}", field=f"{at}.external_id"
        )
    raise InvalidRequestError(
        "name the line by its id or by the client's line id", field=f"{at}.line_id"
    )


async def _locked(uow: UnitOfWork, ref: OrderRef) -> Order:
    """The order a reference names, locked so that a concurrent change of lines waits."""
    order_id = ref.value if ref.field == "id" else await uow.orders.find_id(ref.field, ref.value)
    order = None if order_id is None else await uow.orders.load(int(order_id), for_update=True)
    if order is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return order


def _attributes(values: Sequence[FieldValue]) -> list[Attribute]:
    return [Attribute(v.name, v.value) for v in values if v.value is not None]


async def _write(
    uow: UnitOfWork, kind: OwnerType, owner_ids: Sequence[int], kept: Sequence[FieldValue]
) -> None:
    """Store checked values on owners of one kind and record the change of each."""
    written = _attributes(kept)
    if written:
        await uow.attributes.set_on_many(kind, owner_ids, written)
    cleared = [v.name for v in kept if v.value is None]
    for owner_id in owner_ids:
        await uow.attributes.remove_names(kind, owner_id, cleared)
        await uow.events.record(
            "custom_fields_set", kind.value, owner_id, {"names": [v.name for v in kept]}
        )
