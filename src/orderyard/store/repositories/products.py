"""OrderDynamics' catalog additions: products (styles), item categories and site prices.

Also what deleting an item needs: what still depends on it, and removing it with the rows
that only describe it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from orderyard.domain.attribute import OwnerType
from orderyard.domain.catalog import Product
from orderyard.domain.errors import DuplicateError
from orderyard.domain.order import OrderStatus
from orderyard.domain.pricing import PriceTerms
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository, upsert, violates
from orderyard.store.stock_figures import ACTIVE_RESERVED
from orderyard.store.tables import (
    aliases,
    attributes,
    inventory_movements,
    item_categories,
    item_locations,
    item_prices,
    items,
    kit_components,
    manufacture_orders,
    order_lines,
    orders,
    products,
    replenishment_lines,
    reservations,
    return_lines,
    serials,
    stock_levels,
)

CLOSED = (OrderStatus.shipped.value, OrderStatus.delivered.value, OrderStatus.cancelled.value)
"""Order statuses that no longer wait for anything."""


def product_from_row(row: Row[Any]) -> Product:
    """Build a Product from a row of ``products``."""
    m = row._mapping
    return Product(
        id=m["id"],
        backend_name=m["backend_name"],
        name=m["name"],
        description=m["description"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


@dataclass(frozen=True, slots=True)
class ItemTies:
    """What keeps an item from being deleted."""

    open_orders: bool
    stock: bool
    history: bool
    """Order lines of closed orders, ledger movements, returns, receipts, manufacture orders
    or serial numbers: records that go on naming the item."""
    component: bool


class ProductRepository(TenantRepository):
    """Products, item categories and site prices of the account."""

    def _product_duplicate(self, error: IntegrityError, backend_name: str, name: str) -> None:
        if violates(error, "products", "account_id", "backend_name"):
            raise DuplicateError(
                f"product {backend_name!r} already exists", field="product_backend_name"
            ) from error
        if violates(error, "products", "account_id", "name"):
            raise DuplicateError(
                f"a product is already named {name!r}", field="product_name"
            ) from error

    async def add(self, backend_name: str, name: str, description: str) -> Product:
        """Store a new product.

        Raises:
            DuplicateError: the backend name or the name is taken in the account.
        """
        now = utcnow()
        statement = insert(products).values(
            account_id=self.account_id,
            backend_name=backend_name,
            name=name,
            description=description,
            created_at=now,
            updated_at=now,
        )
        try:
            async with self.conn.begin_nested():
                row = (await self.conn.execute(statement.returning(products))).one()
        except IntegrityError as error:
            self._product_duplicate(error, backend_name, name)
            raise
        return product_from_row(row)

    async def find(
        self, *, backend_name: str | None = None, name: str | None = None
    ) -> Product | None:
        """The product with this backend name, or else with this name; None when neither."""
        match = (
            products.c.backend_name == backend_name
            if backend_name is not None
            else products.c.name == name
        )
        row = (
            await self.conn.execute(
                select(products).where(products.c.account_id == self.account_id, match)
            )
        ).one_or_none()
        return None if row is None else product_from_row(row)

    async def change(self, product: Product, *, name: str, description: str) -> Product:
        """Store a product's new name and description (never its backend name).

        Raises:
            DuplicateError: another product already has the name.
        """
        statement = (
            update(products)
            .where(products.c.account_id == self.account_id, products.c.id == product.id)
            .values(name=name, description=description, updated_at=utcnow())
            .returning(products)
        )
        try:
            async with self.conn.begin_nested():
                row = (await self.conn.execute(statement)).one()
        except IntegrityError as error:
            self._product_duplicate(error, product.backend_name, name)
            raise
        return product_from_row(row)

    async def item_count(self, product_id: int) -> int:
        """How many items the product groups."""
        counted = select(func.count()).where(
            items.c.account_id == self.account_id, items.c.product_id == product_id
        )
        return int((await self.conn.execute(counted)).scalar_one())

    async def remove(self, product_id: int) -> None:
        """Delete a product that groups no item."""
        await self.conn.execute(
            delete(products).where(
                products.c.account_id == self.account_id, products.c.id == product_id
            )
        )

    async def set_categories(self, item_id: int, categories: Sequence[str]) -> None:
        """Replace the item's categories with ``categories`` (distinct names)."""
        await self.conn.execute(
            delete(item_categories).where(
                item_categories.c.account_id == self.account_id,
                item_categories.c.item_id == item_id,
            )
        )
        if categories:
            now = utcnow()
            await self.conn.execute(
                insert(item_categories),
                [
                    {
                        "account_id": self.account_id,
                        "item_id": item_id,
                        "category": category,
                        "created_at": now,
                    }
                    for category in categories
                ],
            )

    async def touch_item(self, item_id: int) -> None:
        """Stamp the item changed now (its price or categories changed)."""
        await self.conn.execute(
            update(items)
            .where(items.c.account_id == self.account_id, items.c.id == item_id)
            .values(updated_at=utcnow())
        )

    async def set_price(self, item_id: int, channel_id: int, terms: PriceTerms) -> None:
        """Create or replace the item's price on the channel."""
        now = utcnow()
        values = {
            "list_price": terms.list_price,
            "sale_price": terms.sale_price,
            "sale_starts_at": terms.sale.starts_at,
            "sale_ends_at": terms.sale.ends_at,
            "currency": terms.currency,
            "updated_at": now,
        }
        statement = upsert(self.conn, item_prices).values(
            account_id=self.account_id,
            item_id=item_id,
            channel_id=channel_id,
            created_at=now,
            **values,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["account_id", "item_id", "channel_id"], set_=values
        )
        await self.conn.execute(statement)

    async def remove_prices(self, item_id: int, channel_id: int | None) -> int:
        """Delete the item's price on the channel, or on every channel; how many went."""
        where = [item_prices.c.account_id == self.account_id, item_prices.c.item_id == item_id]
        if channel_id is not None:
            where.append(item_prices.c.channel_id == channel_id)
        result = await self.conn.execute(delete(item_prices).where(*where))
        return int(result.rowcount)

    async def lock_item(self, item_id: int) -> None:
        """Lock the item's row until the transaction ends (PostgreSQL; SQLite has one writer).

        An order line being placed holds a key-share lock on its item until it commits, so a
        delete that locks first waits for it and then sees the line among the item's ties.
        """
        await self.conn.execute(
            select(items.c.id)
            .where(items.c.account_id == self.account_id, items.c.id == item_id)
            .with_for_update()
        )

    async def ties_of(self, item_id: int) -> ItemTies:
        """What still depends on the item; one statement."""
        mine = self.account_id

        def named_in(table: Any) -> Any:
            return exists().where(table.c.account_id == mine, table.c.item_id == item_id)

        open_orders = exists().where(
            order_lines.c.account_id == mine,
            order_lines.c.item_id == item_id,
            orders.c.account_id == mine,
            orders.c.id == order_lines.c.order_id,
            orders.c.status.not_in(CLOSED),
        )
        stocked = exists().where(
            stock_levels.c.account_id == mine,
            stock_levels.c.item_id == item_id,
            or_(stock_levels.c.on_hand > 0, stock_levels.c.allocated > 0, ACTIVE_RESERVED > 0),
        )
        history = or_(
            *(
                named_in(table)
                for table in (
                    order_lines,
                    inventory_movements,
                    return_lines,
                    replenishment_lines,
                    manufacture_orders,
                    serials,
                )
            )
        )
        component = exists().where(
            kit_components.c.account_id == mine, kit_components.c.component_item_id == item_id
        )
        row = (
            await self.conn.execute(
                select(open_orders, stocked, history, component), {"now": utcnow()}
            )
        ).one()
        return ItemTies(*(bool(value) for value in row))

    async def remove_item(self, item_id: int) -> None:
        """Delete an item that nothing depends on, with the rows that only describe it.

        Its categories, prices, aliases, kit definition, empty stock levels, lapsed
        reservations, item locations and every attribute of the item or its item locations go
        with it.
        """
        mine = self.account_id
        places = select(item_locations.c.id).where(
            item_locations.c.account_id == mine, item_locations.c.item_id == item_id
        )
        await self.conn.execute(
            delete(attributes).where(
                attributes.c.account_id == mine,
                or_(
                    (attributes.c.owner_type == OwnerType.item.value)
                    & (attributes.c.owner_id == item_id),
                    (attributes.c.owner_type == OwnerType.item_location.value)
                    & attributes.c.owner_id.in_(places.scalar_subquery()),
                ),
            )
        )
        for table in (item_locations, item_categories, item_prices, aliases, reservations):
            await self.conn.execute(
                delete(table).where(table.c.account_id == mine, table.c.item_id == item_id)
            )
        await self.conn.execute(
            delete(kit_components).where(
                kit_components.c.account_id == mine, kit_components.c.kit_item_id == item_id
            )
        )
        await self.conn.execute(
            delete(stock_levels).where(
                stock_levels.c.account_id == mine, stock_levels.c.item_id == item_id
            )
        )
        await self.conn.execute(
            delete(items).where(items.c.account_id == mine, items.c.id == item_id)
        )
