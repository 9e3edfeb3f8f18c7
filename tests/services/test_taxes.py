"""Tax rate services: defining rates, and the rates in force for an address in one statement."""

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.tax import Destination, TaxRateSpec, in_force
from orderyard.domain.values import AccountId, Address, PageRequest
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import taxes as service
from orderyard.services.taxes import TaxRateRef
from orderyard.store.engine import Engines, create_engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import CLOCK_START, Factory
from tests.services.checks import count_rows

DAY = timedelta(days=1)
RATES = [
    TaxRateSpec("CA-GST", Decimal(5), "CA"),
    TaxRateSpec("ON-HST", Decimal(13), "CA", "ON"),
    TaxRateSpec("ON-HST-2027", Decimal(14), "CA", "ON", valid_from=CLOCK_START + 30 * DAY),
    TaxRateSpec("TORONTO", Decimal("13.5"), "CA", "ON", "M5"),
    TaxRateSpec("DOWNTOWN", Decimal("13.75"), "CA", "", "M5V"),
    TaxRateSpec("OLD-QC", Decimal(9), "CA", "QC", valid_to=CLOCK_START - DAY),
    TaxRateSpec("QC", Decimal("14.975"), "CA", "QC", valid_from=CLOCK_START - DAY),
    TaxRateSpec("NY", Decimal(8), "US", "NY"),
]
ADDRESSES = [
    Address(region="ON", postal_code="M5V 3L9", country_code="CA"),
    Address(region="on", postal_code="m5a 1a1", country_code="ca"),
    Address(region="ON", postal_code="K1A 0B1", country_code="CA"),
    Address(region="QC", postal_code="H2X 1Y4", country_code="CA"),
    Address(region="BC", postal_code="V6B", country_code="CA"),
    Address(region="NY", postal_code="10001", country_code="US"),
    Address(region="CA", postal_code="90001", country_code="US"),
    Address(region="ON", postal_code="M5V", country_code="CAN"),
]


@pytest.fixture
async def defined(make: Factory, clock: TestClock) -> Factory:
    for spec in RATES:
        await service.set_tax_rate(make.uow(), spec)
    return make


@pytest.mark.parametrize("days", [0, 30])
async def test_the_one_statement_agrees_with_the_domain_rule_for_every_address(
    defined: Factory, read_uow: ReadUnitOfWork, clock: TestClock, days: int
) -> None:
    clock.advance(days * DAY)
    every = await service.list_tax_rates(read_uow, PageRequest(1, 100))

    for address in ADDRESSES:
        found = await service.rates_in_force(read_uow, address)
        expected = in_force(every.items, Destination.of(address), CLOCK_START + days * DAY)
        assert (found[0] if found else None) == expected, address
        assert all(r.applies_to(Destination.of(address), CLOCK_START + days * DAY) for r in found)


async def test_the_rates_in_force_come_most_specific_first(
    defined: Factory, read_uow: ReadUnitOfWork
) -> None:
    found = await service.rates_in_force(read_uow, ADDRESSES[0])

    assert [r.spec.backend_name for r in found] == ["DOWNTOWN", "TORONTO", "ON-HST", "CA-GST"]


async def test_the_repository_answers_inside_an_open_unit_of_work(
    defined: Factory, uow: UnitOfWork
) -> None:
    async with uow:
        found = await uow.taxes.in_force_for(Destination("CA", "QC", "H2X"), CLOCK_START)

    assert [r.spec.backend_name for r in found] == ["QC", "CA-GST"]


async def test_another_accounts_rates_are_never_in_force(
    defined: Factory, engines: Engines
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    found = await service.rates_in_force(
        ReadUnitOfWork(engines.read, other.account_id), ADDRESSES[0]
    )

    assert found == []


async def test_set_records_created_then_updated_events(make: Factory, uow: UnitOfWork) -> None:
    _, created = await service.set_tax_rate(uow, RATES[0])
    rate, again = await service.set_tax_rate(make.uow(), RATES[0])

    async with make.uow() as check:
        kinds = await check.conn.exec_driver_sql(
            "SELECT kind FROM events WHERE record_type = 'tax_rate' ORDER BY id"
        )
        assert [k for (k,) in kinds] == ["tax_rate_created", "tax_rate_updated"]
    assert (created, again, rate.spec.rate) == (True, False, Decimal("5.0000"))


async def test_refusals_write_nothing(make: Factory) -> None:
    await service.set_tax_rate(make.uow(), RATES[0])
    first = await service.get_tax_rate(make.uow(), "CA-GST")
    await service.set_tax_rate(make.uow(), RATES[1])

    with pytest.raises(InvalidRequestError):
        await service.set_tax_rate(make.uow(), TaxRateSpec("X", Decimal(101), "CA"))
    with pytest.raises(DuplicateError):
        await service.set_tax_rate(make.uow(), RATES[1], rate_id=first.id)
    with pytest.raises(NotFoundError):
        await service.delete_tax_rate(make.uow(), TaxRateRef(first.id, "ON-HST"))

    assert await count_rows(make, "tax_rates") == 2
    assert (await service.get_tax_rate(make.uow(), "CA-GST")).spec == first.spec


@pytest.mark.postgres
async def test_racing_creates_of_one_name_store_one_rate(make: Factory, db_url: str) -> None:
    engines = create_engines(db_url, pool_size=8)
    try:
        outcomes = await asyncio.gather(
            *(
                service.set_tax_rate(
                    UnitOfWork(engines.write, AccountId(make.account_id), actor="test"),
                    TaxRateSpec("RACE", Decimal(n), "CA"),
                )
                for n in range(8)
            )
        )
    finally:
        await engines.dispose()

    assert sorted(created for _, created in outcomes) == [False] * 7 + [True]
    assert len({rate.id for rate, _ in outcomes}) == 1
    assert await count_rows(make, "tax_rates") == 1
