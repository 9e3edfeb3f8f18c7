"""The demo account of ``orderyard serve --demo``: what the seed's examples name, registered.

The ShipEdge documentation's example requests name a supplier (``Supplier Name``), a
distribution center (``DC-CODE``), the store ``My Shop`` and the shipping method ``Pick``
(``dialects/shipedge/examples.py``, which ``orderyard accounts create`` registers too), and
products that no example creates: the synset example's components ``SKU-1`` and ``SKU-2``
and the alias example's ``INTERNAL-SKU``. With them in place each example works as written
against the demo account. ``PROD-001`` is left to the product example itself, which would
otherwise fail as a duplicate.
"""

import secrets
from decimal import Decimal

import typer

from orderyard.cli.common import system, tenant
from orderyard.dialects.shipedge import examples as shipedge_examples
from orderyard.domain.catalog import ItemDetails
from orderyard.domain.staff import Role
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services import location as location_service
from orderyard.services import staff as staff_service
from orderyard.services.location import Registry
from orderyard.store.engine import Engines

LOCATION = location_service.CreateLocation(
    code="DC-CODE", name="Demo distribution center", priority=1
)
SUPPLIERS = ("Supplier Name",)
PRODUCTS = {
    "SKU-1": "Demo component of the synset example BUNDLE-001",
    "SKU-2": "Demo component of the synset example BUNDLE-001",
    "INTERNAL-SKU": "Demo target of the alias example EXTERNAL-SKU",
}
STAFF_EMAIL = "admin@demo.example"
"""The demo's console login (an admin); its password is drawn at random on first start."""


async def ensure_demo_account(engines: Engines, *, console_url: str = "") -> None:
    """Create the demo account on first start; later starts only say which one it is.

    With it, an admin staff member to sign in to the web console at ``console_url`` with;
    its password, like the key, is printed this once.
    """
    existing = await account_service.first_account(system(engines))
    if existing is not None:
        typer.echo(
            f"Demo account exists: AccountID {existing}. Its key was shown on first start;"
            f" `orderyard keys rotate --account {existing}` issues a new one."
        )
        return
    created = await account_service.create_account(
        system(engines),
        "Demo",
        shipping_methods=shipedge_examples.SHIPPING_METHODS,
        channels=shipedge_examples.STORES,
    )
    await _register_examples(engines, created.account_id)
    password = secrets.token_urlsafe(12)
    await staff_service.create_staff(
        tenant(engines, created.account_id), STAFF_EMAIL, Role.ADMIN, password
    )
    typer.echo(
        "Demo account created (the key and the password are shown only now):\n"
        f"  AccountID: {created.account_id}\n  Key: {created.key}\n"
        f"  Distribution center: {LOCATION.code}\n"
        f"  Supplier: {', '.join(SUPPLIERS)}\n"
        f"  Products: {', '.join(PRODUCTS)}\n"
        f"  Web console: {console_url or '/console'}\n"
        f"    staff e-mail: {STAFF_EMAIL}\n    password: {password}"
    )


async def _register_examples(engines: Engines, account_id: int) -> None:
    await location_service.create_location(tenant(engines, account_id), LOCATION)
    for supplier in SUPPLIERS:
        await location_service.register_name(
            tenant(engines, account_id), Registry.suppliers, supplier
        )
    commands = [
        catalog_service.CreateItem(
            sku=sku,
            details=ItemDetails(description=description, cost=Decimal(1), retail=Decimal(5)),
            supplier=SUPPLIERS[0],
            location=LOCATION.code,
        )
        for sku, description in PRODUCTS.items()
    ]
    for outcome in await catalog_service.create_items(tenant(engines, account_id), commands):
        if outcome.error is not None:
            raise outcome.error
