"""Pre-order waves, their sequenced lines and release schedules (the write side).

Waves are locked in id order (``FOR UPDATE``) before anything else a pre-order use case
locks: stock levels, then orders. Placement, release, cancel and the wave and schedule
changes all serialize on the waves they touch, so a wave's counters and its lines' positions
change one transaction at a time.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy import bindparam as param

from orderyard.domain.preorder import Schedule, SequencedLine, Wave, WaveStatus
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import (
    OPEN_WAVE,
    items,
    locations,
    preorder_lines,
    preorder_release_schedules,
    preorder_waves,
)

_W = preorder_waves.c
_L = preorder_lines.c
_S = preorder_release_schedules.c

SAVE_SEQUENCED = (
    update(preorder_lines)
    .where(_L.account_id == param("at_account"), _L.id == param("at_line"))
    .values(
        wave_id=param("new_wave"),
        position=param("new_position"),
        quantity=param("new_quantity"),
        released=param("new_released"),
        delivery_override_at=param("new_override"),
    )
)


def wave_of(row: Any) -> Wave:
    """The wave a ``preorder_waves`` row holds."""
    m = row._mapping
    return Wave(
        id=m["id"],
        item_id=m["item_id"],
        location_id=m["location_id"],
        planned=m["planned"],
        release_at=m["release_at"],
        external_id=m["external_id"],
        sequenced=m["sequenced"],
        released=m["released"],
        next_position=m["next_position"],
        status=WaveStatus(m["status"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def line_of(row: Any) -> SequencedLine:
    """The sequenced line a ``preorder_lines`` row holds."""
    m = row._mapping
    return SequencedLine(
        id=m["id"],
        wave_id=m["wave_id"],
        order_id=m["order_id"],
        order_line_id=m["order_line_id"],
        position=m["position"],
        quantity=m["quantity"],
        released=m["released"],
        country=m["country"],
        delivery_override_at=m["delivery_override_at"],
    )


def schedule_of(row: Any) -> Schedule:
    """The release schedule a ``preorder_release_schedules`` row holds."""
    m = row._mapping
    return Schedule(
        id=m["id"],
        item_id=m["item_id"],
        country=m["country"],
        release_at=m["release_at"],
        location_id=m["location_id"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


class PreorderRepository(TenantRepository):
    """The account's waves, sequenced lines and release schedules."""

    def _waves(self) -> Select[Any]:
        return select(preorder_waves).where(_W.account_id == self.account_id)

    async def _locked_waves(self, statement: Select[Any]) -> list[Wave]:
        rows = await self.conn.execute(statement.order_by(_W.id).with_for_update())
        return [wave_of(row) for row in rows]

    async def codes(self, item_id: int, location_id: int | None) -> tuple[str, str | None]:
        """The SKU of an item and the internal name of a location (None for None)."""
        sku = (
            await self.conn.execute(
                select(items.c.sku).where(
                    items.c.account_id == self.account_id, items.c.id == item_id
                )
            )
        ).scalar_one()
        if location_id is None:
            return sku, None
        code = (
            await self.conn.execute(
                select(locations.c.code).where(
                    locations.c.account_id == self.account_id, locations.c.id == location_id
                )
            )
        ).scalar_one()
        return sku, code

    async def add_wave(self, wave: Wave, now: datetime) -> Wave:
        """Insert a new wave; set and return it with its id and times."""
        wave.created_at = wave.updated_at = now
        wave.id = (
            await self.conn.execute(
                insert(preorder_waves).returning(_W.id),
                {
                    "account_id": self.account_id,
                    "external_id": wave.external_id,
                    "item_id": wave.item_id,
                    "location_id": wave.location_id,
                    "planned": wave.planned,
                    "release_at": wave.release_at,
                    "status": wave.status.value,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        ).scalar_one()
        return wave

    async def waves(self, wave_ids: Iterable[int]) -> dict[int, Wave]:
        """Lock and return the waves of these ids (unknown ones are left out)."""
        found = await self._locked_waves(self._waves().where(_W.id.in_(set(wave_ids))))
        return {wave.id: wave for wave in found}

    async def open_waves(self, item_ids: Iterable[int]) -> list[Wave]:
        """Lock and return the open waves of these items."""
        return await self._locked_waves(
            self._waves().where(_W.item_id.in_(set(item_ids)), OPEN_WAVE)
        )

    async def waves_of_item(self, item_id: int, location_id: int | None) -> list[Wave]:
        """Lock and return every wave of the item (at one location, if given)."""
        statement = self._waves().where(_W.item_id == item_id)
        if location_id is not None:
            statement = statement.where(_W.location_id == location_id)
        return await self._locked_waves(statement)

    async def waiting_waves(self) -> list[Wave]:
        """Lock and return every wave with units still sequenced."""
        return await self._locked_waves(self._waves().where(_W.sequenced > 0))

    async def save_wave(self, wave: Wave, now: datetime) -> None:
        """Write back a wave's plan, counters and status."""
        wave.updated_at = now
        await self.conn.execute(
            update(preorder_waves)
            .where(_W.account_id == self.account_id, _W.id == wave.id)
            .values(
                external_id=wave.external_id,
                planned=wave.planned,
                sequenced=wave.sequenced,
                released=wave.released,
                next_position=wave.next_position,
                status=wave.status.value,
                release_at=wave.release_at,
                updated_at=now,
            )
        )

    async def delete_wave(self, wave_id: int) -> None:
        """Delete a wave and its (finished or moved) line records."""
        await self.conn.execute(
            delete(preorder_lines).where(_L.account_id == self.account_id, _L.wave_id == wave_id)
        )
        await self.conn.execute(
            delete(preorder_waves).where(_W.account_id == self.account_id, _W.id == wave_id)
        )

    async def add_lines(self, lines: Sequence[SequencedLine], now: datetime) -> None:
        """Insert lines' places; set their ids."""
        for line in lines:
            line.id = (
                await self.conn.execute(
                    insert(preorder_lines).returning(_L.id),
                    {
                        "account_id": self.account_id,
                        "wave_id": line.wave_id,
                        "order_id": line.order_id,
                        "order_line_id": line.order_line_id,
                        "position": line.position,
                        "quantity": line.quantity,
                        "country": line.country,
                        "created_at": now,
                    },
                )
            ).scalar_one()

    async def lines_in(self, wave_ids: Iterable[int]) -> list[SequencedLine]:
        """The lines still waiting in these waves, by wave and position."""
        rows = await self.conn.execute(
            select(preorder_lines)
            .where(
                _L.account_id == self.account_id,
                _L.wave_id.in_(set(wave_ids)),
                _L.quantity > 0,
            )
            .order_by(_L.wave_id, _L.position)
        )
        return [line_of(row) for row in rows]

    async def lines_of_orders(self, order_ids: Iterable[int]) -> list[SequencedLine]:
        """The places of these orders' lines (waiting or done)."""
        rows = await self.conn.execute(
            select(preorder_lines).where(
                _L.account_id == self.account_id, _L.order_id.in_(set(order_ids))
            )
        )
        return [line_of(row) for row in rows]

    async def forget_order(self, order_id: int) -> None:
        """Delete the places of an order's lines (before its lines are replaced)."""
        await self.conn.execute(
            delete(preorder_lines).where(_L.account_id == self.account_id, _L.order_id == order_id)
        )

    async def line_of_detail(self, order_line_id: int) -> SequencedLine | None:
        """The place of one order line, or None if it was never sequenced."""
        row = (
            await self.conn.execute(
                select(preorder_lines).where(
                    _L.account_id == self.account_id, _L.order_line_id == order_line_id
                )
            )
        ).one_or_none()
        return None if row is None else line_of(row)

    async def save_lines(self, lines: Sequence[SequencedLine]) -> None:
        """Write back lines' waves, positions, quantities and overrides."""
        if not lines:
            return
        await self.conn.execute(
            SAVE_SEQUENCED,
            [
                {
                    "at_account": self.account_id,
                    "at_line": line.id,
                    "new_wave": line.wave_id,
                    "new_position": line.position,
                    "new_quantity": line.quantity,
                    "new_released": line.released,
                    "new_override": line.delivery_override_at,
                }
                for line in lines
            ],
        )

    async def add_schedule(self, schedule: Schedule) -> int:
        """Insert a release schedule; return its id."""
        return int(
            (
                await self.conn.execute(
                    insert(preorder_release_schedules).returning(_S.id),
                    {
                        "account_id": self.account_id,
                        "item_id": schedule.item_id,
                        "country": schedule.country,
                        "location_id": schedule.location_id,
                        "release_at": schedule.release_at,
                        "created_at": schedule.created_at,
                        "updated_at": schedule.updated_at,
                    },
                )
            ).scalar_one()
        )

    async def schedule(self, schedule_id: int) -> Schedule | None:
        """Lock and return one schedule, or None."""
        row = (
            await self.conn.execute(
                select(preorder_release_schedules)
                .where(_S.account_id == self.account_id, _S.id == schedule_id)
                .with_for_update()
            )
        ).one_or_none()
        return None if row is None else schedule_of(row)

    async def schedules_of(self, item_ids: Iterable[int]) -> list[Schedule]:
        """Every schedule of these items."""
        rows = await self.conn.execute(
            select(preorder_release_schedules).where(
                _S.account_id == self.account_id, _S.item_id.in_(set(item_ids))
            )
        )
        return [schedule_of(row) for row in rows]

    async def save_schedule(self, schedule: Schedule) -> None:
        """Write back a schedule's date and location."""
        await self.conn.execute(
            update(preorder_release_schedules)
            .where(_S.account_id == self.account_id, _S.id == schedule.id)
            .values(
                release_at=schedule.release_at,
                location_id=schedule.location_id,
                updated_at=schedule.updated_at,
            )
        )

    async def delete_schedule(self, schedule_id: int) -> None:
        """Delete one schedule."""
        await self.conn.execute(
            delete(preorder_release_schedules).where(
                _S.account_id == self.account_id, _S.id == schedule_id
            )
        )
