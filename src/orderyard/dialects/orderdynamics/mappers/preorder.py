"""Pre-orders: OrderDynamics bodies <-> the core's waves, schedules and releases."""

from orderyard.dialects.orderdynamics.schemas.preorder import (
    PreorderInventoryOut,
    PreorderWaveInventoryOut,
    ReleaseDatesOut,
    ReleasedWaveOut,
    ReleaseOut,
    ReleaseScheduleIn,
    ReleaseScheduleOut,
    ReleaseSchedulePatchIn,
    WaveIn,
    WaveOut,
    WavePatchIn,
)
from orderyard.domain.preorder import Wave
from orderyard.services.preorder.lines import ReleaseDates
from orderyard.services.preorder.release import ReleaseOutcome
from orderyard.services.preorder.schedules import NewSchedule, SchedulePatch, ScheduleView
from orderyard.services.preorder.waves import NewWave, WavePatch, WaveView

STATUS = {"open": "Open", "released": "Released"}
"""The wave status words answered."""


def new_wave(body: WaveIn) -> NewWave:
    """The core command for a wave body."""
    return NewWave(
        sku=body.item_id,
        location_code=body.inventory_location_id,
        planned=body.planned_quantity,
        release_at=body.release_date_time_utc,
        external_id=body.external_id,
    )


def wave_patch(body: WavePatchIn) -> WavePatch:
    """The core's changes for a wave's PUT body."""
    return WavePatch(body.planned_quantity, body.release_date_time_utc, body.external_id)


def wave_out(view: WaveView) -> WaveOut:
    """A wave as answered."""
    wave = view.wave
    assert wave.created_at is not None  # noqa: S101 - a stored wave has its times
    assert wave.updated_at is not None  # noqa: S101
    return WaveOut(
        wave_id=wave.id,
        external_id=wave.external_id,
        item_id=view.sku,
        inventory_location_id=view.location_code,
        planned_quantity=wave.planned,
        sequenced_quantity=wave.sequenced,
        released_quantity=wave.released,
        available_quantity=wave.room,
        status=STATUS[wave.status.value],
        release_date_time_utc=wave.release_at,
        created_date_time_utc=wave.created_at,
        last_updated_date_time_utc=wave.updated_at,
    )


def new_schedule(body: ReleaseScheduleIn) -> NewSchedule:
    """The core command for a schedule body."""
    return NewSchedule(
        sku=body.item_id,
        country=body.country_id,
        release_at=body.release_date_time_utc,
        location_code=body.inventory_location_id,
    )


def schedule_patch(body: ReleaseSchedulePatchIn) -> SchedulePatch:
    """The core's changes for a schedule's PUT body."""
    return SchedulePatch(body.release_date_time_utc, body.inventory_location_id)


def schedule_out(view: ScheduleView) -> ReleaseScheduleOut:
    """A schedule as answered."""
    schedule = view.schedule
    assert schedule.created_at is not None  # noqa: S101 - a stored schedule has its times
    assert schedule.updated_at is not None  # noqa: S101
    return ReleaseScheduleOut(
        release_schedule_id=schedule.id,
        item_id=view.sku,
        country_id=schedule.country,
        inventory_location_id=view.location_code,
        release_date_time_utc=schedule.release_at,
        created_date_time_utc=schedule.created_at,
        last_updated_date_time_utc=schedule.updated_at,
    )


def release_out(outcome: ReleaseOutcome) -> ReleaseOut:
    """What a release did, as answered."""
    return ReleaseOut(
        released_quantity=outcome.units,
        released_order_details=outcome.lines,
        waves=[
            ReleasedWaveOut(
                wave_id=w.wave.id,
                released_quantity=w.units,
                released_order_details=w.lines,
                sequenced_quantity=w.wave.sequenced,
                status=STATUS[w.wave.status.value],
            )
            for w in outcome.waves
        ],
    )


def release_dates_out(dates: ReleaseDates) -> ReleaseDatesOut:
    """A line's release dates as answered."""
    line = dates.line
    return ReleaseDatesOut(
        order_detail_id=dates.order_line_id,
        internal_order_id=dates.order_id,
        sku=dates.sku,
        wave_id=line.wave_id,
        sequence_number=line.position,
        sequenced_quantity=line.quantity,
        released_quantity=line.released,
        wave_release_date_time_utc=dates.wave.wave.release_at,
        scheduled_release_date_time_utc=dates.scheduled_at,
        release_date_time_utc=dates.release_at,
        delivery_date_override_utc=line.delivery_override_at,
    )


def inventory_out(sku: str, views: list[WaveView]) -> PreorderInventoryOut:
    """An item's pre-order quantities, in all and per wave."""
    waves = [_wave_inventory(view) for view in views]
    return PreorderInventoryOut(
        sku=sku,
        planned_quantity=sum(w.planned_quantity for w in waves),
        sequenced_quantity=sum(w.sequenced_quantity for w in waves),
        released_quantity=sum(w.released_quantity for w in waves),
        available_quantity=sum(w.available_quantity for w in waves),
        waves=waves,
    )


def _wave_inventory(view: WaveView) -> PreorderWaveInventoryOut:
    wave: Wave = view.wave
    return PreorderWaveInventoryOut(
        wave_id=wave.id,
        inventory_location_id=view.location_code,
        planned_quantity=wave.planned,
        sequenced_quantity=wave.sequenced,
        released_quantity=wave.released,
        available_quantity=wave.room,
        status=STATUS[wave.status.value],
        release_date_time_utc=wave.release_at,
    )
