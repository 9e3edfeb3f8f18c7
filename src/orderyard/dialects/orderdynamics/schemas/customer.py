"""Bodies of the Customers and Addresses APIs (docs/dialects/orderdynamics.md)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from orderyard.dialects.orderdynamics.schemas.address import AddressIn, AddressOut
from orderyard.dialects.orderdynamics.schemas.order import OrderOut
from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.http.wire import Id

ExternalId = Annotated[str, Field(max_length=100)]
Name = Annotated[str, Field(max_length=100)]
Email = Annotated[str, Field(max_length=200)]
Phone = Annotated[str, Field(max_length=64)]


def _title_case(value: Any) -> Any:
    return value.strip().title() if isinstance(value, str) else value


AddressTypeWord = Annotated[Literal["Shipping", "Billing"], BeforeValidator(_title_case)]
"""``Shipping`` or ``Billing``, in any case."""


class CustomerIn(WireIn):
    """A new customer: ``Email`` is required, the rest may be empty."""

    external_customer_id: ExternalId = ""
    first_name: Name = ""
    last_name: Name = ""
    email: Annotated[Email, Field(min_length=1)]
    phone: Phone = ""


class CustomerPatchIn(WireIn):
    """Changes to a customer: absent or null fields stay."""

    external_customer_id: ExternalId | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    email: Annotated[Email, Field(min_length=1)] | None = None
    phone: Phone | None = None


class CustomerIdsIn(WireIn):
    """Which customer an Export or a Forget is about (either id; both must agree)."""

    internal_customer_id: Id | None = None
    external_customer_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class CustomerOut(WireOut):
    """A customer as Orderyard answers it."""

    internal_customer_id: int
    external_customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime
    is_forgotten: bool
    forgotten_date_time_utc: datetime | None


class CustomerAddressIn(AddressIn):
    """An address of a customer's book; absent fields stay (a new address: empty)."""

    internal_address_id: Id | None = None
    external_address_id: ExternalId = ""
    address_type: AddressTypeWord | None = None
    is_default_shipping_address: bool | None = None


class AddressPatchIn(AddressIn):
    """Changes to an address: absent fields stay; type and default flag optional."""

    address_type: AddressTypeWord | None = None
    is_default_shipping_address: bool | None = None


class LinkAddressesIn(WireIn):
    """The addresses to add to (or update in) a customer's book."""

    addresses: Annotated[list[CustomerAddressIn], Field(min_length=1, max_length=100)]


class CustomerAddressOut(AddressOut):
    """An address of a customer's book."""

    internal_address_id: int
    external_address_id: str
    internal_customer_id: int
    address_type: str
    is_default_shipping_address: bool
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime


class EventOut(WireOut):
    """One entry of the event log about the customer or their addresses."""

    kind: str
    actor: str
    date_time_utc: datetime


class CustomerExportOut(WireOut):
    """Everything Orderyard holds about a customer (a data subject access request)."""

    customer: CustomerOut
    addresses: list[CustomerAddressOut]
    orders: list[OrderOut]
    events: list[EventOut]
    exported_date_time_utc: datetime


class ForgetOut(WireOut):
    """What forgetting a customer erased."""

    internal_customer_id: int
    is_forgotten: bool
    forgotten_date_time_utc: datetime
    orders_anonymised: int
    addresses_anonymised: int
    events_scrubbed: int
