"""The orderyard command line: serve, migrate, administer accounts and stock, ship."""

import typer

from orderyard.cli import (
    accounts,
    custom_fields,
    db,
    emails,
    inventory,
    locations,
    manufacture,
    pools,
    rates,
    registries,
    serve,
    settings,
    shipments,
    staff,
    strategies,
    webhooks,
    worker,
)

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help=__doc__, pretty_exceptions_enable=False
)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.add_typer(db.app, name="db")
app.add_typer(accounts.app, name="accounts")
app.add_typer(accounts.keys_app, name="keys")
app.add_typer(locations.app, name="locations")
app.add_typer(strategies.app, name="strategies")
app.add_typer(custom_fields.app, name="custom-fields")
app.add_typer(pools.app, name="pools")
app.add_typer(pools.groups_app, name="pool-groups")
app.add_typer(rates.taxes_app, name="taxes")
app.add_typer(rates.shipping_app, name="shipping-rates")
app.add_typer(inventory.app, name="stock")
app.add_typer(shipments.app, name="shipments")
app.add_typer(manufacture.app, name="manufacture")
app.add_typer(staff.app, name="staff")
app.add_typer(settings.app, name="settings")
app.add_typer(webhooks.app, name="webhooks")
app.add_typer(emails.app, name="emails")
for name, sub in registries.APPS.items():
    app.add_typer(sub, name=name)


def main() -> None:
    """Entry point of the console script."""
    app()
