"""A customer's address book under random sequences of writes: one default at most.

Whatever the writes (new addresses, updates by id, type changes, links of several), the
book never holds two default shipping addresses, a billing address is never the default,
and the address last flagged default is the default while it stays a shipping address.
Each example runs in a fresh account (``tests/services/checks.fresh_account``).
"""

import asyncio
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderyard.domain.customer import AddressType, Person
from orderyard.domain.errors import DomainError
from orderyard.domain.values import AddressPatch, PageRequest
from orderyard.services import customer as customer_service
from orderyard.services.customer import AddressRef, CustomerRef, EntryInput
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.services.checks import fresh_account


@dataclass(frozen=True)
class Write:
    pick: int | None
    """Which existing address (modulo their number) to update; None: a new one."""
    address_type: AddressType | None
    default: bool | None


writes = st.lists(
    st.builds(
        Write,
        pick=st.none() | st.integers(0, 5),
        address_type=st.none() | st.sampled_from(AddressType),
        default=st.none() | st.booleans(),
    ),
    min_size=1,
    max_size=4,
)


async def _example(db_url: str, batches: list[list[Write]]) -> None:
    async with fresh_account(db_url, (), ()) as (engines, account_id):
        customer = await customer_service.create_customer(
            UnitOfWork(engines.write, account_id), Person(email="p@example.com")
        )
        ref = CustomerRef(id=customer.id)
        ids: list[int] = []
        for batch in batches:
            entries = [
                EntryInput(
                    AddressPatch(line1=f"{n} Main St"),
                    ref=AddressRef(id=ids[w.pick % len(ids)])
                    if w.pick is not None and ids
                    else AddressRef(),
                    address_type=w.address_type,
                    is_default_shipping=w.default,
                )
                for n, w in enumerate(batch)
            ]
            try:
                book = await customer_service.link_addresses(
                    UnitOfWork(engines.write, account_id), ref, entries
                )
            except DomainError:
                book = (
                    await customer_service.customer_addresses(
                        ReadUnitOfWork(engines.read, account_id), ref, PageRequest(1, 250)
                    )
                ).items
            else:
                ids = [address.id for address in book]
                target = _last_flagged(entries, [a.id for a in book])
                if target is not None:
                    assert [a.id for a in book if a.is_default_shipping] == [target]
            defaults = [a for a in book if a.is_default_shipping]
            assert len(defaults) <= 1
            assert all(a.address_type is AddressType.shipping for a in defaults)


def _last_flagged(entries: list[EntryInput], book_ids: list[int]) -> int | None:
    """The id the batch's last default-flagged entry wrote, if no later entry touched it."""
    new_count = sum(entry.ref.id is None for entry in entries)
    written: list[int] = []
    fresh = iter(book_ids[len(book_ids) - new_count :])
    for entry in entries:
        written.append(entry.ref.id if entry.ref.id is not None else next(fresh))
    flagged = [n for n, entry in enumerate(entries) if entry.is_default_shipping]
    if not flagged:
        return None
    last = flagged[-1]
    if written[last] in written[last + 1 :]:
        return None
    return written[last]


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(writes, min_size=1, max_size=6))
def test_a_customer_never_has_two_default_shipping_addresses(
    db_url: str, batches: list[list[Write]]
) -> None:
    asyncio.run(_example(db_url, batches))
