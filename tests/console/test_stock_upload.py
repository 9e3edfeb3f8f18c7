"""The on-hand CSV upload over HTTP: queued as a bulk job, followed live, refusals that queue
nothing (no CSRF token, a read-only member, a file that cannot be read)."""

import re

import httpx
import pytest

from orderyard.domain.staff import Role
from orderyard.domain.values import PageRequest
from orderyard.services import account as account_service
from orderyard.services import jobs as jobs_service
from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork
from tests.console.conftest import Member, add_staff, events_of, sign_in
from tests.factories import Factory
from tests.services.checks import level

GOOD_AND_BAD = b"sku,location,quantity\nSKU-1,DC-1,7\nNOPE,DC-1,3\nSKU-2,DC-1,x\nSKU-2,DC-1,4\n"


@pytest.fixture
async def catalog(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.item("SKU-2")


async def job_count(engines: Engines, account: NewAccount) -> int:
    read = ReadUnitOfWork(engines.read, account.account_id)
    return (await jobs_service.list_jobs(read, PageRequest())).total


async def upload(console: httpx.AsyncClient, csrf: str | None, content: bytes) -> httpx.Response:
    """Send ``content`` as the upload form's file (with the CSRF token, unless None)."""
    data = {} if csrf is None else {"csrf_token": csrf}
    files = {"file": ("counts.csv", content, "text/csv")}
    return await console.post("/stock/upload", data=data, files=files)


@pytest.mark.usefixtures("catalog")
async def test_a_file_is_queued_followed_and_its_bad_rows_reported_when_done(
    console: httpx.AsyncClient,
    operator: Member,
    engines: Engines,
    account: NewAccount,
    make: Factory,
) -> None:
    csrf = await sign_in(console, operator)

    answer = await upload(console, csrf, GOOD_AND_BAD)

    assert answer.status_code == 303
    found = re.fullmatch(r"/console/jobs/(\d+)\?uploaded=1", answer.headers["location"])
    assert found is not None
    job_id = found.group(1)
    queued = await console.get(f"/jobs/{job_id}?uploaded=1")
    assert "The file is queued: 4 rows." in queued.text
    assert 'hx-trigger="every 1s"' in queued.text
    assert "0 of 4 rows done (0 %)" in queued.text

    await worker_service.run_pending(engines, worker="w1")
    done = await console.get(f"/jobs/{job_id}/progress")

    assert done.status_code == 200
    assert "hx-trigger" not in done.text  # the polling stops
    assert '<progress id="job-bar" max="4" value="4">' in done.text
    assert "4 of 4 rows done (100 %): 2 applied, 2 failed." in done.text
    failures = re.findall(
        r'<tr><td class="num">(\d+)</td><td>(\w+)</td><td>([^<]+)</td></tr>', done.text
    )
    assert failures == [
        ("2", "sku", "unknown SKU &#39;NOPE&#39;"),
        (
            "3",
            "quantity",
            "the quantity must be a whole number from 0 to 2147483647, not &#39;x&#39;",
        ),
    ]
    assert await level(make, "DC-1", "SKU-1") == (7, 0)
    assert await level(make, "DC-1", "SKU-2") == (4, 0)
    [submitted] = [
        e for e in await events_of(engines, account.account_id) if e.kind == "job_submitted"
    ]
    assert submitted.actor == f"staff:{operator.id}"


@pytest.mark.usefixtures("catalog")
async def test_the_upload_form_documents_the_format_and_carries_the_token(
    console: httpx.AsyncClient, admin: Member
) -> None:
    csrf = await sign_in(console, admin)

    page = await console.get("/stock/upload")

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert f'name="csrf_token" value="{csrf}"' in page.text
    assert "sku,location,quantity\nPROD-001,DC-1,120" in page.text


async def test_a_read_only_member_sees_no_form_and_is_refused(
    console: httpx.AsyncClient, reader: Member, engines: Engines, account: NewAccount
) -> None:
    csrf = await sign_in(console, reader)

    page = await console.get("/stock/upload")
    refused = await upload(console, csrf, GOOD_AND_BAD)

    assert 'type="file"' not in page.text
    assert refused.status_code == 403
    assert "a read-only staff member cannot change anything" in refused.text
    assert await job_count(engines, account) == 0


async def test_an_upload_without_the_csrf_token_queues_nothing(
    console: httpx.AsyncClient, admin: Member, engines: Engines, account: NewAccount
) -> None:
    await sign_in(console, admin)

    refused = await upload(console, None, GOOD_AND_BAD)

    assert refused.status_code == 403
    assert "nothing was changed" in refused.text
    assert await job_count(engines, account) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "choose a CSV file to upload"),
        (b"sku,where,quantity\nA,B,1\n", "column 2 of the header (line 1) is &#39;where&#39;"),
        (b"sku,location,quantity\n", "the file has a header but no rows"),
        (b"sku,location,quantity\nA,B,1,9\n", "line 2 has 4 cells, the header 3"),
    ],
)
async def test_a_file_that_cannot_be_read_queues_nothing(
    console: httpx.AsyncClient,
    admin: Member,
    engines: Engines,
    account: NewAccount,
    content: bytes,
    message: str,
) -> None:
    csrf = await sign_in(console, admin)

    refused = await upload(console, csrf, content)

    assert refused.status_code == 400
    assert "The file was not queued:" in refused.text
    assert message in refused.text
    assert await job_count(engines, account) == 0


async def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(
    console: httpx.AsyncClient, admin: Member, engines: Engines, account: NewAccount
) -> None:
    csrf = await sign_in(console, admin)
    content = b"sku,location,quantity\n" + b"SKU-1,DC-1,1\n" * 700_000

    refused = await upload(console, csrf, content)

    assert refused.status_code == 413
    assert await job_count(engines, account) == 0


async def test_an_unknown_or_another_accounts_job_is_not_found(
    console: httpx.AsyncClient, admin: Member, make: Factory, engines: Engines
) -> None:
    job = await jobs_service.submit_on_hand(make.uow(), [("SKU-1", "DC-1", 1)])
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    stranger = await add_staff(engines, other.account_id, "x@other.example", Role.ADMIN)
    await sign_in(console, stranger)

    foreign = await console.get(f"/jobs/{job.id}")
    missing = await console.get("/jobs/999999")
    not_an_id = await console.get("/jobs/abc/progress")
    listed = await console.get("/jobs")

    assert (foreign.status_code, missing.status_code, not_an_id.status_code) == (404, 404, 404)
    assert f"job {job.id} not found" in foreign.text
    assert "No job." in listed.text
