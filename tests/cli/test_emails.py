"""``orderyard emails``: one sending pass against a real SMTP server, and the log."""

from collections.abc import Iterator

import pytest

from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from tests.cli.runner import ainvoke, one_line
from tests.emails.smtp_server import SmtpServer
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.services.test_emails import JANE, read_past_every_event

pytestmark = pytest.mark.usefixtures("cli_database")


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    monkeypatch.setenv("ORDERYARD_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("ORDERYARD_SMTP__PORT", str(server.port))
    monkeypatch.setenv("ORDERYARD_SMTP__FROM", "shop@example.com")
    yield server
    server.stop()


async def test_send_pending_sends_what_new_events_call_for_and_list_shows_it(
    account: NewAccount, make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    assert await ainvoke("emails", "send-pending") == (0, "0 e-mails tried\n")  # starts here
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), number="ORD-5", customer=JANE)

    tried = 0
    while tried == 0 or not await read_past_every_event(engines):
        code, out = await ainvoke("emails", "send-pending")
        assert code == 0
        tried += int(out.split()[0])
    listed = await ainvoke("emails", "list", "--account", str(account.account_id))

    assert tried == 1
    assert [(m.sender, m.recipients) for m in smtp.accepted] == [
        ("shop@example.com", ["jane@example.com"])
    ]
    code, out = listed
    assert code == 0
    assert out.split("\t")[1:6] == [
        "order_confirmation",
        "jane@example.com",
        "ORD-5",
        "sent",
        "tries 1",
    ]


async def test_send_pending_without_smtp_is_refused_and_logs_nothing(
    account: NewAccount, make: Factory
) -> None:
    code, out = await ainvoke("emails", "send-pending")

    assert code == 1
    assert one_line(out) == (
        "error: SMTP is not configured: set ORDERYARD_SMTP__HOST (README, 'E-mails')"
    )
    assert await count_rows(make, "emails") == 0


async def test_the_log_of_an_unknown_customer_is_refused(account: NewAccount) -> None:
    code, out = await ainvoke(
        "emails", "list", "--account", str(account.account_id), "--customer", "999"
    )

    assert code == 1
    assert one_line(out) == "error: not_found: customer 999 not found"
