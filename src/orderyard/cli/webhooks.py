"""``orderyard webhooks list|add|remove|deliveries``: an account's webhook subscriptions.

The same services as ``/v1/webhooks`` and ShipEdge's ``/webhooks``; ``add`` prints the signing
secret, which is shown only then.
"""

from typing import Annotated

import typer

from orderyard.cli.common import emit, run, tenant
from orderyard.cli.pools import every
from orderyard.domain.values import AccountId, PageRequest
from orderyard.domain.webhooks import (
    EVENT_TYPES,
    Delivery,
    DeliveryStatus,
    Subscription,
    public_event_id,
)
from orderyard.services import webhooks as service
from orderyard.store.uow import ReadUnitOfWork

app = typer.Typer(no_args_is_help=True, help="Webhook subscriptions and their delivery logs.")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
WebhookId = Annotated[int, typer.Argument(help="The subscription's id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _line(sub: Subscription) -> str:
    state = "active" if sub.active else f"DISABLED ({sub.disabled_reason})"
    return f"{sub.id}\t{sub.url}\t{sub.dialect}\t{','.join(sub.event_types)}\t{state}"


def _delivery_line(d: Delivery) -> str:
    when = d.next_try_at.isoformat() if d.next_try_at else "-"
    code = d.response_code if d.response_code is not None else "-"
    latency = f"{d.latency_ms} ms" if d.latency_ms is not None else "-"
    return (
        f"{d.id}\t{public_event_id(d.event_id)}\t{d.event_type}\t{d.status.value}"
        f"\ttries {d.attempts}\t{code}\t{latency}\tnext {when}\t{d.error}"
    )


@app.command("list")
def list_webhooks(account: Account) -> None:
    """List the account's subscriptions: id, URL, dialect, event types, state."""
    for sub in every(account, service.list_subscriptions):
        typer.echo(_line(sub))


@app.command("add")
def add_webhook(
    account: Account,
    url: Annotated[str, typer.Option("--url", help="The http(s) endpoint.")],
    event_types: Annotated[
        list[str], typer.Option("--event", help=f"Repeat per type: {', '.join(EVENT_TYPES)}.")
    ],
    dialect: Annotated[
        str, typer.Option("--dialect", help="orderdynamics or shipedge: the record's shape.")
    ] = "orderdynamics",
    as_json: AsJson = False,
) -> None:
    """Subscribe --url to the --event types; prints the signing secret (shown only now)."""
    command = service.Subscribe(url, list(event_types), dialect)
    sub = run(lambda e: service.subscribe(tenant(e, account), command), account=account)
    emit(
        as_json,
        {"id": sub.id, "url": sub.url, "event_types": sub.event_types, "secret": sub.secret},
        f"webhook {sub.id} subscribed; signing secret (shown once): {sub.secret}",
    )


@app.command("remove")
def remove_webhook(account: Account, webhook_id: WebhookId) -> None:
    """Unsubscribe; its delivery log goes with it."""
    run(lambda e: service.remove(tenant(e, account), webhook_id), account=account)
    typer.echo(f"webhook {webhook_id} removed")


@app.command("deliveries")
def list_deliveries(
    account: Account,
    webhook_id: WebhookId,
    status: Annotated[DeliveryStatus | None, typer.Option("--status", help="Only these.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
) -> None:
    """The newest deliveries: event, type, status, tries, response, latency, next try."""
    found = run(
        lambda e: service.deliveries(
            ReadUnitOfWork(e.read, AccountId(account)),
            webhook_id,
            PageRequest(1, limit),
            status=status,
        ),
        account=account,
    )
    for delivery in found.items:
        typer.echo(_delivery_line(delivery))
