"""Locations and the per-account registries of names (suppliers, shipping methods, ...)."""

from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import ConflictError, NotFoundError
from orderyard.domain.location import Location, LocationPatch, NamedRecord, NewLocation
from orderyard.domain.values import Address, Page, PageRequest
from orderyard.store.repositories.location import RegistryRepository
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


class Registry(StrEnum):
    """The per-account registries of names."""

    suppliers = "suppliers"
    package_types = "package_types"
    shipping_methods = "shipping_methods"
    channels = "channels"


CreateLocation = NewLocation
"""Register a location (the domain's ``NewLocation``)."""
COORDINATE_PLACES = Decimal("0.0001")
"""Coordinates are kept to four places (about 11 m), as the store holds them."""


async def create_location(uow: UnitOfWork, command: CreateLocation) -> Location:
    """Register a location in the account.

    Raises:
        DuplicateError: the code is already used, by a live or a deleted location.
    """
    async with uow:
        location = await uow.locations.add(
            replace(command, address=_kept_coordinates(command.address))
        )
        await uow.events.record("location_created", "location", location.id)
        await uow.commit()
    return location


async def get_location_by_code(
    uow: UnitOfWork | ReadUnitOfWork, code: str, *, kinds: frozenset[LocationKind] | None = None
) -> Location:
    """The location with this code, if it is of ``kinds`` (any kind when None).

    Raises:
        NotFoundError: no such location in this account (or not of those kinds).
    """
    async with uow:
        location = await uow.locations.find_by_code(code)
    return _of_kinds(location, code, kinds)


async def list_locations_page(
    uow: UnitOfWork | ReadUnitOfWork,
    page: PageRequest,
    *,
    kinds: frozenset[LocationKind] | None = None,
) -> Page[Location]:
    """A page of the account's locations of ``kinds`` (all when None), by priority."""
    async with uow:
        return await uow.locations.page(page, kinds=kinds)


async def update_location(
    uow: UnitOfWork,
    code: str,
    patch: LocationPatch,
    *,
    kinds: frozenset[LocationKind] | None = None,
) -> Location:
    """Change the given fields of a location of ``kinds``.

    Raises:
        NotFoundError: no such location in this account (or not of those kinds).
    """
    async with uow:
        location = _of_kinds(await uow.locations.find_by_code(code, for_update=True), code, kinds)
        changed = patch.apply(location)
        changed = replace(changed, address=_kept_coordinates(changed.address))
        await uow.locations.save(changed)
        await uow.events.record("location_updated", "location", location.id)
        await uow.commit()
    return changed


async def delete_location(
    uow: UnitOfWork, code: str, *, kinds: frozenset[LocationKind] | None = None
) -> None:
    """Delete a location that holds nothing; its code stays taken and its history kept.

    The location row is locked first, so a concurrent change of it waits for the decision.

    Raises:
        NotFoundError: no such location in this account (or not of those kinds).
        ConflictError: it still holds stock, reservations or open orders' allocations, or
            inventory pools combine it (named: remove it from them first).
    """
    async with uow:
        location = _of_kinds(await uow.locations.find_by_code(code, for_update=True), code, kinds)
        pools = await uow.pools.pools_of_location(location.id)
        if pools:
            names = ", ".join(repr(name) for name in pools)
            raise ConflictError(
                f"location {code!r} is in inventory pool{'s' * (len(pools) > 1)} {names};"
                " remove it from them first",
                field="location",
            )
        held = await uow.locations.holdings(location.id)
        if not held.empty:
            raise ConflictError(
                f"location {code!r} still holds {held.describe()}", field="location"
            )
        await uow.locations.mark_deleted(location.id)
        await uow.events.record("location_deleted", "location", location.id)
        await uow.commit()


def _of_kinds(
    location: Location | None, code: str, kinds: frozenset[LocationKind] | None
) -> Location:
    if location is None or (kinds is not None and location.kind not in kinds):
        raise NotFoundError(f"location {code!r} not found", field="location")
    return location


def _kept_coordinates(address: Address) -> Address:
    return replace(
        address,
        latitude=_four_places(address.latitude),
        longitude=_four_places(address.longitude),
    )


def _four_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(COORDINATE_PLACES, ROUND_HALF_EVEN)


async def list_locations(uow: UnitOfWork | ReadUnitOfWork) -> list[Location]:
    """Every location of the account, by priority (a read unit of work suffices)."""
    async with uow:
        return await uow.locations.all()


async def get_location(uow: UnitOfWork | ReadUnitOfWork, location_id: int) -> Location:
    """One location (a read unit of work suffices).

    Raises:
        NotFoundError: no such location in this account.
    """
    async with uow:
        location = await uow.locations.find(location_id)
    if location is None:
        raise NotFoundError(f"location {location_id} not found", field="location")
    return location


def _registry(uow: UnitOfWork, registry: Registry) -> RegistryRepository:
    repository: RegistryRepository = getattr(uow, registry.value)
    return repository


async def register_name(uow: UnitOfWork, registry: Registry, name: str) -> NamedRecord:
    """Add a name to one of the account's registries.

    Raises:
        DuplicateError: the name is already registered there.
    """
    async with uow:
        record = await _registry(uow, registry).add(name)
        await uow.events.record(f"{registry.value}_registered", registry.value, record.id)
        await uow.commit()
    return record


async def list_names(uow: UnitOfWork, registry: Registry, page: PageRequest) -> Page[NamedRecord]:
    """A page of one registry's names."""
    async with uow:
        return await _registry(uow, registry).page(page)
