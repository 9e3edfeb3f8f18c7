"""Customers and addresses: OrderDynamics' bodies <-> the core's customer use cases."""

from collections.abc import Sequence
from typing import Final

from orderyard.dialects.orderdynamics.mappers.address import address_out, address_patch
from orderyard.dialects.orderdynamics.schemas.customer import (
    AddressPatchIn,
    CustomerAddressIn,
    CustomerAddressOut,
    CustomerIdsIn,
    CustomerIn,
    CustomerOut,
    CustomerPatchIn,
    EventOut,
    ForgetOut,
)
from orderyard.domain.customer import (
    AddressType,
    CustomerAddress,
    CustomerRecord,
    Forgetting,
    Person,
    PersonPatch,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.customer import (
    AddressRef,
    CustomerRef,
    CustomerSort,
    EntryInput,
    EventView,
)

SORTS: Final[dict[str, CustomerSort]] = {
    "internalcustomerid": CustomerSort.id,
    "externalcustomerid": CustomerSort.external_id,
    "email": CustomerSort.email,
    "firstname": CustomerSort.first_name,
    "lastname": CustomerSort.last_name,
    "phone": CustomerSort.phone,
    "createddatetimeutc": CustomerSort.created_at,
}
"""The columns a search may be sorted by, in any case."""
SORT_NAMES = "InternalCustomerId, ExternalCustomerId, Email, FirstName, LastName, Phone," \
    " CreatedDateTimeUtc"  # fmt: skip


def customer_ref(internal: int | None, external: str | None) -> CustomerRef:
    """The customer named by the query's ids.

    Raises:
        InvalidRequestError: neither is given.
    """
    if internal is None and not external:
        raise InvalidRequestError(
            "InternalCustomerId or ExternalCustomerId is required", field="InternalCustomerId"
        )
    return CustomerRef(internal, external or None)


def body_ref(body: CustomerIdsIn) -> CustomerRef:
    """The customer an Export or Forget body names."""
    return customer_ref(body.internal_customer_id, body.external_customer_id)


def person_in(body: CustomerIn) -> Person:
    """The core's person of a create body."""
    return Person(
        external_id=body.external_customer_id,
        email=body.email,
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
    )


def person_patch(body: CustomerPatchIn) -> PersonPatch:
    """The core's changes of an update body."""
    return PersonPatch(
        external_id=body.external_customer_id,
        email=body.email,
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
    )


def sort_of(wire: str | None) -> CustomerSort:
    """The core sort of ``SortByColumn`` (default ``InternalCustomerId``).

    Raises:
        InvalidRequestError: not a sortable column.
    """
    if not wire:
        return CustomerSort.id
    sort = SORTS.get(wire.lower())
    if sort is None:
        raise InvalidRequestError(f"SortByColumn must be one of {SORT_NAMES}", field="SortByColumn")
    return sort


def _type(word: str | None) -> AddressType | None:
    return None if word is None else AddressType(word.lower())


def entry_in(body: CustomerAddressIn) -> EntryInput:
    """The core's address write of one body address (its ids in the body)."""
    return EntryInput(
        patch=address_patch(body),
        ref=AddressRef(body.internal_address_id, body.external_address_id or None),
        address_type=_type(body.address_type),
        is_default_shipping=body.is_default_shipping_address,
    )


def entries_in(bodies: Sequence[CustomerAddressIn]) -> list[EntryInput]:
    """The core's address writes of a Link body."""
    return [entry_in(body) for body in bodies]


def put_entry(
    body: AddressPatchIn,
    ref: AddressRef,
    *,
    address_type: str | None,
    is_default: bool | None,
) -> EntryInput:
    """The core's address write of a body and its query (the query wins where both say)."""
    word = address_type if address_type is not None else body.address_type
    default = is_default if is_default is not None else body.is_default_shipping_address
    return EntryInput(
        patch=address_patch(body), ref=ref, address_type=_type(word), is_default_shipping=default
    )


def customer_out(customer: CustomerRecord) -> CustomerOut:
    """The wire form of a customer."""
    person = customer.person
    return CustomerOut(
        internal_customer_id=customer.id,
        external_customer_id=person.external_id,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone,
        created_date_time_utc=customer.created_at,
        last_updated_date_time_utc=customer.updated_at,
        is_forgotten=customer.forgotten_at is not None,
        forgotten_date_time_utc=customer.forgotten_at,
    )


def address_entry_out(entry: CustomerAddress) -> CustomerAddressOut:
    """The wire form of an address of a customer's book."""
    return CustomerAddressOut(
        **address_out(entry.address).model_dump(),
        internal_address_id=entry.id,
        external_address_id=entry.external_id,
        internal_customer_id=entry.customer_id,
        address_type=entry.address_type.value.title(),
        is_default_shipping_address=entry.is_default_shipping,
        created_date_time_utc=entry.created_at,
        last_updated_date_time_utc=entry.updated_at,
    )


def event_out(event: EventView) -> EventOut:
    """The wire form of an event-log entry (its payload is not answered)."""
    return EventOut(kind=event.kind, actor=event.actor, date_time_utc=event.created_at)


def forget_out(done: Forgetting) -> ForgetOut:
    """The wire form of a Forget's outcome."""
    return ForgetOut(
        internal_customer_id=done.customer_id,
        is_forgotten=True,
        forgotten_date_time_utc=done.forgotten_at,
        orders_anonymised=done.orders,
        addresses_anonymised=done.addresses,
        events_scrubbed=done.events_scrubbed,
    )
