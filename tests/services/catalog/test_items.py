from decimal import Decimal

import pytest

from orderyard.domain.catalog import ItemDetails, PickStyle, UnitOfMeasure
from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.values import PageRequest
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services import location as location_service
from orderyard.services.catalog import CreateItem, ItemKey, ItemSort, UpdateItem
from orderyard.services.location import Registry
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory

DETAILS = ItemDetails(
    description="Blue mug",
    width=Decimal(10),
    length=Decimal(8),
    height=Decimal(12),
    weight=Decimal("0.45"),
    cost=Decimal("3.10"),
    retail=Decimal("12.99"),
)


async def register(make: Factory, registry: Registry, name: str) -> None:
    await location_service.register_name(make.uow(), registry, name)


async def skus(read_uow: ReadUnitOfWork) -> list[str]:
    page = await catalog_service.list_items(read_uow, PageRequest(per_page=100), descending=False)
    return [view.item.sku for view in page.items]


class TestCreateItems:
    async def test_stores_the_details_and_the_registered_names(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await register(make, Registry.suppliers, "Acme Supply")
        await register(make, Registry.package_types, "Box S")
        command = CreateItem(
            "MUG-1", DETAILS, supplier="Acme Supply", location="DC-1", package_type="Box S"
        )

        [outcome] = await catalog_service.create_items(uow, [command])

        assert outcome.error is None
        view = await catalog_service.get_item(read_uow, "MUG-1")
        assert (view.supplier, view.location_code, view.package_type) == (
            "Acme Supply",
            "DC-1",
            "Box S",
        )
        assert view.item.details.retail == Decimal("12.9900")
        assert view.item.details.weight == Decimal("0.4500")
        assert view.item.is_kit is False

    @pytest.mark.parametrize(
        ("_case", "command", "field", "message"),
        [
            (
                "unregistered supplier",
                CreateItem("NEW-1", DETAILS, supplier="Nobody"),
                "supplier",
                "supplier 'Nobody' is not registered",
            ),
            (
                "unregistered distribution center",
                CreateItem("NEW-1", DETAILS, location="DC-9"),
                "location",
                "location 'DC-9' is not registered",
            ),
            (
                "unregistered package type",
                CreateItem("NEW-1", DETAILS, package_type="Crate"),
                "package_type",
                "package type 'Crate' is not registered",
            ),
            (
                "duplicate SKU",
                CreateItem("OLD-1", DETAILS),
                "sku",
                "SKU 'OLD-1' already exists",
            ),
        ],
    )
    async def test_refuses_an_item_and_writes_nothing_of_it(
        self,
        make: Factory,
        uow: UnitOfWork,
        read_uow: ReadUnitOfWork,
        _case: str,
        command: CreateItem,
        field: str,
        message: str,
    ) -> None:
        await make.item("OLD-1")

        [outcome] = await catalog_service.create_items(uow, [command])

        assert outcome.error is not None
        assert (outcome.error.field, outcome.error.message) == (field, message)
        assert await skus(read_uow) == ["OLD-1"]

    async def test_bulk_keeps_valid_items_and_reports_failing_ones(
        self, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        commands = [
            CreateItem("A-1", DETAILS),
            CreateItem("A-1", DETAILS),
            CreateItem("B-1", DETAILS, supplier="Nobody"),
            CreateItem("C-1", DETAILS),
        ]

        outcomes = await catalog_service.create_items(uow, commands)

        assert [(o.index, o.error is None) for o in outcomes] == [
            (0, True),
            (1, False),
            (2, False),
            (3, True),
        ]
        assert isinstance(outcomes[1].error, DuplicateError)
        assert await skus(read_uow) == ["A-1", "C-1"]

    async def test_when_every_item_fails_nothing_is_committed(
        self, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        commands = [
            CreateItem("A-1", DETAILS, supplier="Nobody"),
            CreateItem("B-1", DETAILS, location="X"),
        ]

        outcomes = await catalog_service.create_items(uow, commands)

        assert [o.error is not None for o in outcomes] == [True, True]
        assert await skus(read_uow) == []

    async def test_a_sku_that_is_already_an_alias_is_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("INTERNAL-1")
        await catalog_service.create_aliases(
            make.uow(), [catalog_service.CreateAlias("EXT-1", "INTERNAL-1")]
        )

        [outcome] = await catalog_service.create_items(uow, [CreateItem("EXT-1", DETAILS)])

        assert isinstance(outcome.error, DuplicateError)
        assert outcome.error.message == (
            "SKU 'EXT-1' is already an alias of 'INTERNAL-1'; a SKU cannot shadow an alias"
        )
        assert await skus(read_uow) == ["INTERNAL-1"]


class TestUpdateItems:
    async def test_changes_only_the_given_fields_and_stamps_updated_at(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("MUG-1", retail="12.99")
        before = (await catalog_service.get_item(read_uow, "MUG-1")).item

        [outcome] = await catalog_service.update_items(
            uow,
            [UpdateItem("MUG-1", {"retail": Decimal("14.50"), "pick_style": PickStyle.FIFO})],
        )

        assert outcome.error is None
        after = (await catalog_service.get_item(read_uow, "MUG-1")).item
        assert after.details.retail == Decimal("14.5000")
        assert after.details.pick_style is PickStyle.FIFO
        assert after.details.description == before.details.description
        assert after.details.cost == before.details.cost
        assert after.updated_at > before.updated_at
        assert after.created_at == before.created_at

    async def test_names_are_set_by_name_and_cleared_by_an_empty_name(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await register(make, Registry.suppliers, "Acme Supply")
        await make.item("MUG-1")

        await catalog_service.update_items(
            make.uow(), [UpdateItem("MUG-1", supplier="Acme Supply", location="DC-1")]
        )
        set_view = await catalog_service.get_item(read_uow, "MUG-1")
        await catalog_service.update_items(make.uow(), [UpdateItem("MUG-1", supplier="")])
        cleared = await catalog_service.get_item(read_uow, "MUG-1")

        assert (set_view.supplier, set_view.location_code) == ("Acme Supply", "DC-1")
        assert (cleared.supplier, cleared.location_code) == ("", "DC-1")

    async def test_an_unknown_sku_is_not_found(self, uow: UnitOfWork) -> None:
        [outcome] = await catalog_service.update_items(uow, [UpdateItem("NOPE", {"cost": 1})])

        assert isinstance(outcome.error, NotFoundError)
        assert (outcome.error.field, outcome.error.message) == ("sku", "SKU 'NOPE' not found")

    async def test_a_failing_item_is_left_as_it_was_while_others_change(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("A-1", retail="5")
        await make.item("B-1", retail="5")

        outcomes = await catalog_service.update_items(
            uow,
            [
                UpdateItem("A-1", {"retail": Decimal(7)}),
                UpdateItem("B-1", {"retail": Decimal(9)}, supplier="Nobody"),
            ],
        )

        assert [o.error is None for o in outcomes] == [True, False]
        assert outcomes[1].error is not None
        assert outcomes[1].error.field == "supplier"
        a = await catalog_service.get_item(read_uow, "A-1")
        b = await catalog_service.get_item(read_uow, "B-1")
        assert (a.item.details.retail, b.item.details.retail) == (Decimal(7), Decimal(5))

    async def test_the_references_cannot_be_set_by_id(self, make: Factory, uow: UnitOfWork) -> None:
        await make.item("A-1")

        [outcome] = await catalog_service.update_items(uow, [UpdateItem("A-1", {"supplier_id": 1})])

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == "supplier_id"


class TestGetItem:
    async def test_finds_an_item_by_sku_or_by_id(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        item_id = await make.item("MUG-1")

        by_sku = await catalog_service.get_item(read_uow, "MUG-1")
        by_id = await catalog_service.get_item(read_uow, str(item_id))

        assert by_sku.item.id == by_id.item.id == item_id

    async def test_an_all_digit_identifier_is_a_sku_first_then_an_id(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        first = await make.item("FIRST")
        numeric = await make.item(str(first))

        default = await catalog_service.get_item(read_uow, str(first))
        as_id = await catalog_service.get_item(read_uow, str(first), key=ItemKey.id)

        assert default.item.id == numeric
        assert as_id.item.id == first

    async def test_reading_only_as_a_sku_does_not_fall_back_to_ids(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        item_id = await make.item("MUG-1")

        with pytest.raises(NotFoundError):
            await catalog_service.get_item(read_uow, str(item_id), key=ItemKey.sku)

    async def test_another_accounts_item_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("MUG-1")
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        foreign = ReadUnitOfWork(engines.read, other.account_id)

        with pytest.raises(NotFoundError):
            await catalog_service.get_item(foreign, "MUG-1")
        with pytest.raises(NotFoundError):
            await catalog_service.get_item(
                ReadUnitOfWork(engines.read, other.account_id), str(item_id)
            )

    async def test_units_of_measure_follow_the_case_quantity(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("MUG-1")
        await catalog_service.update_items(
            make.uow(), [UpdateItem("MUG-1", {"case_qty": 6, "weight": Decimal("0.5")})]
        )

        _, units = await catalog_service.item_units(read_uow, "MUG-1")

        assert [(u.name, u.quantity, u.weight) for u in units] == [
            ("EACH", 1, Decimal("0.5000")),
            ("CASE", 6, Decimal("3.0000")),
        ]
        assert units[1] == UnitOfMeasure("CASE", 6, None, None, None, Decimal("3.0000"))


class TestListItems:
    async def test_pages_newest_first_by_default(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        for sku in ("C", "A", "B"):
            await make.item(sku)

        first = await catalog_service.list_items(read_uow, PageRequest(page=1, per_page=2))
        second = await catalog_service.list_items(read_uow, PageRequest(page=2, per_page=2))

        assert [v.item.sku for v in first.items] == ["B", "A"]
        assert [v.item.sku for v in second.items] == ["C"]
        assert (first.total, first.total_pages, first.count_is_exact) == (3, 2, True)

    @pytest.mark.parametrize(
        ("_case", "sort", "descending", "expected"),
        [
            ("sku ascending", ItemSort.sku, False, ["A", "B", "C"]),
            ("sku descending", ItemSort.sku, True, ["C", "B", "A"]),
            ("created ascending", ItemSort.created_at, False, ["C", "A", "B"]),
            ("updated descending", ItemSort.updated_at, True, ["C", "B", "A"]),
        ],
    )
    async def test_sorts_by_the_indexed_fields(
        self,
        make: Factory,
        read_uow: ReadUnitOfWork,
        _case: str,
        sort: ItemSort,
        descending: bool,
        expected: list[str],
    ) -> None:
        for sku in ("C", "A", "B"):
            await make.item(sku)
        await catalog_service.update_items(make.uow(), [UpdateItem("C", {"cost": Decimal(2)})])

        page = await catalog_service.list_items(
            read_uow, PageRequest(), sort=sort, descending=descending
        )

        assert [v.item.sku for v in page.items] == expected

    async def test_lists_only_the_accounts_own_items(
        self, make: Factory, engines: Engines, read_uow: ReadUnitOfWork
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        await Factory(engines, other.account_id).item("THEIRS")
        await make.item("OURS")

        page = await catalog_service.list_items(read_uow, PageRequest())

        assert ([v.item.sku for v in page.items], page.total) == (["OURS"], 1)
