"""The Pre-order API and pre-order inventory visibility: waves, release schedules, releases.

Paths, parameters and their names as the seed writes them; bodies and answers are
Orderyard's choice where the seed is silent (docs/dialects/orderdynamics.md, "Pre-orders").
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import preorder as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.preorder import (
    PreorderInventoryOut,
    ReleaseDatesOut,
    ReleaseItemIn,
    ReleaseOut,
    ReleasePreordersIn,
    ReleaseScheduleIn,
    ReleaseScheduleOut,
    ReleaseSchedulePatchIn,
    WaveIn,
    WaveOut,
    WavePatchIn,
)
from orderyard.dialects.orderdynamics.wire import UtcDateTime
from orderyard.domain.preorder import FallbackMode
from orderyard.domain.values import ID_MAX
from orderyard.services.preorder import lines as line_service
from orderyard.services.preorder import release as release_service
from orderyard.services.preorder import schedules as schedule_service
from orderyard.services.preorder import waves as wave_service
from orderyard.services.preorder.release import ReleaseSelection
from orderyard.services.preorder.waves import WaveFilter

WAVES = "/preorder/waves/v1/"
SCHEDULES = "/preorder/releaseschedules/v1/"
SEQUENCES = "/preorder/sequences/"

router = APIRouter(tags=["pre-orders"])
WaveId = Annotated[int, Path(alias="waveId", ge=1, le=ID_MAX)]
ScheduleId = Annotated[int, Path(alias="releaseScheduleId", ge=1, le=ID_MAX)]
Text = Annotated[str | None, Query(max_length=100)]
SkuQuery = Annotated[str, Query(alias="sku", max_length=100, description="The SKU (seed: Sku).")]


@router.post(WAVES, status_code=201, responses=documented(), name="Create a Wave")
async def create_wave(body: WaveIn, uow: UowDep) -> WaveOut:
    """Plan a wave: a quantity of an item at a location, released on a date."""
    return mappers.wave_out(await wave_service.create_wave(uow, mappers.new_wave(body)))


@router.get(WAVES + "{waveId}", responses=documented(404), name="Get a Wave")
async def get_wave(wave_id: WaveId, uow: ReadUowDep) -> WaveOut:
    """One wave with its planned, sequenced, released and still available quantities."""
    return mappers.wave_out(await wave_service.get_wave(uow, wave_id))


@router.get(WAVES, responses=documented(), name="Get Waves")
async def get_waves(
    uow: ReadUowDep,
    page: PageDep,
    external_id: Annotated[Text, Query(alias="externalId")] = None,
    item_id: Annotated[Text, Query(alias="itemId", description="The item's Sku.")] = None,
    location: Annotated[
        Text, Query(alias="inventoryLocationId", description="The location's InternalName.")
    ] = None,
) -> Paged[WaveOut]:
    """A page of waves, oldest first, narrowed by external id, item and location."""
    where = WaveFilter(external_id=external_id, sku=item_id, location_code=location)
    found = await wave_service.list_waves(uow, where, page)
    return paged(found, [mappers.wave_out(view) for view in found.items])


@router.put(WAVES + "{waveId}", responses=documented(404), name="Update a Wave")
async def update_wave(wave_id: WaveId, body: WavePatchIn, uow: UowDep) -> WaveOut:
    """Change a wave's planned quantity, release date or external id; lines stay in place."""
    view = await wave_service.update_wave(uow, wave_id, mappers.wave_patch(body))
    return mappers.wave_out(view)


@router.delete(
    WAVES + "{waveId}", status_code=204, responses=documented(404, 409), name="Delete a Wave"
)
async def delete_wave(wave_id: WaveId, uow: UowDep) -> Response:
    """Delete a wave: its lines move to the item's other open waves, or wait as backorders."""
    await wave_service.delete_wave(uow, wave_id)
    return Response(status_code=204)


@router.post(
    SCHEDULES, status_code=201, responses=documented(409), name="Create a Release Schedule"
)
async def create_schedule(body: ReleaseScheduleIn, uow: UowDep) -> ReleaseScheduleOut:
    """Say when (and from where) a country's pre-orders of an item are released."""
    view = await schedule_service.create_schedule(uow, mappers.new_schedule(body))
    return mappers.schedule_out(view)


@router.get(
    SCHEDULES + "{releaseScheduleId}", responses=documented(404), name="Get a Release Schedule"
)
async def get_schedule(schedule_id: ScheduleId, uow: ReadUowDep) -> ReleaseScheduleOut:
    """One release schedule."""
    return mappers.schedule_out(await schedule_service.get_schedule(uow, schedule_id))


@router.get(SCHEDULES, responses=documented(), name="Get Release Schedules")
async def get_schedules(
    uow: ReadUowDep,
    page: PageDep,
    item_id: Annotated[Text, Query(alias="itemId", description="The item's Sku.")] = None,
    country_id: Annotated[
        str | None, Query(alias="countryId", max_length=2, description="Two letters.")
    ] = None,
) -> Paged[ReleaseScheduleOut]:
    """A page of release schedules, oldest first, by item and country."""
    found = await schedule_service.list_schedules(uow, sku=item_id, country=country_id, page=page)
    return paged(found, [mappers.schedule_out(view) for view in found.items])


