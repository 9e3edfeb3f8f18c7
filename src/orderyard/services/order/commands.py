"""What order use cases take and give back."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import (
    DomainError,
)
from orderyard.domain.order import (
    Customer,
    HoldState,
    OrderStatus,
)
from orderyard.domain.payment import NewPayment
from orderyard.domain.values import Address, AddressPatch


@dataclass(frozen=True, slots=True)
class LineInput:
    """One requested line: a SKU (or alias, or kit) and how many."""

    sku: str
    quantity: int
    unit_price: Decimal = Decimal(0)
    external_id: str = ""
    """The client's id for this line, kept on every line it becomes (a kit's components)."""
    tax: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    custom_fields: tuple[FieldValue, ...] = ()
    """Values checked against the ``order_line`` metadata (placement only; a kit's go to each
    of its components)."""


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
    customer: Customer = field(default_factory=Customer)
    billing_address: Address = field(default_factory=Address)
    ordered_at: datetime | None = None
    custom_fields: tuple[FieldValue, ...] = ()
    """Values checked against the ``order`` metadata, stored with the order."""
    payments: tuple[NewPayment, ...] = ()
    """How it is paid, each with its authorization (``domain/payment.py``)."""
    carries_custom_fields: bool = False
    """Whether the client's dialect can send custom fields (OrderDynamics' can): then a field
    the metadata requires must be given. ShipEdge's create cannot send them, and its orders
    are not refused for what they could not say."""


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
    address: AddressPatch = field(default_factory=AddressPatch)
    notes: str | None = None
    hold: HoldState | None = None
    hold_reason: str = ""
    lines: tuple[LineInput, ...] | None = None


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """What became of one order of a cancel call."""

    order_id: int
    status: OrderStatus | None = None
    error: DomainError | None = None


@dataclass(frozen=True, slots=True)
class CancelLine:
    """Units of one line to cancel, the line named by its id or by the client's line id.

    ``quantity`` ``None`` cancels every open unit of the line.
    """

    line_id: int | None = None
    external_id: str | None = None
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class CancelOrder:
    """Cancel an order with a reason: every open unit, or only the ``lines`` named."""

    ref: OrderRef
    reason: str = ""
    lines: tuple[CancelLine, ...] = ()


@dataclass(frozen=True, slots=True)
class LineProgress:
    """What became of one imported line's units in the system it comes from."""

    shipped: int = 0
    cancelled: int = 0


@dataclass(frozen=True, slots=True)
class ImportOrder:
    """A historical order from another system, kept as it stands there.

    ``order`` is the order as placed (its ``hold`` is ignored); ``progress`` pairs with
    ``order.lines``; ``status`` is the status the other system gives it.
    """

    order: PlaceOrder
    status: OrderStatus
    progress: tuple[LineProgress, ...]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What became of one order of an import: imported, already there, or an error."""

    index: int
    order_number: str
    order_id: int | None = None
    imported: bool = False
    error: DomainError | None = None
