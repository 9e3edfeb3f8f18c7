"""Emails API over HTTP: a customer's e-mail log and resend, with their bad inputs."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from orderyard.app import create_app
from orderyard.domain.staff import Role
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings, SmtpSettings
from orderyard.store.engine import Engines
from tests.dialects.event_walk import witnessed
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.orderdynamics.test_staff import as_staff, member, token_for
from tests.emails.smtp_server import SmtpServer
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.services.test_emails import JANE, run_pass, sender_to

EMAILS = "/v1/emails"
RESEND = "/v1/emails/ResendEmails"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
async def mailing(
    db_url: str, account: NewAccount, smtp: SmtpServer
) -> AsyncIterator[httpx.AsyncClient]:
    """An OrderDynamics client of a server whose SMTP is configured (the test's server)."""
    smtp_settings = SmtpSettings(host="127.0.0.1", port=smtp.port)
    app = create_app(
        Settings(database=DatabaseSettings(url=db_url, pool_size=5), smtp=smtp_settings)
    )
    async with (
        witnessed(app) as witness,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=witness),
            base_url="http://orderyard.test",
            headers={"Ocp-Apim-Subscription-Key": account.key},
        ) as http,
    ):
        yield http
    await app.state.orderyard.engines.dispose()


async def jane_with_a_confirmation(
    http: httpx.AsyncClient, make: Factory, engines: Engines, smtp: SmtpServer
) -> int:
    """Jane, a customer; her order's confirmation sent. Returns her internal id."""
    sender = sender_to(smtp.port)
    await run_pass(engines, sender)
    made = await http.post(
        "/v1/customers",
        json={"Email": "jane@example.com", "FirstName": "Jane", "LastName": "Roe"},
    )
    assert made.status_code == 201, made.text
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    await make.order(("SKU-1", 1), number="ORD-9", customer=JANE)
    await make.order(("SKU-1", 1), number="ORD-10")  # someone else's (no e-mail)
    await run_pass(engines, sender)
    return int(made.json()["InternalCustomerId"])


async def written(make: Factory) -> tuple[int, int]:
    return await count_rows(make, "emails"), await count_rows(make, "events")


async def test_a_customers_log_lists_the_emails_of_their_orders(
    mailing: httpx.AsyncClient, make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    customer_id = await jane_with_a_confirmation(mailing, make, engines, smtp)

    response = await mailing.get(EMAILS, params={"InternalCustomerId": customer_id})

    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["TotalCount"], page["PageNumber"], page["TotalPages"]) == (1, 1, 1)
    [email] = page["Items"]
    assert {key: email[key] for key in ("To", "Subject", "Status", "Attempts", "LastError")} == {
        "To": "jane@example.com",
        "Subject": "Your order ORD-9 is confirmed",
        "Status": "sent",
        "Attempts": 1,
        "LastError": "",
    }
    assert (email["Template"], email["OrderNumber"], email["ResendOfEmailId"]) == (
        "order_confirmation",
        "ORD-9",
        None,
    )
    assert email["EventId"].startswith("evt_")
    assert [m.recipients for m in smtp.accepted] == [["jane@example.com"]]


