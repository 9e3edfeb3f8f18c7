"""``orderyard pools create|list|delete`` and ``orderyard pool-groups create|list|delete``.

Inventory pools combine the available units of chosen locations and apply a calculation;
pool groups collect pools. ``GET /v1/virtualinventory`` reads them by group.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from orderyard.cli.common import emit, run, tenant
from orderyard.domain.values import AccountId, Page, PageRequest
from orderyard.domain.virtual_inventory import Calculation
from orderyard.services import inventory_pools as service
from orderyard.services.inventory_pools import NewPool, NewPoolGroup
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork

app = typer.Typer(no_args_is_help=True, help="Inventory pools (virtual inventory).")
groups_app = typer.Typer(no_args_is_help=True, help="Inventory pool groups (virtual inventory).")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
Name = Annotated[str, typer.Option("--name", help="The internal name, unique in the account.")]
DisplayName = Annotated[str, typer.Option("--display-name", help="Default: --name.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
PAGE = 250
T = TypeVar("T")


def every(
    account: int, read: Callable[[ReadUnitOfWork, PageRequest], Awaitable[Page[T]]]
) -> list[T]:
    """Every record a paged read gives, page by page."""

    async def walk(engines: Engines) -> list[T]:
        found: list[T] = []
        page = 1
        while True:
            batch = await read(
                ReadUnitOfWork(engines.read, AccountId(account)), PageRequest(page, PAGE)
            )
            found.extend(batch.items)
            if page >= batch.total_pages:
                return found
            page += 1

    return run(walk, account=account)


@app.command("create")
def create_pool(
    account: Account,
    name: Name,
    locations: Annotated[
        list[str], typer.Option("--location", help="A location code the pool combines (repeat).")
    ],
    percentage: Annotated[
        int, typer.Option("--percentage", help="0-100: the share of the sum kept, rounded down.")
    ] = 100,
    buffer: Annotated[int, typer.Option("--buffer", help="Units held back after it.")] = 0,
    display_name: DisplayName = "",
    as_json: AsJson = False,
) -> None:
    """Define a pool over locations: sum of their available, a percentage, minus a buffer."""
    command = NewPool(name, locations, Calculation(percentage, buffer), display_name)
    pool = run(lambda e: service.create_pool(tenant(e, account), command), account=account)
    emit(
        as_json,
        {"internal_name": pool.internal_name, "locations": list(pool.location_codes),
         "percentage": pool.calculation.percentage, "buffer": pool.calculation.buffer},
        f"inventory pool {pool.internal_name} created over {','.join(pool.location_codes)}",
    )  # fmt: skip


@app.command("list")
def list_pools(account: Account) -> None:
    """List the account's pools by internal name."""
    for pool in every(account, service.list_pools):
        typer.echo(
            f"{pool.internal_name}\t{','.join(pool.location_codes)}"
            f"\t{pool.calculation.percentage}%\tbuffer {pool.calculation.buffer}"
            f"\t{pool.display_name}"
        )


@app.command("delete")
def delete_pool(account: Account, name: Name) -> None:
    """Delete a pool that no group holds."""
    run(lambda e: service.delete_pool(tenant(e, account), name), account=account)
    typer.echo(f"inventory pool {name} deleted")


@groups_app.command("create")
def create_group(
    account: Account,
    name: Name,
    pools: Annotated[list[str], typer.Option("--pool", help="A pool of the group (repeat).")],
    display_name: DisplayName = "",
    as_json: AsJson = False,
) -> None:
    """Define a group of pools."""
    command = NewPoolGroup(name, pools, display_name)
    group = run(lambda e: service.create_group(tenant(e, account), command), account=account)
    emit(
        as_json,
        {"internal_name": group.internal_name, "pools": list(group.pool_names)},
        f"inventory pool group {group.internal_name} created with {','.join(group.pool_names)}",
    )


@groups_app.command("list")
def list_groups(account: Account) -> None:
    """List the account's pool groups by internal name."""
    for group in every(account, service.list_groups):
        typer.echo(f"{group.internal_name}\t{','.join(group.pool_names)}\t{group.display_name}")


@groups_app.command("delete")
def delete_group(account: Account, name: Name) -> None:
    """Delete a pool group (its pools stay)."""
    run(lambda e: service.delete_group(tenant(e, account), name), account=account)
    typer.echo(f"inventory pool group {name} deleted")
