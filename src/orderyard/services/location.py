"""Locations and the per-account registries of names (suppliers, shipping methods, ...)."""

from dataclasses import dataclass, field
from enum import StrEnum

from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import NotFoundError
from orderyard.domain.location import Location, NamedRecord
from orderyard.domain.values import Address, Page, PageRequest
from orderyard.store.repositories.location import RegistryRepository
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


class Registry(StrEnum):
    """The per-account registries of names."""

    suppliers = "suppliers"
    package_types = "package_types"
    shipping_methods = "shipping_methods"
    channels = "channels"


@dataclass(frozen=True, slots=True)
class CreateLocation:
    """Register a location."""

    code: str
    name: str
    kind: LocationKind = LocationKind.warehouse
    priority: int = 100
    address: Address = field(default_factory=Address)


async def create_location(uow: UnitOfWork, command: CreateLocation) -> Location:
    """Register a location in the account.

    Raises:
        DuplicateError: the code is already used.
    """
    async with uow:
        location = await uow.locations.add(
            code=command.code,
            name=command.name,
            kind=command.kind,
            priority=command.priority,
            address=command.address,
        )
        await uow.events.record("location_created", "location", location.id)
        await uow.commit()
    return location


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
        raise NotFoundError(f"distribution center {location_id} not found", field="location")
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
