"""OrderDynamics' address shape <-> the core's ``Address``: one table, both directions.

Locations, orders (shipping and billing) and address changes all map through ``FIELDS``.
"""

from typing import Any, Final

from orderyard.dialects.orderdynamics.schemas.address import AddressIn, AddressOut
from orderyard.domain.values import Address, AddressPatch

FIELDS: Final[dict[str, str]] = {
    "address_line1": "line1",
    "address_line2": "line2",
    "city": "city",
    "state": "region",
    "zip_code": "postal_code",
    "country_code": "country_code",
    "address_nickname": "nickname",
    "first_name": "first_name",
    "last_name": "last_name",
    "company_name": "company",
    "phone": "phone",
    "email": "email",
    "latitude": "latitude",
    "longitude": "longitude",
}
"""Each wire address field and the core ``Address`` field it is."""


def address_in(wire: AddressIn) -> Address:
    """The core address of a body's address."""
    return Address(**{core: getattr(wire, name) for name, core in FIELDS.items()})


def address_patch(wire: Any) -> AddressPatch:
    """The core's changes for the address fields a body sent (the others stay)."""
    return AddressPatch(
        **{FIELDS[name]: getattr(wire, name) for name in wire.model_fields_set if name in FIELDS}
    )


def address_out(where: Address) -> AddressOut:
    """The wire form of a core address."""
    return AddressOut(**{name: getattr(where, core) for name, core in FIELDS.items()})
