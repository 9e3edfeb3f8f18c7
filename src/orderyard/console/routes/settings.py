"""Settings: locations, the allocation strategy, shipping methods and channels.

Every change is one call of the service the APIs use (``services.location``,
``services.strategy``), which records its event with the staff member as the actor. Changing
the account's settings is an admin's (``domain.staff``): operators and read-only members see
the settings without forms, and a change they send is refused (403) before anything is read.
A refused change answers the page with the reason in plain words, and changes nothing.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Final

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.forms import text, whole_number
from orderyard.console.session import Change, ChangeDep, Signed, SignedDep
from orderyard.console.web import redirect, render, status_of
from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.event_log import staff_actor
from orderyard.domain.location import LocationPatch, NewLocation
from orderyard.domain.staff import Role, require_admin
from orderyard.domain.values import COUNT_MAX, PageRequest
from orderyard.http.deps import UnitOfWork, read_uow, write_uow
from orderyard.services import location as location_service
from orderyard.services import strategy as strategy_service
from orderyard.services.location import Registry

router = APIRouter()
PAGE = "/settings"
NAMES_SHOWN: Final = PageRequest(1, 500)
CODE_MAX: Final = 64
NAME_MAX: Final = 200
DEFAULT_PRIORITY: Final = 100
REGISTRIES: Final = {
    "shipping-methods": (Registry.shipping_methods, "Shipping method"),
    "channels": (Registry.channels, "Channel"),
}
DONE: Final = {
    "location_added": "The location is added.",
    "location_changed": "The location is changed.",
    "strategy": "The allocation strategy is changed.",
    "shipping-methods": "The shipping method is added.",
    "channels": "The channel is added.",
}
Setting = Callable[[UnitOfWork], Awaitable[object]]


def _tenant(request: Request, signed: Signed) -> UnitOfWork:
    session = signed.session
    return write_uow(request, session.account_id, actor=staff_actor(session.staff_id))


async def _page(
    request: Request, signed: Signed, *, error: str = "", status_code: int = 200
) -> Response:
    """The settings as they stand, with a change's outcome."""
    account = signed.session.account_id
    strategy = await strategy_service.current_strategy(_tenant(request, signed))
    context = {
        "locations": await location_service.list_locations(read_uow(request, account)),
        "kinds": list(LocationKind),
        "strategy": strategy.strategy,
        "strategies": strategy_service.all_strategies(),
        "registries": {
            path: (
                label,
                await location_service.list_names(_tenant(request, signed), registry, NAMES_SHOWN),
            )
            for path, (registry, label) in REGISTRIES.items()
        },
        "may_change": signed.session.role is Role.ADMIN,
        "error": error,
        "done": "" if error else DONE.get(request.query_params.get("done", ""), ""),
    }
    return render(request, "settings.html", context, signed=signed, status_code=status_code)


@router.get(PAGE)
async def settings(request: Request, signed: SignedDep) -> Response:
    """Locations, the allocation strategy, shipping methods and channels."""
    return await _page(request, signed)


async def _change(request: Request, change: Change, setting: Setting, done: str) -> Response:
    """Make one change of the settings as the signed-in admin, then show the settings."""
    try:
        require_admin(change.session.role, "change the account's settings")
        await setting(_tenant(request, change.signed))
    except DomainError as error:
        return await _page(
            request, change.signed, error=error.message, status_code=status_of(error)
        )
    return redirect(request, f"{PAGE}?done={done}")


def _required(form: Mapping[str, object], name: str, *, label: str, limit: int) -> str:
    """A field the change cannot do without.

    Raises:
        InvalidRequestError: it is empty, too long or unstorable.
    """
    value = text(form, name, label=label, limit=limit)
    if not value:
        raise InvalidRequestError(f"{label} is required", field=name)
    return value


def _priority(form: Mapping[str, object]) -> int | None:
    """The priority given (lower first), or None."""
    return whole_number(form, "priority", label="Priority", low=0, high=COUNT_MAX)


@router.post(f"{PAGE}/locations")
async def add_location(request: Request, change: ChangeDep) -> Response:
    """Add a location: its code (never reused), name, kind and priority."""
    form = change.form

    async def added(uow: UnitOfWork) -> None:
        priority = _priority(form)
        kind = text(form, "kind", label="Kind") or LocationKind.warehouse.value
        if kind not in LocationKind.__members__:
            raise InvalidRequestError(f"unknown kind {kind!r}", field="kind")
        command = NewLocation(
            code=_required(form, "code", label="Code", limit=CODE_MAX),
            name=_required(form, "name", label="Name", limit=NAME_MAX),
            kind=LocationKind(kind),
            priority=DEFAULT_PRIORITY if priority is None else priority,
        )
        await location_service.create_location(uow, command)

    return await _change(request, change, added, "location_added")


@router.post(f"{PAGE}/locations/change")
async def change_location(request: Request, change: ChangeDep) -> Response:
    """Rename a location or change its priority (its code names it and never changes)."""
    form = change.form

    async def changed(uow: UnitOfWork) -> None:
        code = _required(form, "code", label="Code", limit=CODE_MAX)
        patch = LocationPatch(
            name=_required(form, "name", label="Name", limit=NAME_MAX), priority=_priority(form)
        )
        await location_service.update_location(uow, code, patch)

    return await _change(request, change, changed, "location_changed")


@router.post(f"{PAGE}/strategy")
async def switch_strategy(request: Request, change: ChangeDep) -> Response:
    """Allocate with another strategy from now on."""
    chosen = text(change.form, "strategy", label="Strategy")

    async def switched(uow: UnitOfWork) -> None:
        if chosen not in AllocationStrategy.__members__:
            raise InvalidRequestError(f"unknown allocation strategy {chosen!r}", field="strategy")
        await strategy_service.switch_strategy(uow, AllocationStrategy(chosen))

    return await _change(request, change, switched, "strategy")


@router.post(PAGE + "/{registry}")
async def register_name(request: Request, change: ChangeDep, registry: str) -> Response:
    """Add a shipping method or a channel (its exact name, as orders name it)."""
    if registry not in REGISTRIES:
        raise NotFoundError(f"no setting {registry!r}", field="registry")
    which, label = REGISTRIES[registry]
    form = change.form

    async def registered(uow: UnitOfWork) -> None:
        name = _required(form, "name", label=label, limit=NAME_MAX)
        await location_service.register_name(uow, which, name)

    return await _change(request, change, registered, registry)
