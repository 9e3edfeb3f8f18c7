"""``orderyard custom-fields define|list|delete``: custom field metadata per owner type."""

from typing import Annotated

import typer

from orderyard.cli.common import emit, run, tenant
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import custom_field as service
from orderyard.services.custom_field import DataType, NewCustomField, OwnerType
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork

app = typer.Typer(no_args_is_help=True, help="Custom field metadata (OrderDynamics custom fields).")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
Owner = Annotated[OwnerType, typer.Option("--owner-type", help="The records that carry the field.")]
PAGE = 250


@app.command("define")
def define(  # noqa: PLR0913 - one option per field of a definition
    account: Account,
    owner_type: Owner,
    name: Annotated[str, typer.Option("--name", help="System name, unique per owner type.")],
    data_type: Annotated[DataType, typer.Option("--type")] = DataType.text,
    display_name: Annotated[str, typer.Option("--display-name", help="Default: --name.")] = "",
    required: Annotated[
        bool, typer.Option("--required", help="A value cannot be cleared.")
    ] = False,
    allowed: Annotated[
        list[str] | None,
        typer.Option("--allowed", help="An allowed value of a list field (repeat)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Define a custom field of an owner type."""
    command = NewCustomField(
        owner_type, name, display_name, data_type, required, tuple(allowed or ())
    )
    defined = run(
        lambda e: service.define_custom_field(tenant(e, account), command), account=account
    )
    emit(
        as_json,
        {"id": defined.id, "owner_type": defined.owner_type, "system_name": defined.system_name},
        f"custom field {defined.system_name} ({defined.data_type}) defined for {owner_type}",
    )


@app.command("list")
def list_(account: Account, owner_type: Owner) -> None:
    """List an owner type's custom fields by system name."""

    async def every(engines: Engines) -> list[service.CustomField]:
        found: list[service.CustomField] = []
        page = 1
        while True:
            uow = ReadUnitOfWork(engines.read, AccountId(account))
            batch = await service.list_custom_fields(uow, owner_type, PageRequest(page, PAGE))
            found.extend(batch.items)
            if page >= batch.total_pages:
                return found
            page += 1

    for field in run(every, account=account):
        required = "required" if field.required else "optional"
        allowed = f"\t{','.join(field.allowed_values)}" if field.allowed_values else ""
        typer.echo(
            f"{field.system_name}\t{field.data_type}\t{required}\t{field.display_name}{allowed}"
        )


@app.command("delete")
def delete(
    account: Account, owner_type: Owner, name: Annotated[str, typer.Option("--name")]
) -> None:
    """Delete a custom field's metadata (stored values stay)."""
    run(
        lambda e: service.delete_custom_field(tenant(e, account), owner_type, name), account=account
    )
    typer.echo(f"custom field {name} deleted from {owner_type}")
