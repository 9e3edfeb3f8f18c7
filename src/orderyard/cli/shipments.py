"""``orderyard shipments``: ship an order's allocated units; create shipments on allocation."""

from typing import Annotated, Any

import typer

from orderyard.cli.common import emit, fail, run, tenant
from orderyard.domain.shipment import Shipment
from orderyard.services import location as location_service
from orderyard.services import shipment as shipment_service
from orderyard.store.engine import Engines

app = typer.Typer(
    no_args_is_help=True,
    help="Shipments: ship what is allocated to an order; create them on allocation.",
)


@app.command("ship")
def ship(
    account: Annotated[int, typer.Option("--account", help="The AccountID.")],
    order: Annotated[int, typer.Option("--order", help="The order's id (order_id).")],
    location: Annotated[
        str | None,
        typer.Option(
            "--location",
            help="Code of the location shipping; needed only when units wait at several.",
        ),
    ] = None,
    tracking_number: Annotated[
        str, typer.Option("--tracking-number", help="The carrier's tracking number.")
    ] = "",
    carrier: Annotated[str, typer.Option("--carrier", help="The carrier's name.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Ship every unit allocated to the order at one location, in one step.

    The units leave stock (on-hand and allocated drop) and the order advances to Shipped,
    or stays partly shipped while other units wait. A refusal writes nothing.
    """

    async def _ship(engines: Engines) -> tuple[Shipment, dict[int, str]]:
        codes = {
            loc.id: loc.code
            for loc in await location_service.list_locations(tenant(engines, account))
        }
        location_id = None
        if location is not None:
            location_id = next((i for i, code in codes.items() if code == location), None)
            if location_id is None:
                raise fail(f"invalid_request: location {location!r} is not registered")
        shipped = await shipment_service.ship_order(
            tenant(engines, account),
            order,
            location_id=location_id,
            tracking_number=tracking_number,
            carrier=carrier,
        )
        return shipped, codes

    shipment, codes = run(_ship, account=account)
    emit(as_json, _payload(shipment, codes), _text(shipment, codes))


def _payload(shipment: Shipment, codes: dict[int, str]) -> dict[str, Any]:
    return {
        "shipment_id": shipment.id,
        "order_id": shipment.order_id,
        "location": codes.get(shipment.location_id, ""),
        "status": shipment.status.value,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "shipped_at": shipment.shipped_at.isoformat() if shipment.shipped_at else None,
        "lines": [
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.quantity}
            for line in shipment.lines
        ],
    }


def _text(shipment: Shipment, codes: dict[int, str]) -> str:
    lines = ", ".join(f"{line.sku} x {line.quantity}" for line in shipment.lines)
    extra = "".join(
        f", {label} {value}"
        for label, value in (("carrier", shipment.carrier), ("tracking", shipment.tracking_number))
        if value
    )
    return (
        f"shipment {shipment.id} of order {shipment.order_id} {shipment.status.value}"
        f" from {codes.get(shipment.location_id, shipment.location_id)}: {lines}{extra}"
    )


@app.command("auto-create")
def auto_create(
    setting: Annotated[
        str, typer.Argument(help="on: create shipments as soon as stock is allocated; off: not.")
    ],
    account: Annotated[int, typer.Option("--account", help="The AccountID.")],
) -> None:
    """Choose whether shipments are created as soon as stock is allocated (off by default).

    When on, placing an order, backorders catching up and a rejected shipment's units found
    elsewhere each create one shipment per location for what they allocated. The same
    setting as OrderDynamics' ``PUT /v1/orderfulfillment/settings``.
    """
    if setting not in ("on", "off"):
        raise fail(f"invalid_request: setting must be on or off (got {setting!r})")

    async def _set(engines: Engines) -> None:
        await shipment_service.set_ships_on_allocation(tenant(engines, account), setting == "on")

    run(_set, account=account)
    typer.echo(f"shipments are {'' if setting == 'on' else 'not '}created on allocation")
