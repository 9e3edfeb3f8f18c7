"""Site pricing: a SKU's list price and sale on each sales channel.

One price per (SKU, channel), replaced whole by each write. The channel is a registered sales
channel of the account. Setting or removing a price stamps the item changed, so that a client
following changed SKUs sees it.
"""

from dataclasses import dataclass

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.pricing import PriceTerms, SitePrice, check_terms
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.catalog import ItemKey
from orderyard.store.queries.products import PriceSort
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = [
    "PriceQuery",
    "PriceSort",
    "SetSitePrice",
    "delete_site_prices",
    "set_site_price",
    "site_prices",
]


@dataclass(frozen=True, slots=True)
class SetSitePrice:
    """Create or replace the price of ``sku`` on ``channel``."""

    sku: str
    channel: str
    terms: PriceTerms


@dataclass(frozen=True, slots=True)
class PriceQuery:
    """Which of a SKU's prices a read returns, and in what order."""

    sku: str
    channel: str | None = None
    sort: PriceSort = PriceSort.channel
    ascending: bool = True


async def set_site_price(uow: UnitOfWork, command: SetSitePrice) -> SitePrice:
    """Create or replace one site price.

    Raises:
        InvalidRequestError: bad terms (currency, a sale window ending before it starts), or
            a channel that is not registered.
        NotFoundError: no item has the SKU in this account.
    """
    terms = check_terms(command.terms)
    async with uow:
        item = await uow.catalog.find_item(command.sku)
        if item is None:
            raise NotFoundError(f"SKU {command.sku!r} not found", field="sku")
        channel_id = await _channel_id(uow, command.channel)
        await uow.products.set_price(item.id, channel_id, terms)
        await uow.products.touch_item(item.id)
        await uow.events.record("item_price_set", "item", item.id, {"channel": command.channel})
        await uow.commit()
    return SitePrice(item.id, item.sku, command.channel, terms, utcnow())


async def site_prices(uow: ReadUnitOfWork, query: PriceQuery, page: PageRequest) -> Page[SitePrice]:
    """A page of the SKU's prices, on one channel or on all.

    Raises:
        NotFoundError: no item has the SKU in this account.
        InvalidRequestError: the channel is not registered.
    """
    async with uow:
        view = await uow.catalog.item(query.sku, key=ItemKey.sku)
        if view is None:
            raise NotFoundError(f"SKU {query.sku!r} not found", field="sku")
        channel_id = None
        if query.channel is not None:
            channel_id = await uow.products.channel_id(query.channel)
            if channel_id is None:
                raise _unregistered(query.channel)
        return await uow.products.prices_page(
            view.item, page, channel_id=channel_id, sort=query.sort, ascending=query.ascending
        )


async def delete_site_prices(uow: UnitOfWork, sku: str, channel: str | None) -> int:
    """Delete the SKU's price on the channel, or on every channel; how many went.

    Raises:
        NotFoundError: no item has the SKU, or it has no price there.
        InvalidRequestError: the channel is not registered.
    """
    async with uow:
        item = await uow.catalog.find_item(sku)
        if item is None:
            raise NotFoundError(f"SKU {sku!r} not found", field="sku")
        channel_id = None if channel is None else await _channel_id(uow, channel)
        removed = await uow.products.remove_prices(item.id, channel_id)
        if not removed:
            where = "any channel" if channel is None else f"channel {channel!r}"
            raise NotFoundError(f"SKU {sku!r} has no price on {where}", field="channel")
        await uow.products.touch_item(item.id)
        await uow.events.record(
            "item_price_deleted", "item", item.id, {"channel": channel, "removed": removed}
        )
        await uow.commit()
    return removed


async def _channel_id(uow: UnitOfWork, channel: str) -> int:
    channel_id = await uow.channels.id_of(channel)
    if channel_id is None:
        raise _unregistered(channel)
    return channel_id


def _unregistered(channel: str) -> InvalidRequestError:
    return InvalidRequestError(f"channel {channel!r} is not registered", field="channel")
