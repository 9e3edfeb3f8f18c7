"""Customers and their address books: the write side, and the rows both sides read."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.exc import IntegrityError

from orderyard.domain.customer import (
    AddressType,
    CustomerAddress,
    CustomerRecord,
    Person,
)
from orderyard.domain.errors import DuplicateError
from orderyard.domain.values import Address
from orderyard.store.addresses import CUSTOMER_ADDRESS
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.tables import customer_addresses, customers

PERSON_COLUMNS = ("external_id", "email", "first_name", "last_name", "phone")
"""The ``customers`` columns of a ``Person``, named as its fields."""
LOOKUPS = {"id": customers.c.id, "external_id": customers.c.external_id}
"""The ways a client names a customer."""
ADDRESS_LOOKUPS = {"id": customer_addresses.c.id, "external_id": customer_addresses.c.external_id}


def customer_from_row(row: Mapping[Any, Any]) -> CustomerRecord:
    """The customer a ``customers`` row holds."""
    return CustomerRecord(
        id=row["id"],
        person=Person(**{name: row[name] for name in PERSON_COLUMNS}),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        forgotten_at=row["forgotten_at"],
    )


def address_from_row(row: Mapping[Any, Any]) -> CustomerAddress:
    """The address a ``customer_addresses`` row holds."""
    return CustomerAddress(
        id=row["id"],
        customer_id=row["customer_id"],
        external_id=row["external_id"],
        address_type=AddressType(row["address_type"]),
        is_default_shipping=bool(row["is_default_shipping"]),
        address=CUSTOMER_ADDRESS.read(row),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def customer_lookup(account_id: int, field: str, value: str | int) -> Select[Any]:
    """The customer of the account whose ``field`` is ``value``."""
    return select(customers).where(customers.c.account_id == account_id, LOOKUPS[field] == value)


def address_lookup(account_id: int, field: str, value: str | int) -> Select[Any]:
    """The address of the account whose ``field`` is ``value``."""
    return select(customer_addresses).where(
        customer_addresses.c.account_id == account_id, ADDRESS_LOOKUPS[field] == value
    )


def addresses_of(account_id: int, customer_id: int) -> Select[Any]:
    """A customer's addresses, oldest first (the order they were added in)."""
    return (
        select(customer_addresses)
        .where(
            customer_addresses.c.account_id == account_id,
            customer_addresses.c.customer_id == customer_id,
        )
        .order_by(customer_addresses.c.account_id, customer_addresses.c.customer_id,
                  customer_addresses.c.id)
    )  # fmt: skip


