"""Orders between ShipEdge's wire shape and the core.

ShipEdge shows one status word per order; the core keeps a derived status plus a hold state.
The two tables below are the whole translation (docs/dialects/shipedge.md repeats them).
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_field, wire_message
from orderyard.dialects.shipedge.schemas.order import (
    CartIn,
    CartOut,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    ItemIn,
    ItemOut,
    OrderIn,
    OrderOut,
    OrderPatch,
    OrderResultOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.order import Customer, HoldState, OrderStatus
from orderyard.domain.values import Address, AddressPatch, parse_id
from orderyard.services.order import (
    CancelOutcome,
    LineInput,
    OrderFilter,
    OrderOutcome,
    OrderRef,
    OrderView,
    PlaceOrder,
    UpdateOrder,
)

WORDS: Final[dict[OrderStatus, str]] = {
    OrderStatus.pending: "Pending",
    OrderStatus.allocated: "Processing",
    OrderStatus.partially_allocated: "Backorder",
    OrderStatus.backordered: "Backorder",
    OrderStatus.partially_shipped: "Divided",
    OrderStatus.shipped: "Shipped",
    OrderStatus.delivered: "Shipped",
    OrderStatus.cancelled: "Cancelled",
}
HOLD_WORDS: Final[dict[HoldState, str]] = {HoldState.hold: "Hold", HoldState.stand_by: "Stand By"}
STATUS_IDS: Final[dict[str, int]] = {
    "Pending": 1,
    "Processing": 2,
    "Shipped": 3,
    "Backorder": 4,
    "Hold": 5,
    "Stand By": 6,
    "Cancelled": 7,
    "Divided": 8,
    "API Error": 9,
}
OPEN: Final = frozenset(
    {
        OrderStatus.pending,
        OrderStatus.backordered,
        OrderStatus.partially_allocated,
        OrderStatus.allocated,
        OrderStatus.partially_shipped,
    }
)
FILTERS: Final[dict[int, OrderFilter]] = {
    1: OrderFilter(statuses=frozenset({OrderStatus.pending}), hold=HoldState.none),
    2: OrderFilter(statuses=frozenset({OrderStatus.allocated}), hold=HoldState.none),
    3: OrderFilter(
        statuses=frozenset({OrderStatus.shipped, OrderStatus.delivered}), hold=HoldState.none
    ),
    4: OrderFilter(
        statuses=frozenset({OrderStatus.backordered, OrderStatus.partially_allocated}),
        hold=HoldState.none,
    ),
    5: OrderFilter(statuses=OPEN, hold=HoldState.hold),
    6: OrderFilter(statuses=OPEN, hold=HoldState.stand_by),
    7: OrderFilter(statuses=frozenset({OrderStatus.cancelled}), hold=HoldState.none),
    8: OrderFilter(statuses=frozenset({OrderStatus.partially_shipped}), hold=HoldState.none),
    9: OrderFilter(statuses=frozenset(), hold=HoldState.none),
}
"""``status_id`` → core filter. Cancelled and shipped orders are never held (the core clears it)."""
HOLD_INPUT: Final[dict[str, HoldState]] = {
    "Hold": HoldState.hold,
    "Stand By": HoldState.stand_by,
    "Pending": HoldState.none,
}
SORTS: Final[dict[str, str]] = {
    "orderid": "id",
    "order_id": "id",
    "id": "id",
    "order_number": "order_number",
    "ordernumber": "order_number",
    "date": "created_at",
    "order_date": "created_at",
    "orderdate": "created_at",
    "created_at": "created_at",
}
IDENTIFY_BY: Final[dict[str, str]] = {
    "order_id": "id",
    "order_number": "order_number",
    "order_reference": "reference",
    "order_api": "order_number",
}


def status_word(status: OrderStatus, hold: HoldState) -> str:
    """ShipEdge's word for an order's state; a hold shows unless the order is finished."""
    if hold is not HoldState.none and status in OPEN:
        return HOLD_WORDS[hold]
    return WORDS[status]


def address_patch(customer: CustomerIn | CustomerPatch) -> AddressPatch:
    """The core address fields a customer gives (an update's absent fields stay None)."""
    return AddressPatch(
        first_name=customer.firstname,
        last_name=customer.lastname,
        company=customer.company,
        line1=customer.address1,
        line2=customer.address2,
        city=customer.city,
        region=customer.state,
        postal_code=customer.zip,
        country_code=customer.country,
        phone=customer.phone,
        email=customer.email,
    )


def customer_of(customer: CustomerIn) -> Customer:
    """The order's customer: ShipEdge's ``customer`` block is the person who ordered.

    Its e-mail is how an OrderDynamics customer record links the order (the link rule,
    ``domain.customer.CustomerLink``): written with the order, in the same statement.
    """
    return Customer(
        email=customer.email,
        first_name=customer.firstname,
        last_name=customer.lastname,
        phone=customer.phone,
    )


def address_in(customer: CustomerIn) -> Address:
    """The core address of a create body's customer."""
    return address_patch(customer).apply(Address())


def customer_out(address: Address) -> CustomerOut:
    """The wire customer of a core address (ShipEdge has no nickname or coordinates)."""
    return CustomerOut(
        email=address.email,
        phone=address.phone,
        firstname=address.first_name,
        lastname=address.last_name,
        company=address.company,
        address1=address.line1,
        address2=address.line2,
        city=address.city,
        state=address.region,
        zip=address.postal_code,
        country=address.country_code,
    )


def _channel(cart: CartIn | None) -> tuple[str | None, int | None]:
    if cart is None:
        return None, None
    channel_id = cart.id or None
    return (cart.store_name if channel_id is None else None), channel_id


def _lines(items: list[ItemIn]) -> tuple[LineInput, ...]:
    return tuple(LineInput(i.sku, i.quantity, i.sold_price) for i in items)


def place_order(wire: OrderIn) -> PlaceOrder:
    """The core command for one order of ``POST /orders``."""
    channel_name, channel_id = _channel(wire.cart)
    return PlaceOrder(
        order_number=wire.order_number,
        lines=_lines(wire.items),
        shipping_method=wire.shipping_method,
        address=address_in(wire.customer),
        customer=customer_of(wire.customer),
        reference=wire.order_reference,
        channel_name=channel_name,
        channel_id=channel_id,
        hold=HOLD_INPUT[wire.status] if wire.status else HoldState.none,
        hold_reason=wire.hold_reason,
        order_type=wire.order_type_id,
        notes=wire.notes,
    )


def update_order(wire: OrderPatch) -> UpdateOrder:
    """The core command for one order of ``PUT /orders``."""
    if wire.order_id is not None:
        ref = OrderRef("id", wire.order_id)
    elif wire.order_number is not None:
        ref = OrderRef("order_number", wire.order_number)
    else:
        raise InvalidRequestError("order_id or order_number is required", field="order_id")
    channel_name, channel_id = _channel(wire.cart)
    return UpdateOrder(
        ref=ref,
        reference=wire.order_reference,
        shipping_method=wire.shipping_method,
        channel_name=channel_name,
        channel_id=channel_id,
        address=address_patch(wire.customer) if wire.customer else AddressPatch(),
        notes=wire.notes,
        hold=HOLD_INPUT[wire.status] if wire.status else None,
        hold_reason=wire.hold_reason,
        lines=_lines(wire.items) if wire.items is not None else None,
    )


def order_out(view: OrderView) -> OrderOut:
    """The wire form of an order."""
    word = status_word(view.status, view.hold)
    return OrderOut(
        order_id=view.id,
        order_number=view.order_number,
        order_reference=view.reference,
        status=word,
        status_id=STATUS_IDS[word],
        sub_status=view.sub_status,
        hold_reason=view.hold_reason,
        order_type_id=view.order_type,
        shipping_method=view.shipping_method,
        cart=CartOut(store_name=view.channel_name, id=view.channel_id),
        customer=customer_out(view.address),
        items=[
            ItemOut(
                sku=line.sku,
                requested_sku=line.requested_sku,
                synset=line.kit_sku,
                quantity=line.quantity,
                allocated=line.allocated,
                backordered=line.backordered,
                shipped=line.shipped,
                cancelled=line.cancelled,
                returned=line.returned,
                sold_price=line.unit_price,
            )
            for line in view.lines
        ],
        total=view.total,
        currency=view.currency,
        notes=view.notes,
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def outcome_out(outcome: OrderOutcome) -> OrderResultOut:
    """The wire form of one order's outcome in a bulk call."""
    if outcome.error is not None:
        return OrderResultOut(
            order_number=outcome.order_number,
            success=False,
            message=wire_message(outcome.error.message),
            field=item_field(outcome.index, outcome.error.field),
        )
    assert outcome.status is not None  # noqa: S101 - a success always has a status
    word = status_word(outcome.status, outcome.hold)
    return OrderResultOut(
        order_number=outcome.order_number,
        order_id=outcome.order_id,
        status=word,
        status_id=STATUS_IDS[word],
        success=True,
    )


def order_filter(
    *,
    status_id: int | None,
    from_date: date | None,
    to_date: date | None,
    order_type_id: int | None,
    warehouse_id: int | None,
    filter_by: str | None,
    filter_value: str | None,
) -> OrderFilter:
    """The core filter for ``GET /orders`` query parameters.

    Raises:
        InvalidRequestError: an unknown ``status_id``, or ``filter_by`` without a usable value.
    """
    base = OrderFilter()
    if status_id is not None:
        if status_id not in FILTERS:
            raise InvalidRequestError(f"unknown status_id {status_id}", field="status_id")
        base = FILTERS[status_id]
    channel_id, channel_name = _channel_filter(filter_by, filter_value)
    return OrderFilter(
        statuses=base.statuses,
        hold=base.hold,
        created_from=_start_of(from_date),
        created_to=_end_of(to_date),
        order_type=order_type_id,
        location_id=warehouse_id,
        channel_id=channel_id,
        channel_name=channel_name,
    )


def _channel_filter(by: str | None, value: str | None) -> tuple[int | None, str | None]:
    if by is None:
        return None, None
    if not value:
        raise InvalidRequestError("filter_value is required with filter_by", field="filter_value")
    if by == "store_name":
        return None, value
    channel_id = parse_id(value)
    if channel_id is None:
        raise InvalidRequestError(f"filter_value must be an id for {by}", field="filter_value")
    return channel_id, None


def _start_of(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)


def _end_of(day: date | None) -> datetime | None:
    """The start of the next day; none after the last day a date can hold (9999-12-31)."""
    return None if day is None or day == date.max else _start_of(day + timedelta(days=1))


def sort_field(order_by: str) -> str:
    """The core sort field for ``order_by`` (case-insensitive).

    Raises:
        InvalidRequestError: the field cannot be sorted on.
    """
    field = SORTS.get(order_by.lower())
    if field is None:
        allowed = "OrderID, order_number, order_date"
        raise InvalidRequestError(
            f"cannot sort by {order_by!r}; use one of {allowed}", field="order_by"
        )
    return field


def identify_by(name: str, value: str) -> OrderRef:
    """The core reference for ``GET /orders/{order}?identify_by=...``.

    Raises:
        InvalidRequestError: unknown ``identify_by``.
        NotFoundError: a non-numeric ``order_id``.
    """
    field = IDENTIFY_BY.get(name)
    if field is None:
        raise InvalidRequestError(
            f"identify_by must be one of {', '.join(IDENTIFY_BY)}", field="identify_by"
        )
    if field == "id":
        order_id = parse_id(value)
        if order_id is None:
            raise InvalidRequestError("order must be a numeric order_id", field="order")
        return OrderRef("id", order_id)
    return OrderRef(field, value)


def cancel_out(outcome: CancelOutcome) -> OrderResultOut:
    """The wire form of one order's cancellation."""
    if outcome.error is not None:
        return OrderResultOut(
            order_id=outcome.order_id,
            success=False,
            message=wire_message(outcome.error.message),
            field=wire_field(outcome.error.field),
        )
    assert outcome.status is not None  # noqa: S101 - a success always has a status
    word = status_word(outcome.status, HoldState.none)
    return OrderResultOut(
        order_id=outcome.order_id, status=word, status_id=STATUS_IDS[word], success=True
    )
