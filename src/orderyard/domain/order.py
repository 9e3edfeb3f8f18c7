"""Orders and their lines: quantities per line, and the status derived from them."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.values import Address


class OrderStatus(StrEnum):
    """Where an order stands, derived from its lines' quantities (never set by hand)."""

    pending = "pending"
    """Not yet allocated: held or on stand-by since it arrived."""
    backordered = "backordered"
    """Nothing could be allocated; waits for stock."""
    partially_allocated = "partially_allocated"
    """Some quantity allocated, the rest backordered."""
    allocated = "allocated"
    """Every open unit is promised by a location."""
    partially_shipped = "partially_shipped"
    """Some units shipped, others still open."""
    shipped = "shipped"
    """Every unit that was not cancelled has shipped."""
    delivered = "delivered"
    """The carrier confirmed delivery."""
    cancelled = "cancelled"
    """Every line was cancelled."""


class HoldState(StrEnum):
    """Whether the order is paused. A paused order holds no stock."""

    none = "none"
    """Not paused: the order allocates and waits for stock normally."""
    hold = "hold"
    """Held with a reason until resumed."""
    stand_by = "stand_by"
    """Parked (ShipEdge "Stand By"): like hold, holds no stock."""


@dataclass(slots=True)
class OrderLine:
    """One SKU of an order and how much of it is allocated, shipped, cancelled, returned."""

    line_no: int
    item_id: int
    sku: str
    quantity: int
    unit_price: Decimal = Decimal(0)
    requested_sku: str = ""
    kit_sku: str = ""
    allocated: int = 0
    shipped: int = 0
    cancelled: int = 0
    returned: int = 0
    id: int = 0
    external_id: str = ""
    """The client's id for the line it sent (a kit's components share their kit's)."""
    tax: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    preordered: int = 0
    """Open units waiting in a pre-order wave for its release (``domain/preorder.py``), not
    in the backorder queue."""

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise InvalidRequestError("quantity must be a positive integer", field="quantity")

    @property
    def effective(self) -> int:
        """Units still wanted: ordered minus cancelled."""
        return self.quantity - self.cancelled

    @property
    def unallocated(self) -> int:
        """Open units not yet promised by any location (the backorder)."""
        return self.effective - self.shipped - self.allocated

    @property
    def waiting(self) -> int:
        """Open units waiting for stock as a backorder: unallocated ones not in a wave."""
        return self.unallocated - self.preordered

    def drop_preordered_beyond_open(self) -> int:
        """Keep ``preordered`` within the unallocated units (after a cancel); return units freed.

        Cancelled units leave the wave first: a line sequenced whole has no other open ones.
        """
        freed = max(0, self.preordered - max(0, self.unallocated))
        self.preordered -= freed
        return freed

    @property
    def returnable(self) -> int:
        """Units that may still come back: shipped minus already returned."""
        return self.shipped - self.returned


@dataclass(frozen=True, slots=True)
class Customer:
    """Who placed the order, apart from whom it ships to (the shipping address's contact)."""

    external_id: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass(slots=True)
class OrderHeader:
    """What an order says about itself, apart from its lines and shipping address."""

    order_number: str
    reference: str = ""
    channel_id: int | None = None
    shipping_method_id: int | None = None
    order_type: int = 1
    notes: str = ""
    currency: str = "USD"
    customer: Customer = field(default_factory=Customer)
    billing_address: Address = field(default_factory=Address)
    ordered_at: datetime | None = None
    """When the client says the order was placed; ``None``: when it was received."""


def derive_status(lines: list[OrderLine], *, hold: HoldState) -> OrderStatus:
    """Derive the order status from its lines. ``hold`` only decides pending vs backordered."""
    effective = sum(line.effective for line in lines)
    if effective == 0:
        return OrderStatus.cancelled
    shipped = sum(line.shipped for line in lines)
    allocated = sum(line.allocated for line in lines)
    if shipped == effective:
        return OrderStatus.shipped
    if shipped > 0:
        return OrderStatus.partially_shipped
    if allocated == effective:
        return OrderStatus.allocated
    if allocated > 0:
        return OrderStatus.partially_allocated
    return OrderStatus.pending if hold is not HoldState.none else OrderStatus.backordered


def cancel_open_quantities(lines: list[OrderLine]) -> dict[int, int]:
    """Cancel every unit not yet shipped; return ``{line_no: units cancelled}``.

    Raises:
        InvalidStateTransitionError: nothing is left to cancel (already shipped or cancelled).
    """
    cancelled: dict[int, int] = {}
    for line in lines:
        open_units = line.effective - line.shipped
        if open_units > 0:
            line.cancelled += open_units
            line.allocated = 0
            line.preordered = 0
            cancelled[line.line_no] = open_units
    if not cancelled:
        raise InvalidStateTransitionError("the order has nothing left to cancel")
    return cancelled


def cancel_units(line: OrderLine, quantity: int | None) -> int:
    """Cancel ``quantity`` open units of the line (``None``: all); return those it had allocated.

    Units waiting for stock go first, then allocated ones: the caller gives their stock back.

    Raises:
        InvalidStateTransitionError: more than the line's open units (shipped ones cannot be
            cancelled), or nothing left to cancel.
    """
    if quantity is not None and quantity <= 0:
        raise InvalidRequestError("quantity must be a positive integer", field="quantity")
    open_units = line.effective - line.shipped
    wanted = open_units if quantity is None else quantity
    if open_units == 0 or wanted > open_units:
        raise InvalidStateTransitionError(
            f"cannot cancel {wanted} of {line.sku}: {open_units} open "
            f"({line.shipped} shipped, {line.cancelled} cancelled of {line.quantity})",
            field="quantity",
        )
    from_allocated = max(0, wanted - max(0, line.unallocated))
    line.cancelled += wanted
    line.allocated -= from_allocated
    line.drop_preordered_beyond_open()
    return from_allocated


def check_return_quantity(line: OrderLine, quantity: int) -> None:
    """Refuse a return of more than the line shipped minus what already came back.

    Raises:
        InvalidRequestError: the quantity is not positive or exceeds what is returnable.
    """
    if quantity <= 0:
        raise InvalidRequestError("quantity must be a positive integer", field="quantity")
    if quantity > line.returnable:
        raise InvalidRequestError(
            f"cannot return {quantity} of {line.sku}: {line.returnable} returnable "
            f"({line.shipped} shipped, {line.returned} already returned)",
            field="quantity",
        )


@dataclass(slots=True)
class Order:
    """An order with its lines, as the services load and change it."""

    id: int
    header: OrderHeader
    status: OrderStatus
    hold: HoldState = HoldState.none
    hold_reason: str = ""
    sub_status: str = ""
    lines: list[OrderLine] = field(default_factory=list)

    def refresh_status(self) -> OrderStatus:
        """Re-derive and store the status from the lines; return it."""
        self.status = derive_status(self.lines, hold=self.hold)
        return self.status


@dataclass(frozen=True, slots=True)
class Allocation:
    """Units of an order line promised by one location and not yet shipped."""

    id: int
    order_line_id: int
    location_id: int
    item_id: int
    quantity: int
