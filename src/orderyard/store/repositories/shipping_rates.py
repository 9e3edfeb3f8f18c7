"""Shipping rates of the account, with their tiers, and what an order weighs.

A rate is one row with its shipping method's id; its tiers are rows of their own, in the
order of their lower bounds. Reads load a page (or the rates covering one destination) in
one statement and their tiers in a second. Every read is an index range led by the account.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from orderyard.domain.errors import DuplicateError
from orderyard.domain.shipping import ParcelLine, ShippingRate, ShippingRateSpec, Tier
from orderyard.domain.tax import Destination
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.scope import same_account
from orderyard.store.tables import (
    items,
    order_lines,
    shipping_methods,
    shipping_rate_tiers,
    shipping_rates,
)

rates = shipping_rates
tiers = shipping_rate_tiers


def _with_method(account_id: int) -> Select[Any]:
    """The account's rates, each with its method's name."""
    return (
        select(rates, shipping_methods.c.name.label("method"))
        .join(
            shipping_methods,
            (shipping_methods.c.account_id == rates.c.account_id)
            & (shipping_methods.c.id == rates.c.shipping_method_id),
        )
        .where(rates.c.account_id == account_id)
    )


def _values(spec: ShippingRateSpec, method_id: int) -> dict[str, Any]:
    return {
        "backend_name": spec.backend_name,
        "display_name": spec.display_name,
        "shipping_method_id": method_id,
        "country_code": spec.country_code,
        "region": spec.region,
        "currency": spec.currency,
    }


def _tier(row: Row[Any]) -> Tier:
    return Tier(
        price=row.price,
        min_weight=row.min_weight,
        max_weight=row.max_weight,
        min_subtotal=row.min_subtotal,
        max_subtotal=row.max_subtotal,
    )


class ShippingRateRepository(TenantRepository):
    """The account's shipping rates."""

    def _mine(self) -> Select[Any]:
        return _with_method(self.account_id)

    async def by_name(self, name: str, *, lock: bool = False) -> ShippingRate | None:
        """The rate of this backend name; ``lock``: for a change or a delete."""
        statement = self._mine().where(rates.c.backend_name == name)
        found = await self._rates(statement.with_for_update(of=rates) if lock else statement)
        return found[0] if found else None

    async def add(self, spec: ShippingRateSpec, method_id: int) -> int:
        """Store a new rate and its tiers; its id.

        Raises:
            DuplicateError: the account has a rate of that backend name.
        """
        now = utcnow()
        statement = (
            insert(rates)
            .values(
                **_values(spec, method_id),
                account_id=self.account_id,
                created_at=now,
                updated_at=now,
            )
            .returning(rates.c.id)
        )
        try:
            async with self.conn.begin_nested():
                rate_id = int((await self.conn.execute(statement)).scalar_one())
        except IntegrityError as error:
            if violates(error, rates.name, "account_id", "backend_name"):
                raise DuplicateError(
                    f"shipping rate {spec.backend_name!r} already exists", field="backend_name"
                ) from error
            raise
        await self._set_tiers(rate_id, spec.tiers)
        return rate_id

    async def save(self, rate_id: int, spec: ShippingRateSpec, method_id: int) -> None:
        """Replace a rate's definition and tiers (its backend name stays)."""
        await self.conn.execute(
            update(rates)
            .where(rates.c.account_id == self.account_id, rates.c.id == rate_id)
            .values(**_values(spec, method_id), updated_at=utcnow())
        )
        await self._set_tiers(rate_id, spec.tiers)

    async def _set_tiers(self, rate_id: int, new: Sequence[Tier]) -> None:
        await self.conn.execute(
            delete(tiers).where(tiers.c.account_id == self.account_id, tiers.c.rate_id == rate_id)
        )
        if new:
            await self.conn.execute(
                insert(tiers),
                [
                    {
                        "account_id": self.account_id,
                        "rate_id": rate_id,
                        "position": position,
                        "min_weight": tier.min_weight,
                        "max_weight": tier.max_weight,
                        "min_subtotal": tier.min_subtotal,
                        "max_subtotal": tier.max_subtotal,
                        "price": tier.price,
                    }
                    for position, tier in enumerate(new)
                ],
            )

    async def remove(self, rate_id: int) -> None:
        """Delete a rate and its tiers."""
        await self._set_tiers(rate_id, [])
        await self.conn.execute(
            delete(rates).where(rates.c.account_id == self.account_id, rates.c.id == rate_id)
        )

    async def page(self, page: PageRequest) -> Page[ShippingRate]:
        """A page of the account's rates by backend name (code-point order)."""
        name: Any = rates.c.backend_name
        if self.conn.dialect.name == "postgresql":
            name = name.collate("C")
        mine = self._mine()
        found = await self._rates(mine.order_by(name).limit(page.per_page).offset(page.offset))
        counted = select(rates).where(rates.c.account_id == self.account_id)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page(found, total, page, count_is_exact=exact)

    async def covering(self, where: Destination, currency: str) -> list[ShippingRate]:
        """The rates to ``where`` (its country, region-wide or its region) in ``currency``."""
        statement = self._mine().where(
            rates.c.country_code == where.country_code,
            rates.c.region.in_(["", where.region]),
            rates.c.currency == currency,
        )
        return await self._rates(statement.order_by(rates.c.id))

    async def _rates(self, statement: Select[Any]) -> list[ShippingRate]:
        """The rates ``statement`` selects (in its order), each with its tiers."""
        rows = (await self.conn.execute(statement)).all()
        if not rows:
            return []
        found = await self.conn.execute(
            select(tiers)
            .where(
                tiers.c.account_id == self.account_id,
                tiers.c.rate_id.in_([row.id for row in rows]),
            )
            .order_by(tiers.c.rate_id, tiers.c.position)
        )
        by_rate: dict[int, list[Tier]] = {}
        for tier in found:
            by_rate.setdefault(tier.rate_id, []).append(_tier(tier))
        return [_shipping_rate(row, by_rate.get(row.id, [])) for row in rows]

    async def parcel_lines(self, order_id: int) -> list[ParcelLine]:
        """An order's lines with each SKU's item weight, in line order."""
        found = await self.conn.execute(
            select(
                order_lines.c.quantity,
                order_lines.c.cancelled,
                order_lines.c.unit_price,
                order_lines.c.discount_amount,
                items.c.weight,
            )
            .join(items, same_account(items, order_lines) & (items.c.id == order_lines.c.item_id))
            .where(
                order_lines.c.account_id == self.account_id,
                order_lines.c.order_id == order_id,
            )
            .order_by(order_lines.c.line_no)
        )
        return [ParcelLine(*row) for row in found]


def _shipping_rate(row: Row[Any], rate_tiers: Sequence[Tier]) -> ShippingRate:
    spec = ShippingRateSpec(
        backend_name=row.backend_name,
        shipping_method=row.method,
        country_code=row.country_code,
        currency=row.currency,
        tiers=tuple(rate_tiers),
        region=row.region,
        display_name=row.display_name,
    )
    return ShippingRate(row.id, spec, row.created_at, row.updated_at)
