"""A customer's address book: link, create or update, read.

At most one address of a customer is its default shipping address. Every write locks the
customer's row first (``records.locking``), so writers of one book take turns; flagging an
address unflags the one before in the same transaction. The partial unique index
``uq_customer_addresses_default_shipping`` refuses a second default should anything ever
slip past the lock.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from orderyard.domain.customer import (
    AddressType,
    CustomerAddress,
    CustomerRecord,
    check_default,
    checked_email,
)
from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.values import Address, AddressPatch, Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.customer.records import CustomerRef, find_customer, locking, writable
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class AddressRef:
    """How a client names an address: its internal id, its external id, or both."""

    id: int | None = None
    external_id: str | None = None

    @property
    def given(self) -> bool:
        """Whether it names any address."""
        return self.id is not None or bool(self.external_id)


@dataclass(frozen=True, slots=True)
class EntryInput:
    """One address to write: its changes, and which address it is (none: a new one)."""

    patch: AddressPatch
    ref: AddressRef = AddressRef()
    address_type: AddressType | None = None
    is_default_shipping: bool | None = None


async def _find_address(
    uow: UnitOfWork | ReadUnitOfWork, ref: AddressRef
) -> CustomerAddress | None:
    """The address ``ref`` names, or None (both ids must name the same one)."""
    if ref.id is not None:
        found = await uow.customers.find_address("id", ref.id)
    elif ref.external_id:
        found = await uow.customers.find_address("external_id", ref.external_id)
    else:
        return None
    if found is not None and ref.external_id and found.external_id != ref.external_id:
        return None
    return found


def _not_found(ref: AddressRef, *, prefix: str = "") -> NotFoundError:
    if ref.id is not None:
        return NotFoundError(f"address {ref.id} not found", field=f"{prefix}address_id")
    return NotFoundError(
        f"address {ref.external_id!r} not found", field=f"{prefix}address_external_id"
    )


async def _write(
    uow: UnitOfWork,
    customer: CustomerRecord,
    entry: EntryInput,
    now: datetime,
    *,
    prefix: str = "",
) -> CustomerAddress:
    """Create or update one address of the customer's book (the customer is locked)."""
    existing = await _find_address(uow, entry.ref)
    if existing is not None and existing.customer_id != customer.id:
        raise ConflictError(
            "the address belongs to another customer",
            field=f"{prefix}address_id"
            if entry.ref.id is not None
            else f"{prefix}address_external_id",
        )
    if existing is None and entry.ref.id is not None:
        raise _not_found(entry.ref, prefix=prefix)
    address = entry.patch.apply(existing.address if existing else Address())
    checked_email(address.email, field=f"{prefix}email")
    address_type = entry.address_type or (
        existing.address_type if existing else AddressType.shipping
    )
    check_default(entry.is_default_shipping, address_type, field=f"{prefix}is_default_shipping")
    default = entry.is_default_shipping
    if default is None:
        default = bool(existing and existing.is_default_shipping)
    default = default and address_type is AddressType.shipping
    if default and not (existing and existing.is_default_shipping):
        await uow.customers.clear_default(customer.id, now)
    wanted = CustomerAddress(
        id=existing.id if existing else 0,
        customer_id=customer.id,
        external_id=entry.ref.external_id or (existing.external_id if existing else ""),
        address_type=address_type,
        is_default_shipping=default,
        address=address,
        created_at=existing.created_at if existing else now,
        updated_at=now,
    )
    if existing is None:
        written = await uow.customers.add_address(customer.id, wanted, now)
        await uow.events.record("address_created", "customer_address", written.id,
                                {"customer_id": customer.id})  # fmt: skip
    else:
        written = await uow.customers.save_address(wanted, now)
        await uow.events.record("address_updated", "customer_address", written.id,
                                {"customer_id": customer.id})  # fmt: skip
    return written


async def link_addresses(
    uow: UnitOfWork, ref: CustomerRef, entries: Sequence[EntryInput]
) -> list[CustomerAddress]:
    """Add addresses to a customer's book (or update those it names); all or none.

    Returns the customer's whole book afterwards, oldest first.

    Raises:
        NotFoundError: no such customer, or an ``InternalAddressId`` that is not the account's.
        ConflictError: the customer was forgotten, or an address is another customer's.
        InvalidRequestError: a billing address flagged default, an invalid e-mail, or two
            entries flagged default.
    """
    if not entries:
        raise InvalidRequestError("at least one address is required", field="addresses")
    if sum(1 for e in entries if e.is_default_shipping) > 1:
        raise InvalidRequestError(
            "only one address can be the default shipping address",
            field="addresses",
        )
    now = utcnow()
    async with uow:
        customer = writable(await find_customer(locking(uow), ref))
        for index, entry in enumerate(entries):
            await _write(uow, customer, entry, now, prefix=f"addresses[{index}].")
        book = await uow.customers.addresses(customer.id)
        await uow.commit()
    return book


async def put_customer_address(
    uow: UnitOfWork, ref: CustomerRef, entry: EntryInput
) -> CustomerAddress:
    """Create an address in a customer's book, or update the one ``entry.ref`` names.

    An ``ExternalAddressId`` the account does not know yet creates the address under it.

    Raises:
        NotFoundError: no such customer, or no such ``InternalAddressId``.
        ConflictError: the customer was forgotten, or the address is another customer's.
        InvalidRequestError: a billing address flagged default, or an invalid e-mail.
    """
    async with uow:
        customer = writable(await find_customer(locking(uow), ref))
        written = await _write(uow, customer, entry, utcnow())
        await uow.commit()
    return written


async def update_address(uow: UnitOfWork, entry: EntryInput) -> CustomerAddress:
    """Change the given fields of the address ``entry.ref`` names, whoever's it is.

    Raises:
        NotFoundError: no such address in this account.
        ConflictError: its customer was forgotten.
        InvalidRequestError: no address is named, a billing address flagged default, or an
            invalid e-mail.
    """
    if not entry.ref.given:
        raise InvalidRequestError("InternalAddressId or ExternalAddressId is required",
                                  field="address_id")  # fmt: skip
    async with uow:
        found = await _find_address(uow, entry.ref)
        if found is None:
            raise _not_found(entry.ref)
        customer = writable(await find_customer(locking(uow), CustomerRef(id=found.customer_id)))
        written = await _write(uow, customer, replace(entry, ref=AddressRef(id=found.id,
                               external_id=entry.ref.external_id)), utcnow())  # fmt: skip
        await uow.commit()
    return written


async def customer_addresses(
    uow: ReadUnitOfWork, ref: CustomerRef, page: PageRequest, *, address: AddressRef = AddressRef()
) -> Page[CustomerAddress]:
    """A page of a customer's addresses, oldest first; or the one ``address`` names.

    Raises:
        NotFoundError: no such customer, or the named address is not the customer's.
    """
    async with uow:
        customer = await find_customer(uow.customers.get, ref)
        if not address.given:
            return await uow.customers.addresses(customer.id, page)
        found = await _find_address(uow, address)
    if found is None or found.customer_id != customer.id:
        raise _not_found(address)
    items = [found] if page.offset == 0 else []
    return Page(items, 1, page)
