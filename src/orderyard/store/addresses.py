"""Where each table keeps the core's address fields: one mapping per table, both directions.

``orders`` keeps migration 0001's ShipEdge-era column names for its shipping address (its
nickname and coordinates came with migration 0014) and ``billing_`` ones for its billing
address; ``locations`` keeps every field. A field a table has no column for is simply not
stored there (it reads back as the empty default).
"""

from collections.abc import Mapping
from typing import Any

from orderyard.domain.values import Address, AddressPatch


class AddressColumns:
    """One table's columns for the core's address fields."""

    def __init__(self, **columns: str) -> None:
        self.columns = columns
        """Core field -> column."""

    def values(self, address: Address | AddressPatch) -> dict[str, Any]:
        """The table's column values for an address, or for a patch (``None``: unchanged)."""
        return {column: getattr(address, field) for field, column in self.columns.items()}

    def read(self, row: Mapping[Any, Any]) -> Address:
        """The address a row of the table holds."""
        return Address(**{field: row[column] for field, column in self.columns.items()})


POSTAL = {
    "company": "company",
    "line1": "address1",
    "line2": "address2",
    "city": "city",
    "region": "state",
    "postal_code": "zip",
    "country_code": "country",
    "phone": "phone",
    "email": "email",
}
ORDER_ADDRESS = AddressColumns(
    first_name="firstname",
    last_name="lastname",
    nickname="nickname",
    latitude="latitude",
    longitude="longitude",
    **POSTAL,
)
BILLING_ADDRESS = AddressColumns(
    **{field: f"billing_{column}" for field, column in ORDER_ADDRESS.columns.items()}
)
"""An order's billing address: ``billing_`` before each column of its shipping address."""
LOCATION_ADDRESS = AddressColumns(
    first_name="first_name",
    last_name="last_name",
    nickname="nickname",
    latitude="latitude",
    longitude="longitude",
    **POSTAL,
)
CUSTOMER_ADDRESS = AddressColumns(**LOCATION_ADDRESS.columns)
"""A customer's address book keeps every field, under the same columns as locations."""
