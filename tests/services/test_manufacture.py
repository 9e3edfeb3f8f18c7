import pytest

from orderyard.domain.catalog import KitComponent
from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError, NotFoundError
from orderyard.domain.inventory import MovementReason
from orderyard.domain.manufacture import InsufficientComponentsError, ManufactureStatus
from orderyard.domain.order import OrderStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import manufacture as manufacture_service
from orderyard.services.manufacture import CreateManufactureOrder
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level, load_order


async def _kit(make: Factory, *, a: int = 10, b: int = 10) -> None:
    """KIT = 2 x PART-A + 1 x PART-B, with stock of both parts at DC-1."""
    await make.location("DC-1")
    await make.item("PART-A")
    await make.item("PART-B")
    await make.kit("KIT", ("PART-A", 2), ("PART-B", 1))
    await make.stock("DC-1", "PART-A", a)
    await make.stock("DC-1", "PART-B", b)


async def _planned(make: Factory, quantity: int) -> int:
    command = CreateManufactureOrder("KIT", quantity, "DC-1")
    return (await manufacture_service.create_manufacture_order(make.uow(), command)).id


async def _count(read_uow: ReadUnitOfWork) -> int:
    return (await manufacture_service.list_manufacture_orders(read_uow, PageRequest())).total


class TestCreate:
    async def test_plans_a_build_without_moving_stock(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await _kit(make)

        order = await manufacture_service.create_manufacture_order(
            uow, CreateManufactureOrder("KIT", 3, "DC-1")
        )

        view = await manufacture_service.get_manufacture_order(read_uow, order.id)
        assert (view.sku, view.quantity, view.location_code, view.status) == (
            "KIT",
            3,
            "DC-1",
            ManufactureStatus.pending,
        )
        assert [(c.sku, c.quantity, c.total_quantity) for c in view.components] == [
            ("PART-A", 2, 6),
            ("PART-B", 1, 3),
        ]
        assert await level(make, "DC-1", "PART-A") == (10, 0)

    @pytest.mark.parametrize(
        ("_case", "command", "field", "message"),
        [
            (
                "unknown sku",
                CreateManufactureOrder("NOPE", 1, "DC-1"),
                "sku",
                "unknown SKU 'NOPE'",
            ),
            (
                "not a kit",
                CreateManufactureOrder("PART-A", 1, "DC-1"),
                "sku",
                "not a kit: 'PART-A'",
            ),
            (
                "unregistered location",
                CreateManufactureOrder("KIT", 1, "DC-9"),
                "location",
                "location 'DC-9' is not registered",
            ),
            (
                "zero kits",
                CreateManufactureOrder("KIT", 0, "DC-1"),
                "quantity",
                "quantity must be a positive integer",
            ),
        ],
    )
    async def test_refuses_what_cannot_be_built(
        self,
        make: Factory,
        uow: UnitOfWork,
        read_uow: ReadUnitOfWork,
        _case: str,
        command: CreateManufactureOrder,
        field: str,
        message: str,
    ) -> None:
        await _kit(make)

        with pytest.raises(InvalidRequestError) as caught:
            await manufacture_service.create_manufacture_order(uow, command)

        assert (caught.value.field, caught.value.message) == (field, message)
        assert await _count(read_uow) == 0

    async def test_a_kit_without_components_cannot_be_built(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.kit("EMPTY")

        with pytest.raises(InvalidRequestError) as caught:
            await manufacture_service.create_manufacture_order(
                uow, CreateManufactureOrder("EMPTY", 1, "DC-1")
            )

        assert caught.value.message == "the SKU is not a kit with components"


class TestComplete:
    async def test_consumes_components_and_produces_kits(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _kit(make)
        order_id = await _planned(make, 3)

        done = await manufacture_service.complete_manufacture_order(uow, order_id)

        assert done.status is ManufactureStatus.completed
        assert done.completed_at is not None
        assert await level(make, "DC-1", "PART-A") == (4, 0)
        assert await level(make, "DC-1", "PART-B") == (7, 0)
        assert await level(make, "DC-1", "KIT") == (3, 0)
        built = [m for m in await ledger(make) if m.reason is MovementReason.manufactured]
        assert sorted((m.on_hand_delta, m.allocated_delta, m.reference) for m in built) == [
            (-6, 0, f"manufacture:{order_id}"),
            (-3, 0, f"manufacture:{order_id}"),
            (3, 0, f"manufacture:{order_id}"),
        ]
        await assert_ledger_balances(make)

    async def test_a_short_component_refuses_the_whole_build(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await _kit(make, b=2)
        order_id = await _planned(make, 3)

        with pytest.raises(InsufficientComponentsError) as caught:
            await manufacture_service.complete_manufacture_order(uow, order_id)

        assert caught.value.message == "not enough PART-B to build: 3 needed, 2 available"
        assert await level(make, "DC-1", "PART-A") == (10, 0)
        assert await level(make, "DC-1", "PART-B") == (2, 0)
        assert await level(make, "DC-1", "KIT") == (0, 0)
        view = await manufacture_service.get_manufacture_order(read_uow, order_id)
        assert view.status is ManufactureStatus.pending
        await assert_ledger_balances(make)

    async def test_units_promised_to_orders_are_not_consumed(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _kit(make)
        placed = await make.order(("PART-A", 8))
        order_id = await _planned(make, 2)

        with pytest.raises(InsufficientComponentsError) as caught:
            await manufacture_service.complete_manufacture_order(uow, order_id)

        assert caught.value.message == "not enough PART-A to build: 4 needed, 2 available"
        assert await level(make, "DC-1", "PART-A") == (10, 8)
        assert (await load_order(make, placed.order_id)).status is OrderStatus.allocated

    async def test_built_kits_go_to_orders_waiting_for_the_kit_item(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _kit(make)
        await make.kit("GIFT")
        waiting = await make.order(("GIFT", 2))
        async with make.uow() as setup:
            ids = await setup.catalog.item_ids(["GIFT", "PART-A"])
            await setup.catalog.set_components(
                ids["GIFT"], [KitComponent(ids["PART-A"], "PART-A", 1)]
            )
            await setup.commit()
        command = CreateManufactureOrder("GIFT", 2, "DC-1")
        order_id = (await manufacture_service.create_manufacture_order(make.uow(), command)).id

        await manufacture_service.complete_manufacture_order(uow, order_id)

        assert waiting.status is OrderStatus.backordered
        assert (await load_order(make, waiting.order_id)).status is OrderStatus.allocated
        assert await level(make, "DC-1", "GIFT") == (2, 2)
        await assert_ledger_balances(make)

    async def test_a_completed_build_cannot_run_again(self, make: Factory, uow: UnitOfWork) -> None:
        await _kit(make)
        order_id = await _planned(make, 1)
        await manufacture_service.complete_manufacture_order(make.uow(), order_id)

        with pytest.raises(InvalidStateTransitionError):
            await manufacture_service.complete_manufacture_order(uow, order_id)

        assert await level(make, "DC-1", "KIT") == (1, 0)
        assert await level(make, "DC-1", "PART-A") == (8, 0)

    async def test_a_cancelled_build_cannot_complete(self, make: Factory, uow: UnitOfWork) -> None:
        await _kit(make)
        order_id = await _planned(make, 1)
        cancelled = await manufacture_service.cancel_manufacture_order(make.uow(), order_id)

        with pytest.raises(InvalidStateTransitionError):
            await manufacture_service.complete_manufacture_order(uow, order_id)

        assert cancelled.status is ManufactureStatus.cancelled
        assert await level(make, "DC-1", "PART-A") == (10, 0)

    async def test_another_accounts_order_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        await _kit(make)
        order_id = await _planned(make, 1)
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        foreign = AccountId(other.account_id)

        with pytest.raises(NotFoundError):
            await manufacture_service.complete_manufacture_order(
                UnitOfWork(engines.write, foreign), order_id
            )
        with pytest.raises(NotFoundError):
            await manufacture_service.get_manufacture_order(
                ReadUnitOfWork(engines.read, foreign), order_id
            )

        assert await level(make, "DC-1", "PART-A") == (10, 0)
