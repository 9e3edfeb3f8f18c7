"""``orderyard settings list|set``: the account's parameter settings.

The same settings as OrderDynamics' ``GET /v1``; a change is checked and recorded in the
event log (with the command line as who made it).
"""

import json
from typing import Annotated

import typer

from orderyard.cli.common import domain_errors, load_settings, run, tenant
from orderyard.domain.settings import Setting, SettingKey, setting_key
from orderyard.domain.values import PageRequest
from orderyard.services import settings as service

app = typer.Typer(no_args_is_help=True, help="Account settings: allocation, shipments, ...")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _print(settings: list[Setting], as_json: bool) -> None:
    if as_json:
        rows = [
            {"key": s.key.value, "value": s.value, "read_only": not s.writable} for s in settings
        ]
        typer.echo(json.dumps(rows))
        return
    for setting in settings:
        mark = " (read-only)" if not setting.writable else ""
        typer.echo(f"{setting.key.value}\t{setting.value}{mark}")


@app.command("list")
def list_(account: Account, as_json: AsJson = False) -> None:
    """List the account's settings and their values."""
    server = {SettingKey.MAX_PAGE_SIZE: str(load_settings().max_per_page)}
    page = PageRequest(1, len(SettingKey))
    found = run(
        lambda e: service.list_settings(tenant(e, account), page, server=server), account=account
    )
    _print(found.items, as_json)


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(help="The setting (allocation_strategy, ...).")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
    account: Account,
    as_json: AsJson = False,
) -> None:
    """Change one setting; an invalid value changes nothing."""
    with domain_errors():
        chosen = setting_key(key)
    changed = run(
        lambda e: service.change_settings(tenant(e, account), {chosen: value}, role=None),
        account=account,
    )
    _print(changed, as_json)
