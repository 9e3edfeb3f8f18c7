"""``orderyard strategies list|show|set``: how the account's orders choose their locations.

The names are the core's (``by_priority``, ``single_location``, ``nearest``, ``most_stock``);
OrderDynamics' ``/v1/allocationstrategies`` calls them ``LocationPriority``,
``SingleLocation``, ``Nearest`` and ``MostStock``.
"""

import json
from typing import Annotated

import typer

from orderyard.cli.common import emit, run, tenant
from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.services import strategy as service

app = typer.Typer(no_args_is_help=True, help="Allocation strategies: which locations ship.")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("list")
def list_(account: Account, as_json: AsJson = False) -> None:
    """List the strategies and what each does; * marks the account's."""
    current = run(lambda e: service.current_strategy(tenant(e, account)), account=account)
    every = service.all_strategies()
    if as_json:
        rows = [
            {"name": info.strategy.value, "description": info.description,
             "current": info.strategy is current.strategy}
            for info in every
        ]  # fmt: skip
        typer.echo(json.dumps(rows))
        return
    for info in every:
        mark = "*" if info.strategy is current.strategy else " "
        typer.echo(f"{mark} {info.strategy.value}\t{info.description}")


@app.command("show")
def show(account: Account, as_json: AsJson = False) -> None:
    """Show the strategy the account allocates with."""
    info = run(lambda e: service.current_strategy(tenant(e, account)), account=account)
    emit(
        as_json,
        {"name": info.strategy.value, "description": info.description},
        f"{info.strategy.value}\t{info.description}",
    )


@app.command("set")
def set_(
    name: Annotated[
        AllocationStrategy,
        typer.Argument(
            metavar="NAME",
            help="The strategy to allocate with.",
            show_default=False,
        ),
    ],
    account: Account,
    as_json: AsJson = False,
) -> None:
    """Allocate with another strategy from now on; allocations already made stay."""
    info = run(lambda e: service.switch_strategy(tenant(e, account), name), account=account)
    emit(
        as_json,
        {"name": info.strategy.value, "description": info.description},
        f"account {account} allocates by {info.strategy.value} from now on",
    )