class CustomerRepository(TenantRepository):
    """Writes the account's customers and their addresses."""

    async def find(
        self, field: str, value: str | int, *, for_update: bool = False
    ) -> CustomerRecord | None:
        """The customer named by ``field`` (id or external_id); locked when ``for_update``.

        Every write to a customer's addresses locks the customer first: writers of one
        address book take turns, which keeps its one default shipping address one.
        """
        statement = customer_lookup(self.account_id, field, value)
        if for_update:
            statement = statement.with_for_update()
        row = (await self.conn.execute(statement)).one_or_none()
        return None if row is None else customer_from_row(row._mapping)

    async def add(self, person: Person, now: datetime) -> CustomerRecord:
        """Insert a customer.

        Raises:
            DuplicateError: its external id is another customer's.
        """
        values = {name: getattr(person, name) for name in PERSON_COLUMNS}
        try:
            row = (
                await self.conn.execute(
                    insert(customers)
                    .values(account_id=self.account_id, created_at=now, updated_at=now, **values)
                    .returning(customers)
                )
            ).one()
        except IntegrityError as error:
            self._raise_if_duplicate(error, person.external_id)
            raise
        return customer_from_row(row._mapping)

    async def save(self, customer_id: int, person: Person, now: datetime) -> CustomerRecord:
        """Store a customer's new details.

        Raises:
            DuplicateError: the new external id is another customer's.
        """
        values = {name: getattr(person, name) for name in PERSON_COLUMNS}
        try:
            row = (
                await self.conn.execute(
                    update(customers)
                    .where(customers.c.account_id == self.account_id, customers.c.id == customer_id)
                    .values(updated_at=now, **values)
                    .returning(customers)
                )
            ).one()
        except IntegrityError as error:
            self._raise_if_duplicate(error, person.external_id)
            raise
        return customer_from_row(row._mapping)

    @staticmethod
    def _raise_if_duplicate(error: IntegrityError, external_id: str) -> None:
        if violates(error, "customers", "account_id", "external_id"):
            raise DuplicateError(
                f"customer {external_id!r} already exists", field="customer_external_id"
            ) from error

    async def find_address(self, field: str, value: str | int) -> CustomerAddress | None:
        """The address named by ``field`` (id or external_id), of any customer."""
        row = (await self.conn.execute(address_lookup(self.account_id, field, value))).one_or_none()
        return None if row is None else address_from_row(row._mapping)

    async def addresses(self, customer_id: int) -> list[CustomerAddress]:
        """Every address of a customer, oldest first."""
        rows = await self.conn.execute(addresses_of(self.account_id, customer_id))
        return [address_from_row(row._mapping) for row in rows]

    async def add_address(
        self, customer_id: int, address: CustomerAddress, now: datetime
    ) -> CustomerAddress:
        """Insert an address into a customer's book (``address.id`` is ignored).

        Raises:
            DuplicateError: its external id is another address's.
        """
        values = self._address_values(address)
        try:
            row = (
                await self.conn.execute(
                    insert(customer_addresses)
                    .values(account_id=self.account_id, customer_id=customer_id,
                            created_at=now, updated_at=now, **values)
                    .returning(customer_addresses)
                )
            ).one()  # fmt: skip
        except IntegrityError as error:
            self._raise_if_duplicate_address(error, address.external_id)
            raise
        return address_from_row(row._mapping)

    async def save_address(self, address: CustomerAddress, now: datetime) -> CustomerAddress:
        """Store an address's new fields, type and flag.

        Raises:
            DuplicateError: its new external id is another address's.
        """
        try:
            row = (
                await self.conn.execute(
                    update(customer_addresses)
                    .where(customer_addresses.c.account_id == self.account_id,
                           customer_addresses.c.id == address.id)
                    .values(updated_at=now, **self._address_values(address))
                    .returning(customer_addresses)
                )
            ).one()  # fmt: skip
        except IntegrityError as error:
            self._raise_if_duplicate_address(error, address.external_id)
            raise
        return address_from_row(row._mapping)

    async def clear_default(self, customer_id: int, now: datetime) -> None:
        """Unflag the customer's default shipping address, if it has one."""
        await self.conn.execute(
            update(customer_addresses)
            .where(
                customer_addresses.c.account_id == self.account_id,
                customer_addresses.c.customer_id == customer_id,
                customer_addresses.c.is_default_shipping.is_(True),
            )
            .values(is_default_shipping=False, updated_at=now)
        )

    @staticmethod
    def _address_values(address: CustomerAddress) -> dict[str, Any]:
        return {
            "external_id": address.external_id,
            "address_type": address.address_type.value,
            "is_default_shipping": address.is_default_shipping,
            **CUSTOMER_ADDRESS.values(address.address),
        }

    @staticmethod
    def _raise_if_duplicate_address(error: IntegrityError, external_id: str) -> None:
        if violates(error, "customer_addresses", "account_id", "external_id"):
            raise DuplicateError(
                f"address {external_id!r} already exists", field="address_external_id"
            ) from error

    async def anonymise_addresses(
        self, customer_id: int, blank: Sequence[tuple[int, Address]], now: datetime
    ) -> None:
        """Overwrite each ``(address id, anonymised address)`` of the customer; none external."""
        for address_id, address in blank:
            await self.conn.execute(
                update(customer_addresses)
                .where(customer_addresses.c.account_id == self.account_id,
                       customer_addresses.c.customer_id == customer_id,
                       customer_addresses.c.id == address_id)
                .values(external_id="", updated_at=now, **CUSTOMER_ADDRESS.values(address))
            )  # fmt: skip

    async def forget(self, customer_id: int, now: datetime) -> None:
        """Empty every personal field of the customer and mark it forgotten."""
        await self.conn.execute(
            update(customers)
            .where(customers.c.account_id == self.account_id, customers.c.id == customer_id)
            .values(updated_at=now, forgotten_at=now, **dict.fromkeys(PERSON_COLUMNS, ""))
        )
