"""Customers: create, read, search, update; the lookup every customer use case shares."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from orderyard.domain.customer import (
    CustomerLink,
    CustomerRecord,
    Person,
    PersonPatch,
    checked_email,
)
from orderyard.domain.errors import ConflictError, DuplicateError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.customer import CustomerSort
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class CustomerRef:
    """How a client names a customer: by internal id, external id, or both (one customer)."""

    id: int | None = None
    external_id: str | None = None


Lookup = Callable[[str, str | int], Awaitable[CustomerRecord | None]]
"""Reads one customer by a field (``id`` or ``external_id``): a repository's or a query's."""


async def find_customer(lookup: Lookup, ref: CustomerRef) -> CustomerRecord:
    """The customer ``ref`` names, read through ``lookup``.

    Raises:
        NotFoundError: no such customer in this account, or the two ids name different ones.
    """
    if ref.id is not None:
        found = await lookup("id", ref.id)
        field, value = "customer_id", str(ref.id)
    elif ref.external_id:
        found = await lookup("external_id", ref.external_id)
        field, value = "customer_external_id", ref.external_id
    else:
        raise NotFoundError("customer not found", field="customer_id")
    if found is None or (ref.external_id and found.person.external_id != ref.external_id):
        raise NotFoundError(f"customer {value} not found", field=field)
    return found


def locking(uow: UnitOfWork) -> Lookup:
    """A lookup that locks the customer it finds until the unit of work ends.

    Every write about a customer (its details, its addresses, forgetting it) locks its row
    first, so that writers of one customer take turns.
    """
    return partial(uow.customers.find, for_update=True)


def writable(customer: CustomerRecord) -> CustomerRecord:
    """A customer that can still be changed.

    Raises:
        ConflictError: the customer was forgotten (its record stays only as a tombstone).
    """
    if customer.forgotten_at is not None:
        raise ConflictError(f"customer {customer.id} was forgotten", field="customer_id")
    return customer


async def _external_id_free(uow: UnitOfWork, external_id: str, *, own_id: int | None) -> None:
    if not external_id:
        return
    holder = await uow.customers.find("external_id", external_id)
    if holder is not None and holder.id != own_id:
        raise DuplicateError(
            f"customer {external_id!r} already exists", field="customer_external_id"
        )


async def create_customer(uow: UnitOfWork, person: Person) -> CustomerRecord:
    """Register a customer.

    Raises:
        InvalidRequestError: the e-mail is not an e-mail address.
        DuplicateError: the external id is another customer's.
    """
    checked_email(person.email)
    async with uow:
        await _external_id_free(uow, person.external_id, own_id=None)
        customer = await uow.customers.add(person, utcnow())
        await uow.events.record("customer_created", "customer", customer.id, {})
        await uow.commit()
    return customer


async def update_customer(uow: UnitOfWork, ref: CustomerRef, patch: PersonPatch) -> CustomerRecord:
    """Change a customer's given fields; the others stay.

    Raises:
        NotFoundError: no such customer in this account.
        ConflictError: the customer was forgotten, or the new external id is another's.
        InvalidRequestError: the e-mail is not an e-mail address.
    """
    if patch.email is not None:
        checked_email(patch.email)
    async with uow:
        customer = writable(await find_customer(locking(uow), ref))
        person = patch.apply(customer.person)
        await _external_id_free(uow, person.external_id, own_id=customer.id)
        updated = await uow.customers.save(customer.id, person, utcnow())
        changed = sorted(
            name
            for name in Person.__dataclass_fields__
            if getattr(person, name) != getattr(customer.person, name)
        )
        await uow.events.record("customer_updated", "customer", customer.id, {"fields": changed})
        await uow.commit()
    return updated


async def get_customer(uow: ReadUnitOfWork, ref: CustomerRef) -> CustomerRecord:
    """One customer.

    Raises:
        NotFoundError: no such customer in this account.
    """
    async with uow:
        return await find_customer(uow.customers.get, ref)


async def search_customers(
    uow: ReadUnitOfWork,
    keyword: str,
    page: PageRequest,
    *,
    sort: CustomerSort = CustomerSort.id,
    descending: bool = False,
) -> Page[CustomerRecord]:
    """A page of the customers whose names, e-mail, phone or external id contain ``keyword``."""
    async with uow.tolerating_lag() as uow:
        return await uow.customers.search(keyword.strip(), page, sort=sort, descending=descending)


async def customer_link(uow: ReadUnitOfWork, ref: CustomerRef) -> CustomerLink:
    """Which orders are the customer's (the link rule), for an order list to filter by.

    Raises:
        NotFoundError: no such customer in this account.
    """
    async with uow:
        return (await find_customer(uow.customers.get, ref)).link
