"""``orderyard suppliers|package-types|shipping-methods|channels add|list``."""

from typing import Annotated

import typer

from orderyard.cli.common import run, tenant
from orderyard.domain.values import PageRequest
from orderyard.services import location as location_service
from orderyard.services.location import Registry

Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
LIST_PAGE = PageRequest(page=1, per_page=10_000)


def _registry_app(registry: Registry, what: str) -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, help=f"Register and list {what}.")

    @app.command("add")
    def add(account: Account, name: Annotated[str, typer.Argument(help="Exact name.")]) -> None:
        """Register a name (exact and case-sensitive, as the API matches it)."""
        record = run(
            lambda e: location_service.register_name(tenant(e, account), registry, name),
            account=account,
        )
        typer.echo(f"{record.id}\t{record.name}")

    @app.command("list")
    def list_(account: Account) -> None:
        """List the registered names."""
        found = run(
            lambda e: location_service.list_names(tenant(e, account), registry, LIST_PAGE),
            account=account,
        )
        for record in found.items:
            typer.echo(f"{record.id}\t{record.name}")

    return app


APPS = {
    "suppliers": _registry_app(Registry.suppliers, "suppliers"),
    "package-types": _registry_app(Registry.package_types, "package types"),
    "shipping-methods": _registry_app(Registry.shipping_methods, "shipping methods"),
    "channels": _registry_app(Registry.channels, "sales channels (ShipEdge carts/stores)"),
}
