"""One pre-ordered line: its release dates, its delivery date override; an item's waves."""

from datetime import datetime

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.preorder import check_future
from orderyard.kit.clock import utcnow
from orderyard.store.queries.catalog import ItemKey
from orderyard.store.queries.preorder import ReleaseDates, WaveView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["ReleaseDates", "WaveView"]


def _not_preordered(order_line_id: int) -> NotFoundError:
    return NotFoundError(
        f"order detail {order_line_id} not found among pre-ordered lines", field="order_detail"
    )


async def release_dates(uow: ReadUnitOfWork, order_line_id: int) -> ReleaseDates:
    """The wave, schedule and override dates of a line that was sequenced.

    Raises:
        NotFoundError: no such line in the account, or one never sequenced.
    """
    async with uow:
        found = await uow.preorders.release_dates(order_line_id)
    if found is None:
        raise _not_preordered(order_line_id)
    return found


async def set_delivery_override(
    uow: UnitOfWork, order_line_id: int, deliver_at: datetime | None
) -> None:
    """Set (or, with None, clear) the delivery date promised for a pre-ordered line.

    Raises:
        NotFoundError: no such line in the account, or one never sequenced.
        InvalidRequestError: a date already past.
    """
    if deliver_at is not None:
        check_future(deliver_at, utcnow(), field="delivery_date_override")
    async with uow:
        place = await uow.preorders.line_of_detail(order_line_id)
        if place is None:
            raise _not_preordered(order_line_id)
        place.delivery_override_at = deliver_at
        await uow.preorders.save_lines([place])
        await uow.events.record(
            "preorder_delivery_override_set",
            "order",
            place.order_id,
            {"order_detail_id": order_line_id, "deliver_at": deliver_at},
        )
        await uow.commit()


async def preorder_inventory(uow: ReadUnitOfWork, sku: str) -> list[WaveView]:
    """The item's waves, earliest release first: planned, sequenced, released, room.

    Raises:
        InvalidRequestError: the SKU is blank.
        NotFoundError: no item of that SKU in the account.
    """
    if not sku:
        raise InvalidRequestError("Sku is required", field="sku")
    async with uow:
        if await uow.catalog.item(sku, key=ItemKey.sku) is None:
            raise NotFoundError(f"item {sku!r} not found", field="sku")
        return await uow.preorders.waves_of_sku(sku)
