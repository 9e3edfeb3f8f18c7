"""Physical inventory visibility: figures per (SKU, location), totals, on-hand counts.

Every read answers a page of rows SKU by SKU, location by location (by internal name), one
row for every (SKU, location) asked for, zeros included. Unknown location names or SKUs are
a 400 naming them all; another account's locations are unknown here.
"""

from typing import Annotated, Final

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import inventory as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.inventory import (
    FigureWord,
    LevelOut,
    OnHandUpdatedOut,
    OnHandUpdateIn,
    OverallOut,
    ReservedReleaseIn,
    ReservedUpdatedOut,
    ReservedUpdateIn,
    TotalOut,
    TotalOverallOut,
)
from orderyard.dialects.orderdynamics.wire import LIST_MAX
from orderyard.services import inventory as inventory_service
from orderyard.services import reservations as reservation_service
from orderyard.services import visibility as visibility_service

router = APIRouter(tags=["inventory"])

LocationNames = Annotated[
    str,
    Query(
        alias="locationInternalNames",
        min_length=1,
        max_length=LIST_MAX,
        description="Comma-separated location internal names (required).",
    ),
]
Skus = Annotated[
    str | None,
    Query(
        alias="skus",
        max_length=LIST_MAX,
        description="Comma-separated SKUs (default: every SKU of the account).",
    ),
]
Figure = Annotated[
    FigureWord | None,
    Query(
        alias="type",
        description="One figure, in any case: OnHand, Allocated, Reserved, SafetyStock or"
        " Available. Rows then carry it as `Quantity` instead of all five.",
    ),
]
ON_HAND_REFERENCE: Final = "OrderDynamics PUT /v1/inventory/onhand"


def figure_route(word: FigureWord, path: str, summary: str) -> None:
    """``GET /v1/inventory/{figure}``: one figure per (SKU, location)."""

    async def read(
        uow: ReadUowDep, page: PageDep, locations: LocationNames, skus: Skus = None
    ) -> Paged[LevelOut]:
        found = await visibility_service.stock_at(
            uow, mappers.names(locations) or [], mappers.names(skus), page
        )
        return paged(found, [mappers.level_out(row, word) for row in found.items])

    router.add_api_route(
        path, read, methods=["GET"], summary=summary, name=summary, responses=documented()
    )


figure_route("allocated", "/v1/inventory/allocated", "Allocated units per SKU and location")
figure_route("available", "/v1/inventory/available", "Available units per SKU and location")
figure_route("onhand", "/v1/inventory/onhand", "On-hand units per SKU and location")
figure_route("reserved", "/v1/inventory/reserved", "Reserved units per SKU and location")


@router.get("/v1/inventory/overall", responses=documented())
async def overall(
    uow: ReadUowDep,
    page: PageDep,
    locations: LocationNames,
    skus: Skus = None,
    word: Figure = None,
) -> Paged[OverallOut] | Paged[LevelOut]:
    """Every figure per SKU and location, or the one ``type`` names."""
    found = await visibility_service.stock_at(
        uow, mappers.names(locations) or [], mappers.names(skus), page
    )
    if word is None:
        return paged(found, [mappers.overall_out(row) for row in found.items])
    return paged(found, [mappers.level_out(row, word) for row in found.items])


@router.get("/v1/inventory/totals", responses=documented())
async def totals(
    uow: ReadUowDep,
    page: PageDep,
    skus: Annotated[
        str,
        Query(
            alias="skus",
            min_length=1,
            max_length=LIST_MAX,
            description="Comma-separated SKUs (required).",
        ),
    ],
    word: Figure = None,
) -> Paged[TotalOverallOut] | Paged[TotalOut]:
    """Each SKU's figures summed over every location, or the one ``type`` names."""
    found = await visibility_service.stock_totals(uow, mappers.names(skus) or [], page)
    if word is None:
        return paged(found, [mappers.total_overall_out(row) for row in found.items])
    return paged(found, [mappers.total_out(row, word) for row in found.items])


@router.get("/v1/inventory/stores/available", responses=documented(404))
async def store_available(
    uow: ReadUowDep,
    page: PageDep,
    store: Annotated[
        str,
        Query(alias="storeInternalName", min_length=1, max_length=64, description="The store."),
    ],
    skus: Skus = None,
) -> Paged[LevelOut]:
    """Available units per SKU at one store location."""
    found = await visibility_service.store_stock(uow, store, mappers.names(skus), page)
    return paged(found, [mappers.level_out(row, "available") for row in found.items])


@router.put("/v1/inventory/onhand", responses=documented())
async def set_on_hand(body: OnHandUpdateIn, uow: UowDep) -> OnHandUpdatedOut:
    """Set counted on-hand quantities, all or nothing, and allocate waiting orders."""
    try:
        result = await inventory_service.set_on_hand(
            uow, mappers.on_hand_rows(body), reference=ON_HAND_REFERENCE
        )
    except inventory_service.CountRowError as bad:
        raise mappers.row_error(bad) from None
    return mappers.on_hand_updated(result)


@router.put("/v1/inventory/reserved", responses=documented(409))
async def set_reserved(body: ReservedUpdateIn, uow: UowDep) -> ReservedUpdatedOut:
    """Set reservations (units held aside at a level), all or nothing; 0 removes one."""
    try:
        result = await reservation_service.reserve(uow, mappers.reservation_rows(body))
    except (
        inventory_service.CountRowError,
        reservation_service.RowConflictError,
    ) as bad:
        raise mappers.row_error(bad) from None
    return mappers.reservations_updated(result)


@router.delete("/v1/inventory/reserved", responses=documented(404))
async def delete_reserved(body: ReservedReleaseIn, uow: UowDep) -> ReservedUpdatedOut:
    """Remove reservations, all or nothing, and give their units to waiting orders."""
    try:
        result = await reservation_service.release(uow, mappers.release_rows(body))
    except (
        inventory_service.CountRowError,
        reservation_service.RowNotFoundError,
    ) as bad:
        raise mappers.row_error(bad) from None
    return mappers.reservations_updated(result)


ROUTERS = (router,)
