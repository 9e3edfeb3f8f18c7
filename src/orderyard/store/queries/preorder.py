"""Pre-order reads: waves and schedules by what a client names them, a line's release dates."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, select

from orderyard.domain.preorder import Schedule, SequencedLine, Wave
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.preorder import line_of, schedule_of, wave_of
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import (
    items,
    locations,
    order_lines,
    orders,
    preorder_lines,
    preorder_release_schedules,
    preorder_waves,
)

_W = preorder_waves.c
_S = preorder_release_schedules.c
_L = preorder_lines.c


@dataclass(frozen=True, slots=True)
class WaveView:
    """A wave with its item's SKU and its location's internal name."""

    wave: Wave
    sku: str
    location_code: str


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A release schedule with its item's SKU and its location's name (if it has one)."""

    schedule: Schedule
    sku: str
    location_code: str | None


@dataclass(frozen=True, slots=True)
class WaveFilter:
    """What a list of waves may be narrowed by (all given must match)."""

    external_id: str | None = None
    sku: str | None = None
    location_code: str | None = None


@dataclass(frozen=True, slots=True)
class ReleaseDates:
    """When one order line's pre-ordered units are released, and why then."""

    order_line_id: int
    order_id: int
    sku: str
    line: SequencedLine
    wave: WaveView
    scheduled_at: datetime | None

    @property
    def release_at(self) -> datetime:
        """The schedule's date for the line's country, else its wave's."""
        return self.scheduled_at or self.wave.wave.release_at


class PreorderQueries(TenantScoped):
    """Reads of the account's pre-order waves and schedules."""

    def _waves(self) -> Select[Any]:
        return (
            select(preorder_waves, items.c.sku, locations.c.code.label("location_code"))
            .join(items, same_account(items, preorder_waves) & (items.c.id == _W.item_id))
            .join(
                locations,
                same_account(locations, preorder_waves) & (locations.c.id == _W.location_id),
            )
            .where(_W.account_id == self.account_id)
        )

    def _schedules(self) -> Select[Any]:
        return (
            select(preorder_release_schedules, items.c.sku, locations.c.code.label("location_code"))
            .join(
                items, same_account(items, preorder_release_schedules) & (items.c.id == _S.item_id)
            )
            .outerjoin(
                locations,
                same_account(locations, preorder_release_schedules)
                & (locations.c.id == _S.location_id),
            )
            .where(_S.account_id == self.account_id)
        )

    async def wave(self, wave_id: int) -> WaveView | None:
        """One wave, or None."""
        row = (await self.conn.execute(self._waves().where(_W.id == wave_id))).one_or_none()
        return None if row is None else _wave_view(row)

    async def waves_page(self, where: WaveFilter, page: PageRequest) -> Page[WaveView]:
        """A page of waves, oldest first."""
        statement = self._waves()
        if where.external_id is not None:
            statement = statement.where(_W.external_id == where.external_id)
        if where.sku is not None:
            statement = statement.where(items.c.sku == where.sku)
        if where.location_code is not None:
            statement = statement.where(locations.c.code == where.location_code)
        rows = await self.conn.execute(
            statement.order_by(_W.id).limit(page.per_page).offset(page.offset)
        )
        views = [_wave_view(row) for row in rows]
        total, exact = await bounded_count(self.conn, statement.with_only_columns(_W.id), page)
        return Page(views, total, page, count_is_exact=exact)

    async def waves_of_sku(self, sku: str) -> list[WaveView]:
        """Every wave of the SKU, earliest release first."""
        rows = await self.conn.execute(
            self._waves().where(items.c.sku == sku).order_by(_W.release_at, _W.id)
        )
        return [_wave_view(row) for row in rows]

    async def schedule(self, schedule_id: int) -> ScheduleView | None:
        """One schedule, or None."""
        row = (await self.conn.execute(self._schedules().where(_S.id == schedule_id))).one_or_none()
        return None if row is None else _schedule_view(row)

    async def schedules_page(
        self, *, sku: str | None, country: str | None, page: PageRequest
    ) -> Page[ScheduleView]:
        """A page of schedules, oldest first, by SKU and country if given."""
        statement = self._schedules()
        if sku is not None:
            statement = statement.where(items.c.sku == sku)
        if country is not None:
            statement = statement.where(_S.country == country)
        rows = await self.conn.execute(
            statement.order_by(_S.id).limit(page.per_page).offset(page.offset)
        )
        views = [_schedule_view(row) for row in rows]
        total, exact = await bounded_count(self.conn, statement.with_only_columns(_S.id), page)
        return Page(views, total, page, count_is_exact=exact)

    async def release_dates(self, order_line_id: int) -> ReleaseDates | None:
        """The place and dates of one order line in its wave, or None if it has none."""
        row = (
            await self.conn.execute(
                select(preorder_lines, order_lines.c.item_id)
                .join(
                    order_lines,
                    and_(
                        order_lines.c.account_id == _L.account_id,
                        order_lines.c.id == _L.order_line_id,
                    ),
                )
                .join(orders, same_account(orders, preorder_lines) & (orders.c.id == _L.order_id))
                .where(_L.account_id == self.account_id, _L.order_line_id == order_line_id)
            )
        ).one_or_none()
        if row is None:
            return None
        line = line_of(row)
        wave = await self.wave(line.wave_id)
        if wave is None:
            return None
        scheduled = (
            await self.conn.execute(
                select(_S.release_at).where(
                    _S.account_id == self.account_id,
                    _S.item_id == row.item_id,
                    _S.country == line.country.upper(),
                )
            )
        ).scalar_one_or_none()
        return ReleaseDates(order_line_id, line.order_id, wave.sku, line, wave, scheduled)


def _wave_view(row: Any) -> WaveView:
    return WaveView(wave_of(row), row.sku, row.location_code)


def _schedule_view(row: Any) -> ScheduleView:
    return ScheduleView(schedule_of(row), row.sku, row.location_code)
