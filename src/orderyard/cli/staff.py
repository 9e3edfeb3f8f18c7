"""``orderyard staff create|list|disable``: the account's staff users.

Tokens are issued and revoked through OrderDynamics' ``POST /v1/staff/Token`` (by an admin,
or by the staff member with its password).
"""

import json
from typing import Annotated

import typer

from orderyard.cli.common import emit, run, tenant
from orderyard.domain.staff import Role, StaffMember
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import staff as service
from orderyard.services.staff import StaffRef
from orderyard.store.uow import ReadUnitOfWork

app = typer.Typer(no_args_is_help=True, help="Staff users: roles, passwords, disabling.")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LIST_MAX = 250


def _row(member: StaffMember) -> dict[str, object]:
    return {
        "id": member.id,
        "email": member.email,
        "role": member.role.value,
        "active": member.active,
        "has_token": member.has_token,
    }


@app.command("create")
def create(
    account: Account,
    email: Annotated[str, typer.Option("--email", help="Unique in the account, any case.")],
    role: Annotated[Role, typer.Option("--role", help="What the member may do.")],
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="12 to 1024 characters; asked for when not given.",
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Add an active staff member (its password is stored as an argon2 hash)."""
    member = run(
        lambda e: service.create_staff(tenant(e, account), email, role, password), account=account
    )
    emit(as_json, _row(member), f"staff {member.id} {member.email} ({member.role}) created")


@app.command("list")
def list_(account: Account, as_json: AsJson = False) -> None:
    """List the account's staff (the first 250), oldest first."""
    page = PageRequest(1, LIST_MAX)
    found = run(
        lambda e: service.list_staff(ReadUnitOfWork(e.read, AccountId(account)), page),
        account=account,
    )
    if as_json:
        typer.echo(json.dumps([_row(member) for member in found.items]))
        return
    for member in found.items:
        state = "active" if member.active else "disabled"
        token = "token" if member.has_token else "no token"
        typer.echo(f"{member.id}\t{member.email}\t{member.role}\t{state}\t{token}")


@app.command("disable")
def disable(
    account: Account,
    staff_id: Annotated[int | None, typer.Option("--id", help="The member's id.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="The member's e-mail.")] = None,
    as_json: AsJson = False,
) -> None:
    """Disable a staff member: its token stops working at once and is dropped."""
    ref = StaffRef(staff_id, email)
    member = run(lambda e: service.disable_staff(tenant(e, account), ref), account=account)
    emit(as_json, _row(member), f"staff {member.id} {member.email} disabled")
