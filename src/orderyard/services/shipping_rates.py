"""Shipping rates: defining, reading and deleting them, and quoting an order.

The rule of tiers and quotes is ``domain/shipping.py``. A rate names a shipping method of the
account's registry (as an order does), so a quote names methods an order can be sent with.
"""

from dataclasses import dataclass

from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.shipping import (
    Parcel,
    Quote,
    ShippingRate,
    ShippingRateSpec,
    Tier,
    check_spec,
    parcel_of,
    quotes,
)
from orderyard.domain.tax import Destination
from orderyard.domain.values import Page, PageRequest
from orderyard.services.order.commands import OrderRef
from orderyard.store.queries.order_views import OrderView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["OrderQuotes", "Quote", "ShippingRate", "ShippingRateSpec", "Tier"]


def _missing(name: str) -> NotFoundError:
    return NotFoundError(f"shipping rate {name!r} not found", field="shipping_rate")


async def set_shipping_rate(uow: UnitOfWork, spec: ShippingRateSpec) -> tuple[ShippingRate, bool]:
    """Create or replace the rate of the spec's backend name; it and whether it was created.

    A concurrent create of the same name makes this call replace it instead.

    Raises:
        InvalidRequestError: a field is wrong (``domain.shipping.check_spec``), or the
            shipping method is not registered.
    """
    checked = check_spec(spec)
    async with uow:
        method_id = await uow.shipping_methods.id_of(checked.shipping_method)
        if method_id is None:
            raise InvalidRequestError(
                f"shipping method {checked.shipping_method!r} is not registered",
                field="shipping_method",
            )
        target = await uow.shipping_rates.by_name(checked.backend_name, lock=True)
        if target is None:
            try:
                rate_id = await uow.shipping_rates.add(checked, method_id)
            except DuplicateError:
                target = await uow.shipping_rates.by_name(checked.backend_name, lock=True)
                if target is None:
                    raise
        if target is not None:
            rate_id = target.id
            await uow.shipping_rates.save(rate_id, checked, method_id)
        saved = await uow.shipping_rates.by_name(checked.backend_name)
        assert saved is not None  # noqa: S101 - written just above, in this transaction
        kind = "shipping_rate_created" if target is None else "shipping_rate_updated"
        await uow.events.record(
            kind, "shipping_rate", rate_id, {"backend_name": checked.backend_name}
        )
        await uow.commit()
    return saved, target is None


async def delete_shipping_rate(uow: UnitOfWork, backend_name: str) -> None:
    """Delete a rate and its tiers; its backend name may then be used again.

    Raises:
        NotFoundError: the account has no rate of that name.
    """
    async with uow:
        found = await uow.shipping_rates.by_name(backend_name, lock=True)
        if found is None:
            raise _missing(backend_name)
        await uow.shipping_rates.remove(found.id)
        await uow.events.record(
            "shipping_rate_deleted", "shipping_rate", found.id, {"backend_name": backend_name}
        )
        await uow.commit()


async def get_shipping_rate(uow: ReadUnitOfWork | UnitOfWork, backend_name: str) -> ShippingRate:
    """The rate of this backend name.

    Raises:
        NotFoundError: the account has none of that name.
    """
    async with uow:
        found = await uow.shipping_rates.by_name(backend_name)
    if found is None:
        raise _missing(backend_name)
    return found


async def list_shipping_rates(
    uow: ReadUnitOfWork | UnitOfWork, page: PageRequest
) -> Page[ShippingRate]:
    """A page of the account's rates by backend name."""
    async with uow:
        return await uow.shipping_rates.page(page)


@dataclass(frozen=True, slots=True)
class OrderQuotes:
    """An order, what it weighs and costs, and a page of its quotes (cheapest first)."""

    order: OrderView
    parcel: Parcel
    quotes: Page[Quote]


async def quote_order(uow: ReadUnitOfWork, ref: OrderRef, page: PageRequest) -> OrderQuotes:
    """The quotes of the account's rates for an order (``domain.shipping.quotes``).

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        order = await uow.orders.get(ref.field, ref.value)
        if order is None:
            raise NotFoundError(f"order {ref.value} not found", field="order")
        destination = Destination.of(order.address)
        parcel = parcel_of(
            await uow.shipping_rates.parcel_lines(order.id), destination, order.currency
        )
        covering = await uow.shipping_rates.covering(destination, parcel.currency)
    found = quotes(covering, parcel)
    shown = found[page.offset : page.offset + page.per_page]
    return OrderQuotes(order, parcel, Page(shown, len(found), page))