async def test_a_resend_queues_a_new_entry_that_the_worker_sends(
    mailing: httpx.AsyncClient, make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    customer_id = await jane_with_a_confirmation(mailing, make, engines, smtp)
    log = (await mailing.get(EMAILS, params={"InternalCustomerId": customer_id})).json()
    original = log["Items"][0]["EmailId"]
    emails_before, events_before = await written(make)

    response = await mailing.post(RESEND, json={"emailIds": [original]})

    assert response.status_code == 200, response.text
    assert await written(make) == (emails_before + 1, events_before + 1)  # email_resent
    [resent] = response.json()["Emails"]
    assert (resent["ResendOfEmailId"], resent["Status"], resent["Attempts"], resent["EventId"]) == (
        original,
        "queued",
        0,
        None,
    )
    await run_pass(engines, sender_to(smtp.port))
    assert [m.message["Subject"] for m in smtp.accepted] == ["Your order ORD-9 is confirmed"] * 2
    newest_first = await mailing.get(
        EMAILS,
        params={"InternalCustomerId": customer_id, "SortByColumn": "emailid", "Ascending": False},
    )
    assert [(e["EmailId"], e["Status"]) for e in newest_first.json()["Items"]] == [
        (resent["EmailId"], "sent"),
        (original, "sent"),
    ]


async def test_an_unknown_or_foreign_customer_is_a_404(
    mailing: httpx.AsyncClient, od: httpx.AsyncClient, other_key: str
) -> None:
    theirs = await od.post(
        "/v1/customers",
        json={"Email": "x@example.com"},
        headers={"Ocp-Apim-Subscription-Key": other_key},
    )
    foreign = theirs.json()["InternalCustomerId"]

    problem(await mailing.get(EMAILS, params={"InternalCustomerId": foreign}), 404)
    problem(await mailing.get(EMAILS, params={"InternalCustomerId": 999}), 404)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"InternalCustomerId": "abc"}, "InternalCustomerId"),
        ({"InternalCustomerId": 0}, "InternalCustomerId"),
        ({"SortByColumn": "To"}, "SortByColumn"),
        ({"Ascending": "sideways"}, "Ascending"),
        ({"pageSize": 0}, "pageSize"),
    ],
)
async def test_bad_log_parameters_are_400s_naming_them(
    od: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    body = problem(await od.get(EMAILS, params=params), 400)

    assert field in body["errors"], body


async def test_resending_an_unknown_or_foreign_email_writes_nothing(
    mailing: httpx.AsyncClient,
    make: Factory,
    engines: Engines,
    smtp: SmtpServer,
    other_key: str,
) -> None:
    customer_id = await jane_with_a_confirmation(mailing, make, engines, smtp)
    mine = (await mailing.get(EMAILS, params={"InternalCustomerId": customer_id})).json()
    email_id = mine["Items"][0]["EmailId"]
    before = await written(make)

    unknown = problem(await mailing.post(RESEND, json={"EmailIds": [email_id, 999]}), 404)
    foreign = await mailing.post(
        RESEND, json={"EmailIds": [email_id]}, headers={"Ocp-Apim-Subscription-Key": other_key}
    )

    assert unknown["detail"] == "e-mail 999 not found"
    problem(foreign, 404)
    assert await written(make) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "EmailIds"),
        ({"EmailIds": []}, "EmailIds"),
        ({"EmailIds": "1"}, "EmailIds"),
        ({"EmailIds": ["one"]}, "EmailIds[0]"),
        ({"EmailIds": [1.5]}, "EmailIds[0]"),
        ({"EmailIds": [0]}, "EmailIds[0]"),
    ],
)
async def test_a_malformed_resend_is_a_400_naming_the_field(
    mailing: httpx.AsyncClient, make: Factory, body: dict[str, Any], field: str
) -> None:
    before = await written(make)

    answer = problem(await mailing.post(RESEND, json=body), 400)

    assert field in answer["errors"], answer
    assert await written(make) == before


async def test_a_resend_while_smtp_is_not_configured_is_a_409(
    od: httpx.AsyncClient, make: Factory
) -> None:
    body = problem(await od.post(RESEND, json={"EmailIds": [1]}), 409)

    assert body["detail"] == "e-mail sending is off: SMTP is not configured"
    assert await written(make) == (0, 0)


async def test_after_forget_no_log_answers_the_persons_email_or_name(
    mailing: httpx.AsyncClient, make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    customer_id = await jane_with_a_confirmation(mailing, make, engines, smtp)

    forgot = await mailing.post("/v1/customers/Forget", json={"InternalCustomerId": customer_id})

    assert forgot.status_code == 200, forgot.text
    theirs = (await mailing.get(EMAILS, params={"InternalCustomerId": customer_id})).json()
    assert (theirs["TotalCount"], theirs["Items"]) == (0, [])
    everyone = await mailing.get(EMAILS)
    [erased] = everyone.json()["Items"]
    assert (erased["To"], erased["Subject"], erased["Status"]) == ("", "", "sent")
    assert "jane" not in everyone.text.lower()
    assert "roe" not in everyone.text.lower()
    body = problem(await mailing.post(RESEND, json={"EmailIds": [erased["EmailId"]]}), 409)
    assert body["detail"] == f"e-mail {erased['EmailId']} has no recipient (forgotten)"


async def test_a_read_only_staff_token_reads_the_log_but_cannot_resend(
    mailing: httpx.AsyncClient, make: Factory, engines: Engines, smtp: SmtpServer
) -> None:
    customer_id = await jane_with_a_confirmation(mailing, make, engines, smtp)
    reader = await member(make, role=Role.READ_ONLY)
    token = await token_for(mailing, reader)
    params = {"InternalCustomerId": customer_id}
    email_id = (await mailing.get(EMAILS, params=params)).json()["Items"][0]["EmailId"]
    before = await written(make)

    read = await as_staff(mailing, "GET", EMAILS, token, params=params)
    write = await as_staff(mailing, "POST", RESEND, token, json={"EmailIds": [email_id]})

    assert read.json()["TotalCount"] == 1
    assert problem(write, 403)["detail"] == "a read-only staff member cannot change anything"
    assert await written(make) == before