@router.put(
    SCHEDULES + "{releaseScheduleId}", responses=documented(404), name="Update a Release Schedule"
)
async def update_schedule(
    schedule_id: ScheduleId,
    body: ReleaseSchedulePatchIn,
    uow: UowDep,
    recalculate: Annotated[
        bool, Query(description="Move the country's waiting lines to the schedule's location.")
    ] = False,
) -> ReleaseScheduleOut:
    """Change a schedule's date or location; with recalculate, re-sequence its lines."""
    view = await schedule_service.update_schedule(
        uow, schedule_id, mappers.schedule_patch(body), recalculate=recalculate
    )
    return mappers.schedule_out(view)


@router.delete(
    SCHEDULES, status_code=204, responses=documented(404), name="Delete a Release Schedule"
)
async def delete_schedule(
    uow: UowDep,
    schedule_id: Annotated[int, Query(alias="releaseScheduleId", ge=1, le=ID_MAX)],
    fallback: Annotated[
        FallbackMode,
        Query(alias="fallbackMode", description="Keep (default) or Backorder the lines."),
    ] = FallbackMode.keep,
) -> Response:
    """Delete a schedule; its country's lines follow the fallback mode."""
    await schedule_service.delete_schedule(uow, schedule_id, fallback)
    return Response(status_code=204)


@router.post(
    SEQUENCES + "releaseiteminpreorders/v1/",
    responses=documented(),
    name="Release an Item in Pre-Orders",
)
async def release_item(body: ReleaseItemIn, uow: UowDep) -> ReleaseOut:
    """Allocate an item's sequenced lines now, in sequence order, as far as stock allows."""
    selection = ReleaseSelection(sku=body.item_id, location_code=body.inventory_location_id)
    return mappers.release_out(await release_service.release_preorders(uow, selection))


@router.post(
    SEQUENCES + "releaseiteminpreordersbypassinventoryrequirement/v1/",
    responses=documented(),
    name="Release an Item in Pre-Orders, Bypass Inventory Requirement",
)
async def release_item_bypassing(body: ReleaseItemIn, uow: UowDep) -> ReleaseOut:
    """Allocate all of an item's sequenced lines now, whether or not the stock is on hand."""
    selection = ReleaseSelection(sku=body.item_id, location_code=body.inventory_location_id)
    outcome = await release_service.release_preorders(uow, selection, bypass=True)
    return mappers.release_out(outcome)


@router.post(SEQUENCES + "releasepreorders/v1/", responses=documented(), name="Release Pre-Orders")
async def release(body: ReleasePreordersIn, uow: UowDep) -> ReleaseOut:
    """Allocate the given waves' lines, or every line whose release date has come."""
    selection = ReleaseSelection(wave_ids=body.wave_ids)
    return mappers.release_out(await release_service.release_preorders(uow, selection))


@router.post(
    SEQUENCES + "releasepreordersbypassinventoryrequirement/v1/",
    responses=documented(),
    name="Release Pre-Orders, Bypass Inventory Requirement",
)
async def release_bypassing(body: ReleasePreordersIn, uow: UowDep) -> ReleaseOut:
    """As Release Pre-Orders, whether or not the stock is on hand."""
    selection = ReleaseSelection(wave_ids=body.wave_ids)
    outcome = await release_service.release_preorders(uow, selection, bypass=True)
    return mappers.release_out(outcome)


@router.put(
    SEQUENCES + "updatedeliverydateoverride/v1/",
    status_code=204,
    responses=documented(404),
    name="Update Delivery Override Date",
)
async def update_delivery_override(
    uow: UowDep,
    order_detail_id: Annotated[int, Query(alias="orderDetailId", ge=1, le=ID_MAX)],
    deliver_at: Annotated[
        UtcDateTime | None,
        Query(alias="deliveryDateOverride", description="Absent: clear the override."),
    ] = None,
) -> Response:
    """Set (or clear) the delivery date promised for one pre-ordered order detail."""
    await line_service.set_delivery_override(uow, order_detail_id, deliver_at)
    return Response(status_code=204)


@router.get(
    "/preorder/releasedates/v1/{orderDetailId}",
    responses=documented(404),
    name="Get Release Dates by OrderDetailId",
)
async def release_dates(
    order_detail_id: Annotated[int, Path(alias="orderDetailId", ge=1, le=ID_MAX)],
    uow: ReadUowDep,
) -> ReleaseDatesOut:
    """When a pre-ordered order detail is (or was) released, and the dates behind it."""
    return mappers.release_dates_out(await line_service.release_dates(uow, order_detail_id))


@router.get(
    "/v1/preorderinventory/", responses=documented(404), name="Get Pre-Order Inventory by SKU"
)
async def preorder_inventory(uow: ReadUowDep, sku: SkuQuery = "") -> PreorderInventoryOut:
    """Per wave and location: planned, sequenced, released and still available quantities."""
    views = await line_service.preorder_inventory(uow, sku)
    return mappers.inventory_out(sku, views)


ROUTERS = (router,)
