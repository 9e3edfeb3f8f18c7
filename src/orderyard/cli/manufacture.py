"""``orderyard manufacture create``: plan building kits (ShipEdge synsets) at a location."""

from typing import Annotated

import typer

from orderyard.cli.common import emit, fail, run, tenant
from orderyard.domain.manufacture import ManufactureOrder
from orderyard.services import location as location_service
from orderyard.services import manufacture as manufacture_service
from orderyard.store.engine import Engines

app = typer.Typer(no_args_is_help=True, help="Manufacture orders: build kits from components.")


@app.command("create")
def create(
    account: Annotated[int, typer.Option("--account", help="The AccountID.")],
    kit: Annotated[str, typer.Option("--kit", help="The kit's SKU (a synset).")],
    quantity: Annotated[int, typer.Option("--quantity", help="How many kits to build.")],
    location: Annotated[
        str | None,
        typer.Option("--location", help="Code of the building location; the only one if omitted."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Plan a manufacture order; nothing moves until it is completed."""

    async def _create(engines: Engines) -> tuple[ManufactureOrder, str]:
        code = location if location is not None else await _only_location(engines, account)
        command = manufacture_service.CreateManufactureOrder(
            sku=kit, quantity=quantity, location=code
        )
        created = await manufacture_service.create_manufacture_order(
            tenant(engines, account), command
        )
        return created, code

    order, code = run(_create, account=account)
    emit(
        as_json,
        {
            "manufacture_order_id": order.id,
            "sku": order.sku,
            "quantity": order.quantity,
            "location": code,
            "status": order.status.value,
        },
        f"manufacture order {order.id}: build {order.quantity} x {order.sku}"
        f" at {code} ({order.status.value})",
    )


async def _only_location(engines: Engines, account: int) -> str:
    codes = [loc.code for loc in await location_service.list_locations(tenant(engines, account))]
    if len(codes) != 1:
        known = ", ".join(codes) if codes else "none registered"
        raise fail(f"invalid_request: name the location with --location ({known})")
    return codes[0]
