"""``orderyard accounts create`` and ``orderyard keys rotate``."""

from typing import Annotated

import typer

from orderyard.cli.common import emit, run, system
from orderyard.dialects.shipedge import examples as shipedge_examples
from orderyard.services import account as account_service

app = typer.Typer(no_args_is_help=True, help="Create and manage accounts (tenants).")
keys_app = typer.Typer(no_args_is_help=True, help="Manage API keys.")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="The account's name.")],
    as_json: JsonOpt = False,
    examples: Annotated[
        bool,
        typer.Option(
            "--shipedge-examples/--no-shipedge-examples",
            help="Register the shipping method Pick and the store My Shop that ShipEdge's"
            " example requests name.",
        ),
    ] = True,
) -> None:
    """Create an account and print its AccountID and API key (shown only this once)."""
    methods = shipedge_examples.SHIPPING_METHODS if examples else ()
    stores = shipedge_examples.STORES if examples else ()
    created = run(
        lambda e: account_service.create_account(
            system(e), name, shipping_methods=methods, channels=stores
        )
    )
    emit(
        as_json,
        {"account_id": created.account_id, "key": created.key},
        f"AccountID: {created.account_id}\nKey: {created.key}",
    )


@keys_app.command("rotate")
def rotate(
    account: Annotated[int, typer.Option("--account", help="The AccountID.")],
    as_json: JsonOpt = False,
) -> None:
    """Give an account a new API key; the old one stops working at once."""
    rotated = run(lambda e: account_service.rotate_key(system(e), account))
    emit(
        as_json,
        {"account_id": rotated.account_id, "key": rotated.key},
        f"AccountID: {rotated.account_id}\nKey: {rotated.key}",
    )


@app.command("deactivate")
def deactivate(account: Annotated[int, typer.Option("--account", help="The AccountID.")]) -> None:
    """Deactivate an account: its key is refused until it is activated again."""
    run(lambda e: account_service.set_active(system(e), account, active=False))
    typer.echo(f"account {account} deactivated")


@app.command("activate")
def activate(account: Annotated[int, typer.Option("--account", help="The AccountID.")]) -> None:
    """Activate an account."""
    run(lambda e: account_service.set_active(system(e), account, active=True))
    typer.echo(f"account {account} activated")
