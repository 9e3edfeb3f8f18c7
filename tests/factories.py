"""Typed factories: they build data through the services, so invariants hold."""

from datetime import UTC, datetime
from decimal import Decimal

from orderyard.domain.catalog import ItemDetails, KitComponent
from orderyard.domain.location import Location
from orderyard.domain.values import AccountId, Address
from orderyard.services import catalog as catalog_service
from orderyard.services import inventory as inventory_service
from orderyard.services import location as location_service
from orderyard.services import order as order_service
from orderyard.services import reservations as reservation_service
from orderyard.services import serial as serial_service
from orderyard.services import shipment as shipment_service
from orderyard.services.order import LineInput, OrderOutcome, PlaceOrder
from orderyard.store.engine import Engines
from orderyard.store.uow import UnitOfWork

ADDRESS = Address(
    first_name="John",
    last_name="Doe",
    line1="123 Main St",
    city="Los Angeles",
    region="CA",
    postal_code="90001",
    country_code="USA",
)


CLOCK_START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
"""Where the ``clock`` fixture stands until a test moves it."""


class Factory:
    """Makes records for one account."""

    def __init__(self, engines: Engines, account_id: int) -> None:
        self.engines = engines
        self.account_id = account_id
        self._orders = 0

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engines.write, AccountId(self.account_id), actor="test")

    async def location(self, code: str = "DC-1", *, priority: int = 1) -> Location:
        command = location_service.CreateLocation(
            code=code, name=f"Location {code}", priority=priority
        )
        return await location_service.create_location(self.uow(), command)

    async def item(self, sku: str = "SKU-1", *, retail: str = "10") -> int:
        details = ItemDetails(description=f"Item {sku}", retail=Decimal(retail), cost=Decimal(1))
        [outcome] = await catalog_service.create_items(
            self.uow(), [catalog_service.CreateItem(sku=sku, details=details)]
        )
        assert outcome.item is not None, outcome.error
        return outcome.item.id

    async def channel(self, name: str = "Web") -> int:
        """A registered sales channel."""
        async with self.uow() as uow:
            record = await uow.channels.add(name)
            await uow.commit()
        return record.id

    async def stock(self, location: str, sku: str, on_hand: int) -> None:
        rows = [inventory_service.OnHandRow(1, location, sku, on_hand)]
        await inventory_service.set_on_hand(self.uow(), rows)

    async def order(
        self,
        *lines: tuple[str, int],
        number: str | None = None,
        shipping_method: str | None = "Pick",
        **overrides: object,
    ) -> OrderOutcome:
        self._orders += 1
        command = PlaceOrder(
            order_number=number or f"ORD-{self._orders}",
            lines=tuple(LineInput(sku, qty, Decimal("9.99")) for sku, qty in lines),
            shipping_method=shipping_method,
            address=ADDRESS,
            **overrides,  # type: ignore[arg-type]
        )
        [outcome] = await order_service.place_orders(self.uow(), [command])
        return outcome

    async def serials(self, sku: str, *serials: str) -> list[int]:
        command = serial_service.CreateSerials(sku=sku, serials=serials)
        [outcome] = await serial_service.create_serials(self.uow(), [command])
        assert outcome.error is None, outcome.error
        return list(outcome.ids)

    async def kit(self, sku: str, *components: tuple[str, int]) -> int:
        """A kit item made of ``(component SKU, quantity)``; the components must exist."""
        async with self.uow() as uow:
            ids = await uow.catalog.item_ids(c for c, _ in components)
            kit = await uow.catalog.add_item(
                sku, ItemDetails(description=f"Kit {sku}"), is_kit=True
            )
            await uow.catalog.set_components(
                kit.id, [KitComponent(ids[c], c, quantity) for c, quantity in components]
            )
            await uow.commit()
        return kit.id

    async def ship(
        self, order_id: int, *lines: tuple[int, int], location_id: int | None = None
    ) -> int:
        """Ship ``(line_no, quantity)`` of an order (default: all it has allocated at one place)."""
        shipment = await shipment_service.create_shipment(
            self.uow(), order_id, location_id=location_id, lines=lines or None
        )
        await shipment_service.ship_shipment(self.uow(), shipment.id, tracking_number="1Z")
        return shipment.id

    async def priced_item(self, sku: str, *, cost: str, retail: str) -> int:
        """An item with its cost and retail price."""
        details = ItemDetails(description=f"Item {sku}", cost=Decimal(cost), retail=Decimal(retail))
        [outcome] = await catalog_service.create_items(
            self.uow(), [catalog_service.CreateItem(sku=sku, details=details)]
        )
        assert outcome.item is not None, outcome.error
        return outcome.item.id

    async def reserve(
        self,
        location: str,
        sku: str,
        quantity: int,
        *,
        reference: str = "",
        expires_at: datetime | None = None,
    ) -> None:
        """Hold ``quantity`` of a SKU aside at a location (until ``expires_at``, if given)."""
        row = reservation_service.ReservationRow(1, location, sku, quantity, reference, expires_at)
        await reservation_service.reserve(self.uow(), [row])

    async def catalog(self, location: str, count: int) -> list[tuple[str, str, int]]:
        """``count`` items ``S-0``... and a location: the rows of a bulk on-hand job over them.

        Each row sets its item's on-hand to a quantity of its own (``n + 1``).
        """
        await self.location(location)
        outcomes = await catalog_service.create_items(
            self.uow(), [catalog_service.CreateItem(sku=f"S-{n}") for n in range(count)]
        )
        assert all(outcome.item is not None for outcome in outcomes)
        return [(f"S-{n}", location, n + 1) for n in range(count)]
