"""Customer use cases on a real database: records, the address book's one default, forget."""

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from orderyard.domain.customer import Person, PersonPatch
from orderyard.domain.errors import ConflictError, DuplicateError, InvalidRequestError
from orderyard.domain.order import Customer
from orderyard.domain.values import Address, AddressPatch, PageRequest
from orderyard.services import customer as customer_service
from orderyard.services import order as order_service
from orderyard.services.customer import AddressRef, CustomerRef, CustomerSort, EntryInput
from orderyard.services.order import OrderFilter
from orderyard.store.engine import Engines
from orderyard.store.tables import customer_addresses, customers
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory

JANE = Person(
    external_id="C-9",
    email="jane@example.com",
    first_name="Jane",
    last_name="Smith",
    phone="555 0100",
)
HOME = AddressPatch(line1="1 Bloor St", city="Toronto", country_code="CA", first_name="Jane")


async def rows(engines: Engines, table: object) -> int:
    async with engines.write.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def default_ids(engines: Engines) -> list[int]:
    async with engines.write.connect() as conn:
        found = await conn.execute(
            select(customer_addresses.c.id).where(customer_addresses.c.is_default_shipping)
        )
        return [address_id for (address_id,) in found]


class TestRecords:
    async def test_a_customer_is_created_found_by_either_id_and_searched(
        self, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        created = await customer_service.create_customer(uow, JANE)

        by_id = await customer_service.get_customer(read_uow, CustomerRef(id=created.id))
        by_external = await customer_service.get_customer(read_uow, CustomerRef(external_id="C-9"))
        found = await customer_service.search_customers(
            read_uow, "SMI", PageRequest(), sort=CustomerSort.last_name
        )

        assert by_id == by_external == created
        assert [c.id for c in found.items] == [created.id]

    async def test_refused_writes_change_nothing(
        self, uow: UnitOfWork, engines: Engines, read_uow: ReadUnitOfWork
    ) -> None:
        created = await customer_service.create_customer(uow, JANE)
        await customer_service.create_customer(uow, Person(external_id="C-2", email="b@x.io"))

        with pytest.raises(DuplicateError) as duplicate:
            await customer_service.create_customer(uow, JANE)
        with pytest.raises(InvalidRequestError) as invalid:
            await customer_service.create_customer(uow, Person(email="jane at example"))
        with pytest.raises(DuplicateError):
            await customer_service.update_customer(
                uow, CustomerRef(id=created.id), PersonPatch(external_id="C-2", first_name="J")
            )

        assert (duplicate.value.field, invalid.value.field) == ("customer_external_id", "email")
        assert await rows(engines, customers) == 2
        assert await customer_service.get_customer(read_uow, CustomerRef(id=created.id)) == created


class TestDefaultShippingAddress:
    async def test_concurrent_writers_leave_exactly_one_default(
        self, make: Factory, engines: Engines
    ) -> None:
        customer = await customer_service.create_customer(make.uow(), JANE)
        ref = CustomerRef(id=customer.id)

        written = await asyncio.gather(
            *(
                customer_service.put_customer_address(
                    make.uow(),
                    ref,
                    EntryInput(AddressPatch(line1=f"{n} King St"), is_default_shipping=True),
                )
                for n in range(8)
            )
        )

        assert len({address.id for address in written}) == 8
        assert len(await default_ids(engines)) == 1

    async def test_a_billing_address_is_never_the_default(self, uow: UnitOfWork) -> None:
        customer = await customer_service.create_customer(uow, JANE)
        ref = CustomerRef(id=customer.id)
        home = await customer_service.put_customer_address(
            uow, ref, EntryInput(HOME, is_default_shipping=True)
        )

        billing = await customer_service.update_address(
            uow,
            EntryInput(
                AddressPatch(),
                ref=AddressRef(id=home.id),
                address_type=customer_service.addresses.AddressType.billing,
            ),
        )

        assert billing.is_default_shipping is False


class TestForget:
    async def test_forget_anonymises_customer_addresses_and_linked_orders_only(
        self, make: Factory, engines: Engines, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 10)
        customer = await customer_service.create_customer(make.uow(), JANE)
        ref = CustomerRef(id=customer.id)
        await customer_service.put_customer_address(make.uow(), ref, EntryInput(HOME))
        linked = await make.order(("SKU-1", 1), customer=Customer(external_id="C-9"))
        by_email = await make.order(("SKU-1", 2), customer=Customer(email="jane@example.com"))
        other_person = await make.order(
            ("SKU-1", 1), customer=Customer(external_id="C-1", email="jane@example.com")
        )

        done = await customer_service.forget_customer(make.uow(), ref)

        assert (done.orders, done.addresses) == (2, 1)
        async with read_uow:
            anonymised = await read_uow.orders.page(OrderFilter(), PageRequest(), sort="id")
        by_number = {view.order_number: view for view in anonymised.items}
        for outcome in (linked, by_email):
            view = by_number[outcome.order_number]
            assert view.customer == Customer()
            assert view.address == Address(country_code=view.address.country_code)
            assert view.total == Decimal("9.99") * (1 if outcome is linked else 2)
        assert by_number[other_person.order_number].customer.external_id == "C-1"
        book = await customer_service.customer_addresses(read_uow, ref, PageRequest())
        assert [entry.address for entry in book.items] == [Address(country_code="CA")]
        forgotten = await customer_service.get_customer(read_uow, ref)
        assert forgotten.person == Person()
        assert forgotten.forgotten_at is not None
        with pytest.raises(ConflictError):
            await customer_service.update_customer(make.uow(), ref, PersonPatch(first_name="J"))
        history = await order_service.list_orders(
            read_uow, OrderFilter(customer_email="jane@example.com"), PageRequest()
        )
        assert [view.order_number for view in history.items] == [other_person.order_number]
