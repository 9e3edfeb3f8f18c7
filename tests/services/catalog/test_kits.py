import pytest

from orderyard.domain.catalog import KitComponent
from orderyard.domain.errors import (
    ConflictError,
    DuplicateError,
    InvalidRequestError,
    NotFoundError,
)
from orderyard.domain.order import OrderStatus
from orderyard.domain.values import PageRequest
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services.catalog import CreateAlias, SetKit
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def components(read_uow: ReadUnitOfWork, sku: str) -> list[tuple[str, int]]:
    view = await catalog_service.get_kit(read_uow, sku)
    return [(c.sku, c.quantity) for c in view.components]


async def skus(read_uow: ReadUnitOfWork) -> list[str]:
    page = await catalog_service.list_items(read_uow, PageRequest(per_page=100), descending=False)
    return [view.item.sku for view in page.items]


class TestCreateKits:
    async def test_a_new_synset_becomes_a_kit_item_named_after_it(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")

        [outcome] = await catalog_service.create_kits(
            uow, [SetKit("BUNDLE-001", (("SKU-1", 1), ("SKU-2", 2)))]
        )

        assert outcome.error is None
        view = await catalog_service.get_kit(read_uow, "BUNDLE-001")
        assert (view.item.is_kit, view.item.details.description) == (True, "BUNDLE-001")
        assert await components(read_uow, "BUNDLE-001") == [("SKU-1", 1), ("SKU-2", 2)]

    async def test_an_existing_item_that_nothing_depends_on_becomes_the_kit(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        item_id = await make.item("GIFT-BOX")
        await make.item("SKU-1")

        [outcome] = await catalog_service.create_kits(uow, [SetKit("GIFT-BOX", (("SKU-1", 3),))])

        assert outcome.kit is not None
        assert (outcome.kit.id, outcome.kit.is_kit) == (item_id, True)
        view = await catalog_service.get_kit(read_uow, "GIFT-BOX")
        assert view.item.details.description == "Item GIFT-BOX"

    async def test_an_item_with_stock_or_orders_does_not_become_a_kit(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("GIFT-BOX")
        await make.item("SKU-1")
        await make.stock("DC-1", "GIFT-BOX", 1)
        await make.order(("GIFT-BOX", 1))

        [outcome] = await catalog_service.create_kits(uow, [SetKit("GIFT-BOX", (("SKU-1", 1),))])

        assert isinstance(outcome.error, ConflictError)
        assert outcome.error.message == (
            "item 'GIFT-BOX' cannot become a kit: it has stock and orders name it"
        )
        assert outcome.error.field == "kit"
        item = await catalog_service.get_item(read_uow, "GIFT-BOX")
        assert item.item.is_kit is False

    async def test_an_ordered_item_without_stock_does_not_become_a_kit(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await make.item("GIFT-BOX")
        await make.item("SKU-1")
        await make.order(("GIFT-BOX", 1))

        [outcome] = await catalog_service.create_kits(uow, [SetKit("GIFT-BOX", (("SKU-1", 1),))])

        assert isinstance(outcome.error, ConflictError)
        assert outcome.error.message.endswith(": orders name it")

    async def test_a_component_of_another_kit_does_not_become_a_kit(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        await catalog_service.create_kits(make.uow(), [SetKit("KIT-A", (("SKU-1", 1),))])

        [outcome] = await catalog_service.create_kits(uow, [SetKit("SKU-1", (("SKU-2", 1),))])

        assert isinstance(outcome.error, ConflictError)
        assert outcome.error.message.endswith(": it is a component of a kit")

    async def test_an_existing_synset_is_a_duplicate(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        await catalog_service.create_kits(make.uow(), [SetKit("KIT", (("SKU-1", 1),))])

        [outcome] = await catalog_service.create_kits(uow, [SetKit("KIT", (("SKU-2", 1),))])

        assert isinstance(outcome.error, DuplicateError)
        assert await components(read_uow, "KIT") == [("SKU-1", 1)]

    async def test_a_synset_named_like_an_alias_is_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await catalog_service.create_aliases(make.uow(), [CreateAlias("EXT", "SKU-1")])

        [outcome] = await catalog_service.create_kits(uow, [SetKit("EXT", (("SKU-1", 1),))])

        assert isinstance(outcome.error, DuplicateError)
        assert outcome.error.field == "kit"
        assert await skus(read_uow) == ["SKU-1"]

    @pytest.mark.parametrize(
        ("_case", "wanted", "field"),
        [
            ("unknown component", (("SKU-1", 1), ("NOPE", 1)), "components[1].sku"),
            ("nested synset", (("OTHER-KIT", 1),), "components[0].sku"),
            ("itself", (("NEW-KIT", 1),), "components[0].sku"),
        ],
    )
    async def test_bad_components_leave_no_kit_behind(
        self,
        make: Factory,
        uow: UnitOfWork,
        read_uow: ReadUnitOfWork,
        _case: str,
        wanted: tuple[tuple[str, int], ...],
        field: str,
    ) -> None:
        await make.item("SKU-1")
        await catalog_service.create_kits(make.uow(), [SetKit("OTHER-KIT", (("SKU-1", 1),))])

        [outcome] = await catalog_service.create_kits(uow, [SetKit("NEW-KIT", wanted)])

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == field
        assert await skus(read_uow) == ["SKU-1", "OTHER-KIT"]


class TestUpdateKits:
    async def test_replaces_the_components(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        await catalog_service.create_kits(make.uow(), [SetKit("KIT", (("SKU-1", 1),))])
        before = await catalog_service.get_kit(read_uow, "KIT")

        [outcome] = await catalog_service.update_kits(uow, [SetKit("KIT", (("SKU-2", 4),))])

        assert outcome.error is None
        after = await catalog_service.get_kit(read_uow, "KIT")
        assert [(c.sku, c.quantity) for c in after.components] == [("SKU-2", 4)]
        assert after.item.updated_at > before.item.updated_at

    @pytest.mark.parametrize(("_case", "sku"), [("unknown", "NOPE"), ("not a kit", "SKU-1")])
    async def test_only_an_existing_synset_can_be_updated(
        self, make: Factory, uow: UnitOfWork, _case: str, sku: str
    ) -> None:
        await make.item("SKU-1")

        [outcome] = await catalog_service.update_kits(uow, [SetKit(sku, (("SKU-1", 1),))])

        assert isinstance(outcome.error, NotFoundError)
        assert (outcome.error.field, outcome.error.message) == (
            "kit",
            f"kit {sku!r} not found",
        )

    async def test_bad_components_leave_the_kit_as_it_was(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await catalog_service.create_kits(make.uow(), [SetKit("KIT", (("SKU-1", 2),))])

        [outcome] = await catalog_service.update_kits(uow, [SetKit("KIT", (("NOPE", 1),))])

        assert isinstance(outcome.error, InvalidRequestError)
        assert await components(read_uow, "KIT") == [("SKU-1", 2)]


class TestReadKits:
    async def test_lists_synsets_oldest_first_with_their_components(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        a = await make.item("SKU-1")
        await catalog_service.create_kits(
            make.uow(), [SetKit("KIT-B", (("SKU-1", 1),)), SetKit("KIT-A", (("SKU-1", 2),))]
        )

        page = await catalog_service.list_kits(read_uow, PageRequest(per_page=1))

        assert (page.total, page.total_pages) == (2, 2)
        assert [(v.item.sku, v.components) for v in page.items] == [
            ("KIT-B", (KitComponent(a, "SKU-1", 1),))
        ]

    async def test_a_plain_item_or_a_foreign_synset_is_not_a_synset(
        self, make: Factory, engines: Engines, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        await catalog_service.create_kits(make.uow(), [SetKit("KIT", (("SKU-1", 1),))])
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError):
            await catalog_service.get_kit(read_uow, "SKU-1")
        with pytest.raises(NotFoundError):
            await catalog_service.get_kit(ReadUnitOfWork(engines.read, other.account_id), "KIT")


async def test_an_order_for_a_kit_allocates_its_components(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.item("SKU-2")
    await make.stock("DC-1", "SKU-1", 10)
    await make.stock("DC-1", "SKU-2", 10)
    await catalog_service.create_kits(
        make.uow(), [SetKit("BUNDLE-001", (("SKU-1", 1), ("SKU-2", 2)))]
    )

    outcome = await make.order(("BUNDLE-001", 3))

    assert outcome.status is OrderStatus.allocated
    async with make.uow() as uow:
        order = await uow.orders.load(outcome.order_id or 0)
        levels = await uow.stock.all_levels()
        ids = await uow.catalog.item_ids(["SKU-1", "SKU-2", "BUNDLE-001"])
    assert order is not None
    assert [(ln.sku, ln.kit_sku, ln.quantity, ln.allocated) for ln in order.lines] == [
        ("SKU-1", "BUNDLE-001", 3, 3),
        ("SKU-2", "BUNDLE-001", 6, 6),
    ]
    allocated = {item: lv.allocated for (_, item), lv in levels.items()}
    assert allocated == {ids["SKU-1"]: 3, ids["SKU-2"]: 6}
