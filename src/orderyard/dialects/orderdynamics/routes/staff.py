"""Staff API (get staff; Manage Token), Logging API (FlexibleEvents), Configuration API.

The seed names the paths; the parameters past its own, the bodies and the rules are
Orderyard's (docs/dialects/orderdynamics.md, "Staff and tokens", "Event log",
"Configuration"). Staff are created and disabled by ``orderyard staff``.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from orderyard.dialects.orderdynamics.auth import CallerDep, ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import staff as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.staff import (
    FlexibleEventOut,
    SettingOut,
    SettingsIn,
    StaffOut,
    TokenIn,
    TokenOut,
)
from orderyard.domain.event_log import EventFilter, staff_actor
from orderyard.domain.settings import SettingKey
from orderyard.domain.staff import EMAIL_MAX
from orderyard.domain.values import ID_MAX
from orderyard.http.deps import app_state
from orderyard.services import event_log
from orderyard.services import settings as settings_service
from orderyard.services import staff as service
from orderyard.services.staff import StaffRef

router = APIRouter(tags=["staff"])
logging_router = APIRouter(tags=["logging"])
configuration_router = APIRouter(tags=["configuration"])
StaffIdParam = Annotated[
    int | None, Query(alias="InternalStaffId", ge=1, le=ID_MAX, description="The member's id.")
]


@router.get("/v1/staff", responses=documented(404), name="Get staff by internal ID or email")
async def get_staff(
    read: ReadUowDep,
    page: PageDep,
    staff_id: StaffIdParam = None,
    email: Annotated[
        str | None, Query(alias="Email", max_length=EMAIL_MAX, description="Any case.")
    ] = None,
    sort: Annotated[
        str | None,
        Query(alias="SortByColumn", max_length=100, description="InternalStaffId or Email."),
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default true.")] = True,
) -> StaffOut | Paged[StaffOut]:
    """One staff member by `InternalStaffId` and/or `Email`, or a page of them."""
    column = mappers.staff_sort(sort)
    if staff_id is not None or email:
        return mappers.staff_out(await service.get_staff(read, StaffRef(staff_id, email or None)))
    found = await service.list_staff(read, page, sort=column, descending=not ascending)
    return paged(found, [mappers.staff_out(member) for member in found.items])


@router.post("/v1/staff/Token", responses=documented(403, 404, 409), name="Manage token")
async def manage_token(body: TokenIn, uow: UowDep, caller: CallerDep) -> TokenOut:
    """Issue a staff member's token (shown once) or revoke it."""
    ref = StaffRef(body.internal_staff_id, body.email)
    if body.action == "Revoke":
        member = await service.revoke_token(uow, ref, caller)
        return TokenOut(action="Revoke", token=None, staff=mappers.staff_out(member))
    issued = await service.issue_token(uow, ref, caller, password=body.password)
    return TokenOut(action="Issue", token=issued.token, staff=mappers.staff_out(issued.member))


@logging_router.get(
    "/v1/logging/FlexibleEvents",
    responses=documented(),
    name="Get flexible events by event initiator and owner ID",
)
async def get_flexible_events(
    read: ReadUowDep,
    page: PageDep,
    initiator_type: Annotated[
        str | None,
        Query(alias="EventInitiatorType", max_length=20, description="Key, Staff or System."),
    ] = None,
    owner_id: Annotated[
        int | None, Query(alias="OwnerId", ge=1, le=ID_MAX, description="The record's id.")
    ] = None,
    owner_name: Annotated[
        str | None,
        Query(alias="OwnerName", max_length=32, description="The record's kind (`order`)."),
    ] = None,
    initiator_id: Annotated[
        int | None,
        Query(alias="EventInitiatorId", ge=1, le=ID_MAX, description="One staff member's id."),
    ] = None,
) -> Paged[FlexibleEventOut]:
    """The event log, oldest first: by kind of initiator, staff member and record."""
    where = EventFilter(
        initiator=mappers.initiator(initiator_type),
        actor=None if initiator_id is None else staff_actor(initiator_id),
        record_id=owner_id,
        record_type=owner_name.strip().lower() if owner_name else None,
    )
    found = await event_log.list_events(read, where, page)
    return paged(found, [mappers.event_out(event) for event in found.items])


@configuration_router.get("/v1", responses=documented(), name="Get all parameter settings")
async def get_settings(
    request: Request,
    uow: UowDep,
    page: PageDep,
    keys: Annotated[
        str | None,
        Query(max_length=2000, description="Comma-separated setting keys; absent: all."),
    ] = None,
) -> Paged[SettingOut]:
    """The account's parameter settings, in a page."""
    found = await settings_service.list_settings(
        uow, page, keys=mappers.setting_keys(keys), server=_server_settings(request)
    )
    return paged(found, [mappers.setting_out(setting) for setting in found.items])


@configuration_router.put("/v1", responses=documented(403), name="Change parameter settings")
async def put_settings(body: SettingsIn, uow: UowDep, caller: CallerDep) -> list[SettingOut]:
    """Change settings together, all or none (an admin's or the key's; Orderyard's addition)."""
    changes = mappers.changes([(item.key, item.value) for item in body.settings])
    changed = await settings_service.change_settings(uow, changes, role=caller.role)
    return [mappers.setting_out(setting) for setting in changed]


def _server_settings(request: Request) -> dict[SettingKey, str]:
    return {SettingKey.MAX_PAGE_SIZE: str(app_state(request).max_per_page)}


ROUTERS = (router, logging_router, configuration_router)
