"""Inventory pools and pool groups: defining, changing, reading and deleting them.

A pool names the locations it combines and its calculation; a group names its pools
(``domain/virtual_inventory.py``). What virtual inventory shows for them is read by
``services/virtual_inventory.py``. A pool that a group holds cannot be deleted, nor a
location that a pool combines (``services/location.py``): the refusal names the holders, so
the definitions never point at nothing.
"""

from orderyard.domain.errors import ConflictError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.domain.virtual_inventory import (
    GROUP_POOLS_MAX,
    POOL_LOCATIONS_MAX,
    GroupPatch,
    InventoryPool,
    NewPool,
    NewPoolGroup,
    PoolGroup,
    PoolPatch,
    check_calculation,
    check_internal_name,
    check_members,
    display_name,
    refuse_unknown,
)
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["GroupPatch", "InventoryPool", "NewPool", "NewPoolGroup", "PoolGroup", "PoolPatch"]


def _quoted(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _pool_missing(name: str) -> NotFoundError:
    return NotFoundError(f"inventory pool {name!r} not found", field="pool")


def _group_missing(name: str) -> NotFoundError:
    return NotFoundError(f"inventory pool group {name!r} not found", field="group")


async def _location_ids(uow: UnitOfWork, codes: list[str]) -> list[int]:
    """The ids of a pool's location codes (checked by ``check_members``), in their order.

    Raises:
        InvalidRequestError: codes of no live location of the account, all named.
    """
    checked = check_members(codes, field="location_codes", what="location", most=POOL_LOCATIONS_MAX)
    ids = await uow.pools.location_ids(checked)
    refuse_unknown("location", "location_codes", [code for code in checked if code not in ids])
    return [ids[code] for code in checked]


async def _pool_ids(uow: UnitOfWork, names: list[str]) -> list[int]:
    """The ids of a group's pool names, in their order.

    Raises:
        InvalidRequestError: none, too many, repeated or unknown pool names.
    """
    checked = check_members(names, field="pool_names", what="inventory pool", most=GROUP_POOLS_MAX)
    found = await uow.pools.pools_by_names(checked, lock=True)
    refuse_unknown("inventory pool", "pool_names", [name for name in checked if name not in found])
    return [found[name].id for name in checked]


async def create_pool(uow: UnitOfWork, new: NewPool) -> InventoryPool:
    """Define a pool over locations of the account.

    Raises:
        InvalidRequestError: a bad name, calculation or list of locations (unknown ones named).
        DuplicateError: the account has a pool of that internal name.
    """
    name = check_internal_name(new.internal_name)
    shown = display_name(new.display_name, name)
    calculation = check_calculation(new.calculation)
    async with uow:
        location_ids = await _location_ids(uow, list(new.location_codes))
        await uow.pools.add_pool(name, shown, calculation, location_ids)
        pool = (await uow.pools.pools_by_names([name]))[name]
        await uow.events.record("inventory_pool_created", "inventory_pool", pool.id)
        await uow.commit()
    return pool


async def update_pool(uow: UnitOfWork, name: str, patch: PoolPatch) -> InventoryPool:
    """Change a pool's given fields; its locations, when given, replace the old ones.

    Raises:
        NotFoundError: the account has no pool of that name.
        InvalidRequestError: a bad display name, calculation or list of locations.
    """
    async with uow:
        pool = await uow.pools.lock_pool(name)
        if pool is None:
            raise _pool_missing(name)
        calculation = check_calculation(patch.calculation(pool.calculation))
        shown = pool.display_name
        if patch.display_name is not None:
            shown = display_name(patch.display_name, pool.internal_name)
        if patch.location_codes is not None:
            location_ids = await _location_ids(uow, list(patch.location_codes))
            await uow.pools.set_pool_locations(pool.id, location_ids)
        await uow.pools.save_pool(pool.id, shown, calculation)
        changed = (await uow.pools.pools_by_names([name]))[name]
        await uow.events.record("inventory_pool_updated", "inventory_pool", pool.id)
        await uow.commit()
    return changed


async def delete_pool(uow: UnitOfWork, name: str) -> None:
    """Delete a pool that no group holds; its name may then be used again.

    Raises:
        NotFoundError: the account has no pool of that name.
        ConflictError: groups hold the pool (named).
    """
    async with uow:
        pool = await uow.pools.lock_pool(name)
        if pool is None:
            raise _pool_missing(name)
        holders = await uow.pools.groups_of_pool(pool.id)
        if holders:
            raise ConflictError(
                f"inventory pool {name!r} is in pool group{'s' * (len(holders) > 1)}"
                f" {_quoted(holders)}; remove it from them first",
                field="pool",
            )
        await uow.pools.remove_pool(pool.id)
        await uow.events.record("inventory_pool_deleted", "inventory_pool", pool.id)
        await uow.commit()


async def get_pool(uow: ReadUnitOfWork | UnitOfWork, name: str) -> InventoryPool:
    """The pool of this internal name.

    Raises:
        NotFoundError: the account has no pool of that name.
    """
    async with uow:
        found = await uow.pools.pools_by_names([name])
    if name not in found:
        raise _pool_missing(name)
    return found[name]


async def list_pools(uow: ReadUnitOfWork | UnitOfWork, page: PageRequest) -> Page[InventoryPool]:
    """A page of the account's pools, by internal name."""
    async with uow:
        return await uow.pools.pool_page(page)


async def create_group(uow: UnitOfWork, new: NewPoolGroup) -> PoolGroup:
    """Define a group of pools of the account.

    Raises:
        InvalidRequestError: a bad name or list of pools (unknown ones named).
        DuplicateError: the account has a group of that internal name.
    """
    name = check_internal_name(new.internal_name)
    shown = display_name(new.display_name, name)
    async with uow:
        pool_ids = await _pool_ids(uow, list(new.pool_names))
        await uow.pools.add_group(name, shown, pool_ids)
        group = (await uow.pools.groups_by_names([name]))[name]
        await uow.events.record("inventory_pool_group_created", "inventory_pool_group", group.id)
        await uow.commit()
    return group


async def update_group(uow: UnitOfWork, name: str, patch: GroupPatch) -> PoolGroup:
    """Change a group's given fields; its pools, when given, replace the old ones.

    Raises:
        NotFoundError: the account has no group of that name.
        InvalidRequestError: a bad display name or list of pools.
    """
    async with uow:
        group = await uow.pools.lock_group(name)
        if group is None:
            raise _group_missing(name)
        if patch.display_name is not None:
            shown = display_name(patch.display_name, group.internal_name)
            await uow.pools.save_group(group.id, shown)
        if patch.pool_names is not None:
            await uow.pools.set_group_pools(group.id, await _pool_ids(uow, list(patch.pool_names)))
        changed = (await uow.pools.groups_by_names([name]))[name]
        await uow.events.record("inventory_pool_group_updated", "inventory_pool_group", group.id)
        await uow.commit()
    return changed


async def delete_group(uow: UnitOfWork, name: str) -> None:
    """Delete a group; its pools stay, and its name may be used again.

    Raises:
        NotFoundError: the account has no group of that name.
    """
    async with uow:
        group = await uow.pools.lock_group(name)
        if group is None:
            raise _group_missing(name)
        await uow.pools.remove_group(group.id)
        await uow.events.record("inventory_pool_group_deleted", "inventory_pool_group", group.id)
        await uow.commit()


async def get_group(uow: ReadUnitOfWork | UnitOfWork, name: str) -> PoolGroup:
    """The group of this internal name.

    Raises:
        NotFoundError: the account has no group of that name.
    """
    async with uow:
        found = await uow.pools.groups_by_names([name])
    if name not in found:
        raise _group_missing(name)
    return found[name]


async def list_groups(uow: ReadUnitOfWork | UnitOfWork, page: PageRequest) -> Page[PoolGroup]:
    """A page of the account's groups, by internal name."""
    async with uow:
        return await uow.pools.group_page(page)
