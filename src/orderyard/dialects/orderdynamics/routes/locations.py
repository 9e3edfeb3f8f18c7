"""Inventory locations, store locations and shipping centers: one core record, three APIs.

Each API creates, gets (one by internal name, or a page), updates and deletes locations; the
store and shipping-center APIs see only their own kind and imply it on create. A ShipEdge
distribution center is the same record (its ``code`` is the ``InternalName``).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import location as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.location import (
    LocationIn,
    LocationOut,
    LocationPatchIn,
)
from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import InvalidRequestError
from orderyard.services import location as location_service


@dataclass(frozen=True, slots=True)
class LocationApi:
    """One of the three location APIs of the seed."""

    path: str
    name_param: str
    kind: LocationKind | None
    """The kind this API creates and sees; ``None``: every kind (inventory locations)."""
    tag: str
    misspelled_param: str | None = None
    """A second spelling of ``name_param`` the seed also uses (``shippingCenterInteralName``)."""

    @property
    def kinds(self) -> frozenset[LocationKind] | None:
        """The kinds the API sees."""
        return None if self.kind is None else frozenset({self.kind})


APIS = (
    LocationApi("/v1/inventorylocations", "locationInternalName", None, "inventory locations"),
    LocationApi("/v1/storelocations", "storeInternalName", LocationKind.store, "store locations"),
    LocationApi(
        "/v1/shippingcenters",
        "shippingCenterInternalName",
        LocationKind.shipping_center,
        "shipping centers",
        misspelled_param="shippingCenterInteralName",
    ),
)


def internal_name(api: LocationApi) -> Callable[..., Awaitable[str | None]]:
    """A dependency reading the API's internal-name parameter (either spelling)."""
    described = Query(alias=api.name_param, max_length=64, description="The InternalName.")
    misspelled = Query(
        alias=api.misspelled_param or f"{api.name_param}Unused",
        max_length=64,
        include_in_schema=api.misspelled_param is not None,
        description=f"The seed's other spelling of `{api.name_param}`.",
    )

    async def read(
        name: Annotated[str | None, described] = None,
        other: Annotated[str | None, misspelled] = None,
    ) -> str | None:
        return name or other

    return read


def required(name: str | None, api: LocationApi) -> str:
    """The internal name an update or a delete must carry."""
    if not name:
        raise InvalidRequestError(f"{api.name_param} is required", field=api.name_param)
    return name


def location_router(api: LocationApi) -> APIRouter:
    """The four routes of one location API."""
    router = APIRouter(tags=[api.tag])
    NameDep = Annotated[str | None, Depends(internal_name(api))]  # noqa: N806 - a type alias

    @router.post(api.path, status_code=201, responses=documented(409))
    async def create(body: LocationIn, uow: UowDep) -> LocationOut:
        """Create a location; its InternalName must be new in the account."""
        command = mappers.create_location(body, api.kind)
        return mappers.location_out(await location_service.create_location(uow, command))

    @router.get(api.path, responses=documented(404))
    async def get(
        uow: ReadUowDep, page: PageDep, name: NameDep
    ) -> LocationOut | Paged[LocationOut]:
        """One location by its InternalName, or a page of them (by priority, then name)."""
        if name:
            found = await location_service.get_location_by_code(uow, name, kinds=api.kinds)
            return mappers.location_out(found)
        locations = await location_service.list_locations_page(uow, page, kinds=api.kinds)
        return paged(locations, [mappers.location_out(loc) for loc in locations.items])

    @router.put(api.path, responses=documented(404, 409))
    async def update(body: LocationPatchIn, uow: UowDep, name: NameDep) -> LocationOut:
        """Change a location's given fields; absent or null fields stay."""
        changes = mappers.patch_location(body)
        code = required(name, api)
        updated = await location_service.update_location(uow, code, changes, kinds=api.kinds)
        return mappers.location_out(updated)

    @router.delete(api.path, status_code=204, responses=documented(404, 409))
    async def delete(uow: UowDep, name: NameDep) -> Response:
        """Delete a location that holds no stock and no open allocation."""
        await location_service.delete_location(uow, required(name, api), kinds=api.kinds)
        return Response(status_code=204)

    for route, verb in zip(router.routes, ("Create", "Get", "Update", "Delete"), strict=True):
        route.name = f"{verb} {api.tag}"  # type: ignore[attr-defined]
    return router


ROUTERS = tuple(location_router(api) for api in APIS)
