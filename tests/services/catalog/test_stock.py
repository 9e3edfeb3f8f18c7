"""The stock view, including kits, and the number of statements it costs."""

import pytest

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.inventory import StockFigures
from orderyard.domain.values import PageRequest
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services.catalog import SetKit, StockView
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork
from tests.factories import Factory
from tests.statements import counted


def by_code(view: StockView) -> dict[str, StockFigures]:
    return {row.code: row.figures for row in view.locations}


async def stocked(make: Factory) -> None:
    """Two DCs; SKU-1 at both, SKU-2 at DC-1 only, one order holding 2 of SKU-1 at DC-1."""
    await make.location("DC-1", priority=1)
    await make.location("DC-2", priority=2)
    await make.item("SKU-1")
    await make.item("SKU-2")
    await make.stock("DC-1", "SKU-1", 10)
    await make.stock("DC-2", "SKU-1", 4)
    await make.stock("DC-1", "SKU-2", 5)
    await make.order(("SKU-1", 2))


async def test_a_sku_shows_each_location_and_the_totals(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await stocked(make)

    page = await catalog_service.stock_levels(read_uow, PageRequest(), sku="SKU-1")

    [view] = page.items
    assert (view.sku, view.is_kit) == ("SKU-1", False)
    assert by_code(view) == {
        "DC-1": StockFigures(on_hand=10, allocated=2, available=8),
        "DC-2": StockFigures(on_hand=4, available=4),
    }
    assert view.total == StockFigures(on_hand=14, allocated=2, available=12)


async def test_a_kit_shows_what_its_components_allow(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await stocked(make)
    await catalog_service.create_kits(make.uow(), [SetKit("KIT", (("SKU-1", 2), ("SKU-2", 1)))])

    page = await catalog_service.stock_levels(read_uow, PageRequest(), sku="KIT")

    [view] = page.items
    assert view.is_kit is True
    assert by_code(view) == {
        "DC-1": StockFigures(on_hand=5, available=4),
        "DC-2": StockFigures(),
    }
    assert view.total == StockFigures(on_hand=5, available=5)


async def test_a_location_filter_shows_that_location_even_without_stock(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await stocked(make)

    page = await catalog_service.stock_levels(read_uow, PageRequest(), sku="SKU-2", location="DC-2")

    [view] = page.items
    assert by_code(view) == {"DC-2": StockFigures()}
    assert view.total == StockFigures()


async def test_without_a_sku_pages_through_every_sku_by_id(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await stocked(make)
    await make.item("SKU-3")

    first = await catalog_service.stock_levels(read_uow, PageRequest(per_page=2))
    second = await catalog_service.stock_levels(read_uow, PageRequest(page=2, per_page=2))

    assert [v.sku for v in first.items] == ["SKU-1", "SKU-2"]
    assert [(v.sku, v.locations, v.total) for v in second.items] == [("SKU-3", (), StockFigures())]
    assert (first.total, first.total_pages) == (3, 2)


async def test_a_location_filter_on_a_list_shows_every_sku_there(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await stocked(make)

    page = await catalog_service.stock_levels(read_uow, PageRequest(), location="DC-2")

    assert [(v.sku, by_code(v)) for v in page.items] == [
        ("SKU-1", {"DC-2": StockFigures(on_hand=4, available=4)}),
        ("SKU-2", {"DC-2": StockFigures()}),
    ]


@pytest.mark.parametrize(
    ("_case", "sku", "location", "error", "field"),
    [
        ("unknown SKU", "NOPE", None, NotFoundError, "sku"),
        ("unregistered location", None, "DC-9", InvalidRequestError, "location"),
        (
            "unregistered location and SKU",
            "SKU-1",
            "DC-9",
            InvalidRequestError,
            "location",
        ),
    ],
)
async def test_unknown_names_are_refused(
    make: Factory,
    read_uow: ReadUnitOfWork,
    _case: str,
    sku: str | None,
    location: str | None,
    error: type[Exception],
    field: str,
) -> None:
    await stocked(make)

    with pytest.raises(error) as raised:
        await catalog_service.stock_levels(read_uow, PageRequest(), sku=sku, location=location)

    assert getattr(raised.value, "field", None) == field


async def test_an_unregistered_location_is_refused_even_with_an_empty_catalog(
    read_uow: ReadUnitOfWork,
) -> None:
    with pytest.raises(InvalidRequestError):
        await catalog_service.stock_levels(read_uow, PageRequest(), location="DC-9")


async def test_another_accounts_sku_is_not_found(make: Factory, engines: Engines) -> None:
    await stocked(make)
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    with pytest.raises(NotFoundError):
        await catalog_service.stock_levels(
            ReadUnitOfWork(engines.read, other.account_id), PageRequest(), sku="SKU-1"
        )


@pytest.mark.parametrize(
    ("_case", "sku", "location", "expected"),
    [
        ("one SKU", "SKU-1", None, 1),
        ("one SKU at one location", "SKU-1", "DC-1", 1),
        ("a page", None, None, 2),
        ("a page at one location", None, "DC-1", 2),
    ],
)
async def test_reading_stock_costs_one_statement_plus_the_count_of_a_list(
    make: Factory,
    engines: Engines,
    read_uow: ReadUnitOfWork,
    _case: str,
    sku: str | None,
    location: str | None,
    expected: int,
) -> None:
    await stocked(make)
    await catalog_service.create_kits(make.uow(), [SetKit("KIT", (("SKU-1", 1), ("SKU-2", 1)))])

    with counted(engines.read) as statements:
        page = await catalog_service.stock_levels(
            read_uow, PageRequest(per_page=50), sku=sku, location=location
        )

    assert len(statements) == expected
    assert len(page.items) == (1 if sku else 3)
