"""Tax applied at placement: an order whose lines carry no tax is taxed by the rates in force.

The rule (docs/dialects/orderdynamics.md, "Tax at placement"): when the account defines any
rate and no line of the order carries tax, each line is taxed at the rate in force now for
the shipping address (the most specific: postal prefix, then region, then country), its net
(price x quantity - discount) times the rate, rounded half up to the currency's minor unit
per line. An account without rates pays no extra statement; one with rates pays one.
"""

from dataclasses import replace
from decimal import Decimal
from itertools import count

from orderyard.domain.tax import TaxRateSpec
from orderyard.domain.values import AccountId, Address
from orderyard.services import order as order_service
from orderyard.services import taxes as tax_service
from orderyard.services.order import LineInput, PlaceOrder
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import ADDRESS, Factory
from tests.services.checks import load_order
from tests.statements import counted

RATES = (
    TaxRateSpec("US", Decimal(5), "US"),
    TaxRateSpec("US-CA", Decimal("7.25"), "US", region="CA"),
    TaxRateSpec("US-CA-900", Decimal("9.5"), "US", region="CA", postal_prefix="900"),
    TaxRateSpec("US-NY", Decimal("8.875"), "US", region="NY"),
)


async def stocked(make: Factory) -> None:
    await make.location("DC-1")
    for sku in ("SKU-1", "SKU-2"):
        await make.item(sku)
        await make.stock("DC-1", sku, 50)


async def define_rates(make: Factory) -> None:
    for spec in RATES:
        await tax_service.set_tax_rate(make.uow(), spec)


NUMBERS = count(1)
US = replace(ADDRESS, country_code="US")
"""Rates name alpha-2 countries; the factories' address spells its country USA."""


async def placed(make: Factory, *lines: LineInput, address: Address = US, **more: object) -> int:
    """Place an order; its id."""
    number = f"T-{next(NUMBERS)}"
    command = PlaceOrder(number, tuple(lines), "Pick", address, **more)  # type: ignore[arg-type]
    [outcome] = await order_service.place_orders(make.uow(), [command])
    assert outcome.error is None, outcome.error
    assert outcome.order_id is not None
    return outcome.order_id


async def place(make: Factory, *lines: LineInput, **more: object) -> tuple[list[Decimal], Decimal]:
    """Place an order; its lines' taxes and its total as stored."""
    order = await load_order(make, await placed(make, *lines, **more))
    async with ReadUnitOfWork(make.engines.read, AccountId(make.account_id)) as read:
        view = await read.orders.get("id", order.id)
    assert view is not None
    return [line.tax for line in order.lines], view.total


async def test_lines_without_tax_take_the_most_specific_rate_rounded_per_line(
    make: Factory,
) -> None:
    """90001 in CA: the 900 prefix's 9.5 % wins over CA's 7.25 % and the country's 5 %.
    Each line's 0.35 x 9.5 % = 0.03325 rounds to 0.03: the order's tax is 0.06, where the
    rounded sum of the exact taxes (0.0665) would be 0.07."""
    await stocked(make)
    await define_rates(make)

    taxes, total = await place(
        make, LineInput("SKU-1", 1, Decimal("0.35")), LineInput("SKU-2", 1, Decimal("0.35"))
    )

    assert taxes == [Decimal("0.03"), Decimal("0.03")]
    assert total == Decimal("0.76")


async def test_the_region_and_then_the_country_apply_where_no_prefix_matches(
    make: Factory,
) -> None:
    await stocked(make)
    await define_rates(make)
    in_ca = replace(US, postal_code="94105")
    in_tx = replace(US, region="TX", postal_code="73301")
    line = LineInput("SKU-1", 3, Decimal("10.00"), discount=Decimal("1.00"))

    ca_taxes, ca_total = await place(make, line, address=in_ca)
    tx_taxes, tx_total = await place(make, line, address=in_tx)

    assert (ca_taxes, ca_total) == ([Decimal("2.10")], Decimal("31.10"))  # 29 x 7.25 % = 2.1025
    assert (tx_taxes, tx_total) == ([Decimal("1.45")], Decimal("30.45"))  # 29 x 5 %


async def test_an_order_that_carries_tax_keeps_its_own(make: Factory) -> None:
    await stocked(make)
    await define_rates(make)

    taxes, total = await place(
        make,
        LineInput("SKU-1", 1, Decimal("10.00"), tax=Decimal("0.10")),
        LineInput("SKU-2", 1, Decimal("10.00")),
    )

    assert taxes == [Decimal("0.10"), Decimal(0)]
    assert total == Decimal("20.10")


async def test_an_address_no_rate_covers_and_an_account_without_rates_are_untaxed(
    make: Factory,
) -> None:
    await stocked(make)
    line = LineInput("SKU-1", 2, Decimal("10.00"))

    without_rates = await place(make, line)
    await define_rates(make)
    abroad = await place(make, line, address=replace(US, country_code="CA", region="ON"))

    assert without_rates == ([Decimal(0)], Decimal("20.00"))
    assert abroad == ([Decimal(0)], Decimal("20.00"))


async def test_the_minor_unit_of_the_currency_is_the_rounding_unit(make: Factory) -> None:
    await stocked(make)
    await define_rates(make)

    taxes, total = await place(make, LineInput("SKU-1", 1, Decimal(1234)), currency="JPY")

    assert (taxes, total) == ([Decimal(117)], Decimal(1351))  # 1234 x 9.5 % = 117.23


async def test_only_an_account_with_rates_pays_one_more_statement(
    make: Factory, engines: Engines
) -> None:
    await stocked(make)
    line = LineInput("SKU-1", 1, Decimal("10.00"))
    await placed(make, line)  # warm the caches of the statements built once

    with counted(engines.write) as untaxed:
        await placed(make, line)
    await define_rates(make)
    with counted(engines.write) as taxed:
        await placed(make, line)
    with counted(engines.write) as carrying:
        await placed(make, replace(line, tax=Decimal("1.00")))

    assert len(taxed) == len(untaxed) + 1
    assert len(carrying) == len(untaxed)
