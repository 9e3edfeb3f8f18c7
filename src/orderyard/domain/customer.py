"""Customers and their address book, and what forgetting one erases.

A customer is the person behind orders. Orders do not point at customers: they carry the
customer's ids as placed, and a customer's orders are found by the link rule
(``CustomerLink``), so that placing an order never has to look a customer up.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import Address

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
"""One ``@`` between a local part and a dotted domain, no spaces: what a mailbox looks like."""


class AddressType(StrEnum):
    """What an address of the customer's book is for."""

    shipping = "shipping"
    billing = "billing"


def checked_email(email: str, *, field: str = "email") -> str:
    """``email`` if it looks like a mailbox (or is empty).

    Raises:
        InvalidRequestError: it is not an e-mail address.
    """
    if email and EMAIL.fullmatch(email) is None:
        raise InvalidRequestError(f"{email!r} is not an e-mail address", field=field)
    return email


@dataclass(frozen=True, slots=True)
class Person:
    """What a customer record says about the person."""

    external_id: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class PersonPatch:
    """Changes to a customer: a field left ``None`` keeps its value."""

    external_id: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None

    def apply(self, person: Person) -> Person:
        """``person`` with this patch's given fields replacing its own."""
        return Person(
            **{
                name: getattr(person, name) if getattr(self, name) is None else getattr(self, name)
                for name in Person.__dataclass_fields__
            }
        )


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """A customer as stored."""

    id: int
    person: Person
    created_at: datetime
    updated_at: datetime
    forgotten_at: datetime | None = None

    @property
    def link(self) -> "CustomerLink":
        """Which orders are this customer's."""
        return CustomerLink(self.person.external_id, self.person.email)


@dataclass(frozen=True, slots=True)
class CustomerLink:
    """The link rule: which orders belong to a customer, decided when they are read.

    An order placed with an ``external_id`` belongs to the customer of that id. An order
    placed without one (every ShipEdge order, an OrderDynamics order with no
    ``ExternalCustomerId``) belongs to the customer whose e-mail equals the order's customer
    e-mail, exactly. An empty id or e-mail links nothing.
    """

    external_id: str
    email: str

    @property
    def links_anything(self) -> bool:
        """Whether any order can be linked (a forgotten customer links none)."""
        return bool(self.external_id or self.email)


@dataclass(frozen=True, slots=True)
class CustomerAddress:
    """One address of a customer's book."""

    id: int
    customer_id: int
    external_id: str
    address_type: AddressType
    is_default_shipping: bool
    address: Address
    created_at: datetime
    updated_at: datetime


def check_default(is_default: bool | None, address_type: AddressType, *, field: str) -> None:
    """A default shipping address must be a shipping address.

    Raises:
        InvalidRequestError: a billing address is flagged as the default shipping one.
    """
    if is_default and address_type is AddressType.billing:
        raise InvalidRequestError(
            "a billing address cannot be the default shipping address", field=field
        )


def anonymised(address: Address) -> Address:
    """An address with everything that names or locates the person erased.

    The country stays: it is not personal on its own, and the books (taxes, sales by
    country) need it.
    """
    return Address(country_code=address.country_code)


@dataclass(frozen=True, slots=True)
class Forgetting:
    """What forgetting a customer erased."""

    customer_id: int
    forgotten_at: datetime
    orders: int
    addresses: int
    events_scrubbed: int


def personal_values(person: Person, addresses: list[Address]) -> tuple[str, ...]:
    """The strings that identify the person: ids, e-mails, names, phones, street lines."""
    values = {person.external_id, person.email, person.first_name, person.last_name, person.phone}
    for address in addresses:
        values |= {
            address.first_name,
            address.last_name,
            address.email,
            address.phone,
            address.line1,
            address.line2,
        }
    return tuple(sorted(v for v in values if len(v.strip()) >= 2))


def scrubbed(data: object, personal: tuple[str, ...]) -> tuple[object, bool]:
    """``data`` (a decoded JSON payload) with every string holding a personal value erased.

    Returns the scrubbed payload and whether anything was erased.
    """
    lowered = [value.lower() for value in personal]
    if isinstance(data, str):
        text = data.lower()
        if any(value in text for value in lowered):
            return "", True
        return data, False
    if isinstance(data, list):
        pairs = [scrubbed(item, personal) for item in data]
        return [item for item, _ in pairs], any(hit for _, hit in pairs)
    if isinstance(data, dict):
        found = {key: scrubbed(value, personal) for key, value in data.items()}
        return {key: item for key, (item, _) in found.items()}, any(
            hit for _, hit in found.values()
        )
    return data, False
