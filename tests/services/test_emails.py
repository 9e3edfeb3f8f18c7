"""E-mails end to end against a real SMTP server: the outbox read, templates, retries, log."""

import asyncio
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from orderyard.domain.customer import Person
from orderyard.domain.email import FORGOTTEN_ERROR, MAX_ATTEMPTS, EmailStatus
from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.order import Customer
from orderyard.domain.settings import SettingKey
from orderyard.domain.values import PageRequest
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import customer as customer_service
from orderyard.services import emails as service
from orderyard.services import returns as returns_service
from orderyard.services import settings as settings_service
from orderyard.services.email_delivery import EmailSender, SmtpConfig, send_pending
from orderyard.services.returns import CreateReturn, ReceiveReturn, ReturnCount, ReturnItem
from orderyard.settings import Settings
from orderyard.store.engine import Engines
from orderyard.store.tables import email_cursor, emails, events
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.emails.smtp_server import SmtpServer, free_port
from tests.factories import Factory

JANE = Customer(email="jane@example.com", first_name="Jane", last_name="Roe")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def flaky_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(refuse_first=2).start()
    yield server
    server.stop()


def sender_to(port: int) -> EmailSender:
    return EmailSender(SmtpConfig(host="127.0.0.1", port=port, from_address="shop@example.com"))


async def read_past_every_event(engines: Engines) -> bool:
    """Whether the sender's cursor has read every event written (PostgreSQL waits for xmin)."""
    async with SystemUnitOfWork(engines.read) as system:
        conn = system.conn
        cursor = (await conn.execute(select(email_cursor.c.position))).scalar_one_or_none()
        if conn.dialect.name != "postgresql":
            newest = (await conn.execute(select(func.max(events.c.id)))).scalar_one()
        else:
            newest = (await conn.execute(select(func.max(events.c.xid)))).scalar_one()
    return cursor is not None and (newest is None or cursor > newest)


async def run_pass(engines: Engines, sender: EmailSender) -> int:
    """One worker pass once the cursor can read every event written so far."""
    deadline = time.monotonic() + 30
    tried = await send_pending(engines, sender)
    while not await read_past_every_event(engines):
        assert time.monotonic() < deadline, "the sender never read past the events"
        await asyncio.sleep(0.01)
        tried += await send_pending(engines, sender)
    return tried


async def log_rows(engines: Engines) -> list[dict[str, object]]:
    async with SystemUnitOfWork(engines.read) as system:
        rows = await system.conn.execute(select(emails).order_by(emails.c.id))
        return [dict(row._mapping) for row in rows]


