"""``orderyard emails list|send-pending``: an account's e-mail log, and one sending pass.

The job worker sends e-mails by itself when SMTP is configured; ``send-pending`` runs one
pass now (to check the SMTP settings, or from cron with no worker running), and ``list``
shows what was sent, what waits and why.
"""

from typing import Annotated

import typer

from orderyard.cli.common import fail, load_settings, run
from orderyard.domain.email import Email, EmailSort
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import emails as service
from orderyard.services.email_delivery import send_pending
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork

app = typer.Typer(no_args_is_help=True, help="Customer e-mails: the log, and sending.")


def _line(email: Email) -> str:
    when = email.next_try_at.isoformat() if email.next_try_at else "-"
    return (
        f"{email.id}\t{email.template}\t{email.to or '(forgotten)'}\t{email.order_number}"
        f"\t{email.status.value}\ttries {email.attempts}\tnext {when}\t{email.last_error}"
    )


@app.command("list")
def list_emails(
    account: Annotated[int, typer.Option("--account", help="The AccountID.")],
    customer: Annotated[
        int | None, typer.Option("--customer", help="Only this customer's (internal id).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
) -> None:
    """The newest e-mails: id, template, recipient, order, status, tries, next try, error."""
    found = run(
        lambda e: service.customer_log(
            ReadUnitOfWork(e.read, AccountId(account)),
            customer,
            PageRequest(1, limit),
            sort=EmailSort.id,
            descending=True,
        ),
        account=account,
    )
    for email in found.items:
        typer.echo(_line(email))


@app.command("send-pending")
def send_pending_emails() -> None:
    """Log the e-mails new events call for and send every due one, once; print how many."""
    sender = load_settings().smtp.sender()
    if sender is None:
        raise fail("SMTP is not configured: set ORDERYARD_SMTP__HOST (README, 'E-mails')")

    async def passes(engines: Engines) -> int:
        tried, total = sender.batch, 0
        while tried == sender.batch:
            tried = await send_pending(engines, sender)
            total += tried
        return total

    typer.echo(f"{run(passes)} e-mails tried")
