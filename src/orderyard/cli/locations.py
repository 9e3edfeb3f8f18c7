"""``orderyard locations create|list``."""

from typing import Annotated

import typer

from orderyard.cli.common import emit, run, tenant
from orderyard.domain.catalog import LocationKind
from orderyard.services import location as location_service

app = typer.Typer(no_args_is_help=True, help="Locations: distribution centers, stores, ...")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]


@app.command("create")
def create(
    account: Account,
    code: Annotated[str, typer.Option("--code", help="Unique code, e.g. DC-CODE.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    kind: Annotated[LocationKind, typer.Option("--kind")] = LocationKind.warehouse,
    priority: Annotated[int, typer.Option("--priority", help="Lower ships first.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Register a location that holds and ships stock."""
    command = location_service.CreateLocation(code=code, name=name, kind=kind, priority=priority)
    created = run(
        lambda e: location_service.create_location(tenant(e, account), command), account=account
    )
    emit(
        as_json,
        {"id": created.id, "code": created.code},
        f"location {created.id} {created.code} created",
    )


@app.command("list")
def list_(account: Account) -> None:
    """List the account's locations by priority."""
    found = run(lambda e: location_service.list_locations(tenant(e, account)), account=account)
    for loc in found:
        typer.echo(f"{loc.id}\t{loc.code}\t{loc.kind}\tpriority {loc.priority}\t{loc.name}")