async def shipped_and_returned(make: Factory) -> int:
    """An order of Jane's, shipped with tracking 1Z, then returned (1 x SKU-1) and received."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    placed = await make.order(("SKU-1", 2), number="ORD-7", customer=JANE)
    order_id = placed.order_id or 0
    await make.ship(order_id)
    command = CreateReturn(order_id, (ReturnItem("SKU-1", 1, "Defective"),))
    [created] = await returns_service.create_returns(make.uow(), [command])
    await returns_service.receive_return(
        make.uow(), ReceiveReturn(created.return_id or 0, "DC-1", (ReturnCount("SKU-1", good=1),))
    )
    return order_id


async def test_confirmation_shipment_and_return_arrive_at_the_customer(
    make: Factory, engines: Engines, smtp: SmtpServer, clock: TestClock
) -> None:
    sender = sender_to(smtp.port)
    await run_pass(engines, sender)  # sending switched on: the cursor starts here
    order_id = await shipped_and_returned(make)

    assert await run_pass(engines, sender) == 3

    got = smtp.accepted
    assert [(m.sender, m.recipients, m.message["Subject"]) for m in got] == [
        ("shop@example.com", ["jane@example.com"], "Your order ORD-7 is confirmed"),
        ("shop@example.com", ["jane@example.com"], "Your order ORD-7 has shipped"),
        ("shop@example.com", ["jane@example.com"], "We received your return for order ORD-7"),
    ]
    assert "Hello Jane Roe," in got[0].text
    assert "Total: 19.98 USD." in got[0].text
    assert got[1].text == (
        "Hello Jane Roe,\r\n\r\nyour order ORD-7 with Acme is on its way.\r\n"
        "Carrier: \r\nTracking number: 1Z\r\n"
    )
    assert "<strong>1Z</strong>" in got[1].html
    assert "Acme received your return 1 for order ORD-7.\r\nOutcome: as expected." in got[2].text
    assert got[2].html == ""
    rows = await log_rows(engines)
    assert [(r["template"], r["status"], r["attempts"], r["order_id"]) for r in rows] == [
        ("order_confirmation", "sent", 1, order_id),
        ("shipment_shipped", "sent", 1, order_id),
        ("return_received", "sent", 1, order_id),
    ]
    assert all(r["sent_at"] == clock.now and r["last_error"] == "" for r in rows)
    assert await run_pass(engines, sender) == 0
    assert len(smtp.accepted) == 3


async def test_an_account_with_emails_off_sends_none_and_nothing_later_when_back_on(
    make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    sender = sender_to(smtp.port)
    await run_pass(engines, sender)
    await set_sends_emails(make, "false")
    await shipped_and_returned(make)

    assert await run_pass(engines, sender) == 0
    await set_sends_emails(make, "TRUE")
    assert await run_pass(engines, sender) == 0
    await make.order(("SKU-1", 1), number="ORD-8", customer=JANE)
    assert await run_pass(engines, sender) == 1

    assert [m.message["Subject"] for m in smtp.accepted] == ["Your order ORD-8 is confirmed"]
    assert [r["template"] for r in await log_rows(engines)] == ["order_confirmation"]


async def set_sends_emails(make: Factory, value: str) -> None:
    await settings_service.change_settings(make.uow(), {SettingKey.SENDS_EMAILS: value}, role=None)


async def test_events_before_sending_was_switched_on_send_nothing(
    make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    await shipped_and_returned(make)

    assert await run_pass(engines, sender_to(smtp.port)) == 0

    assert smtp.accepted == []
    assert await log_rows(engines) == []


def test_sending_is_off_unless_smtp_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().smtp.sender() is None
    monkeypatch.setenv("ORDERYARD_SMTP__HOST", "mail.example.com")
    monkeypatch.setenv("ORDERYARD_SMTP__PORT", "587")
    monkeypatch.setenv("ORDERYARD_SMTP__STARTTLS", "true")
    monkeypatch.setenv("ORDERYARD_SMTP__USERNAME", "shop")
    monkeypatch.setenv("ORDERYARD_SMTP__PASSWORD", "s3cret")
    monkeypatch.setenv("ORDERYARD_SMTP__FROM", "shop@example.com")

    sender = Settings().smtp.sender()

    assert sender is not None
    assert sender.smtp == SmtpConfig(
        host="mail.example.com",
        port=587,
        username="shop",
        password="s3cret",
        starttls=True,
        from_address="shop@example.com",
        timeout=10.0,
    )


async def test_an_order_without_email_and_a_shipment_without_tracking_send_nothing(
    make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    from orderyard.services import shipment as shipment_service

    sender = sender_to(smtp.port)
    await run_pass(engines, sender)
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1))  # no e-mail anywhere
    placed = await make.order(("SKU-1", 1), customer=JANE)
    shipment = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
    await shipment_service.ship_shipment(make.uow(), shipment.id)

    assert await run_pass(engines, sender) == 1

    assert [m.message["Subject"] for m in smtp.accepted] == ["Your order ORD-2 is confirmed"]


async def test_a_refusing_server_is_retried_with_backoff_and_the_mail_arrives_once(
    make: Factory, engines: Engines, flaky_smtp: SmtpServer, clock: TestClock
) -> None:
    sender = sender_to(flaky_smtp.port)
    await run_pass(engines, sender)
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), customer=JANE)
    started = clock.now

    assert await run_pass(engines, sender) == 1
    [row] = await log_rows(engines)
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "queued",
        1,
        "451 4.3.0 try again later",
    )
    assert row["next_try_at"] == started + timedelta(minutes=1)
    assert await run_pass(engines, sender) == 0  # not due yet

    clock.advance(timedelta(minutes=1))
    assert await run_pass(engines, sender) == 1
    [row] = await log_rows(engines)
    assert (row["status"], row["attempts"]) == ("queued", 2)
    assert row["next_try_at"] == started + timedelta(minutes=3)

    clock.advance(timedelta(minutes=2))
    assert await run_pass(engines, sender) == 1
    [row] = await log_rows(engines)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 3, "")
    assert [m.recipients for m in flaky_smtp.accepted] == [["jane@example.com"]]
    clock.advance(timedelta(hours=1))
    assert await run_pass(engines, sender) == 0
    assert len(flaky_smtp.accepted) == 1


async def test_an_unreachable_server_is_given_up_after_the_last_try(
    make: Factory, engines: Engines, clock: TestClock
) -> None:
    sender = sender_to(free_port())  # nothing listens there
    await run_pass(engines, sender)
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), customer=JANE)

    for _ in range(MAX_ATTEMPTS):
        assert await run_pass(engines, sender) == 1
        clock.advance(timedelta(hours=1))
    assert await run_pass(engines, sender) == 0

    [row] = await log_rows(engines)
    assert (row["status"], row["attempts"], row["next_try_at"]) == ("failed", MAX_ATTEMPTS, None)
    assert str(row["last_error"]).startswith("ConnectionRefusedError")


async def test_a_resend_is_a_new_log_row_sent_again(
    make: Factory, engines: Engines, smtp: SmtpServer, uow: UnitOfWork, read_uow: ReadUnitOfWork
) -> None:
    sender = sender_to(smtp.port)
    await run_pass(engines, sender)
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), customer=JANE)
    await run_pass(engines, sender)
    [original] = await log_rows(engines)

    [resent] = await service.resend(uow, [int(str(original["id"]))], sending=True)

    assert (resent.resend_of, resent.status, resent.attempts, resent.event_id) == (
        original["id"],
        EmailStatus.queued,
        0,
        None,
    )
    assert (resent.to, resent.subject) == ("jane@example.com", "Your order ORD-1 is confirmed")
    assert await run_pass(engines, sender) == 1
    assert [m.message["Subject"] for m in smtp.accepted] == ["Your order ORD-1 is confirmed"] * 2
    log = await service.customer_log(read_uow, None, PageRequest())
    assert [(e.id, e.status, e.resend_of) for e in log.items] == [
        (original["id"], EmailStatus.sent, None),
        (resent.id, EmailStatus.sent, original["id"]),
    ]


async def test_a_resend_naming_an_unknown_or_foreign_email_writes_nothing(
    make: Factory, engines: Engines, smtp: SmtpServer, uow: UnitOfWork
) -> None:
    sender = sender_to(smtp.port)
    await run_pass(engines, sender)
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), customer=JANE)
    await run_pass(engines, sender)
    [mine] = await log_rows(engines)
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    foreign = UnitOfWork(engines.write, other.account_id, actor="test")

    with pytest.raises(NotFoundError) as unknown:
        await service.resend(uow, [int(str(mine["id"])), 999], sending=True)
    with pytest.raises(NotFoundError) as not_theirs:
        await service.resend(foreign, [int(str(mine["id"]))], sending=True)
    with pytest.raises(ConflictError) as off:
        await service.resend(uow, [int(str(mine["id"]))], sending=False)
    with pytest.raises(InvalidRequestError) as none:
        await service.resend(uow, [], sending=True)

    assert (unknown.value.message, unknown.value.field) == ("e-mail 999 not found", "EmailIds[1]")
    assert not_theirs.value.field == "EmailIds[0]"
    assert off.value.message == "e-mail sending is off: SMTP is not configured"
    assert none.value.field == "EmailIds"
    assert len(await log_rows(engines)) == 1


async def test_forgetting_a_customer_erases_them_from_the_email_log(
    make: Factory,
    engines: Engines,
    flaky_smtp: SmtpServer,
    uow: UnitOfWork,
    read_uow: ReadUnitOfWork,
) -> None:
    sender = sender_to(flaky_smtp.port)
    await run_pass(engines, sender)
    customer = await customer_service.create_customer(
        uow, Person(email="jane@example.com", first_name="Jane", last_name="Roe")
    )
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), customer=JANE)
    await run_pass(engines, sender)  # refused once: still queued
    log = await service.customer_log(read_uow, customer.id, PageRequest())
    assert [(e.to, e.status) for e in log.items] == [("jane@example.com", EmailStatus.queued)]

    await customer_service.forget_customer(make.uow(), customer_service.CustomerRef(customer.id))

    [row] = await log_rows(engines)
    assert (row["to_address"], row["subject"], row["body_text"], row["body_html"]) == ("",) * 4
    assert (row["status"], row["last_error"]) == ("failed", FORGOTTEN_ERROR)
    assert "jane" not in repr(row).lower()
    assert "roe" not in repr(row).lower()
    after = await service.customer_log(
        ReadUnitOfWork(engines.read, uow.account_id), customer.id, PageRequest()
    )
    assert after.items == []
    assert await run_pass(engines, sender) == 0
    assert flaky_smtp.accepted == []


async def test_the_log_of_a_foreign_customer_is_not_found(
    engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    theirs = await customer_service.create_customer(
        UnitOfWork(engines.write, other.account_id, actor="test"), Person(email="x@example.com")
    )

    with pytest.raises(NotFoundError):
        await service.customer_log(read_uow, theirs.id, PageRequest())


async def test_an_address_no_message_can_carry_is_logged_as_failing_not_stuck(
    make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    sender = sender_to(smtp.port)
    await run_pass(engines, sender)
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), customer=Customer(email="a@example.com\nBcc: x@example.com"))

    assert await run_pass(engines, sender) == 1

    [row] = await log_rows(engines)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert str(row["last_error"]).startswith("ValueError")
    assert smtp.accepted == []


async def test_the_job_worker_sends_emails_when_given_a_sender(
    make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    from orderyard.services.worker import work

    stop = asyncio.Event()
    running = asyncio.create_task(
        work(engines, stop=stop, poll_seconds=0.05, emails=sender_to(smtp.port))
    )
    try:
        while not await cursor_started(engines):
            await asyncio.sleep(0.05)
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 10)
        await make.order(("SKU-1", 1), customer=JANE)
        deadline = time.monotonic() + 30
        while not smtp.accepted and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await running

    assert [m.message["Subject"] for m in smtp.accepted] == ["Your order ORD-1 is confirmed"]


async def cursor_started(engines: Engines) -> bool:
    async with SystemUnitOfWork(engines.read) as system:
        found = await system.conn.execute(select(email_cursor.c.position))
        return found.first() is not None
