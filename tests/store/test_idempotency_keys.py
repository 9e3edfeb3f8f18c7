"""The idempotency key statements: a claim once per key, an answer fenced by its claim, and on
PostgreSQL a claim that commits without waiting for the disk and leaves the session as it was."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from orderyard.domain.idempotency import KeyedRequest, StoredAnswer
from orderyard.kit.clock import utcnow
from orderyard.store.uow import UnitOfWork
from tests.statements import on_the_driver

REQUEST = KeyedRequest("key-1", "POST", "/v1/orders", "f" * 64)
ANSWER = StoredAnswer(201, b'{"id": 1}', (("content-type", "application/json"),))


async def claim(work: UnitOfWork, token: str) -> bool:
    now = utcnow()
    return await work.idempotency.claim(REQUEST, token, now=now, lease_until=now + timedelta(1))


async def test_a_key_is_claimed_once_and_answered_by_its_claim_only(uow: UnitOfWork) -> None:
    async with uow.autocommitting() as work:
        first = await claim(work, "a" * 32)
        second = await claim(work, "b" * 32)
        by_another = await work.idempotency.answer(REQUEST, "b" * 32, ANSWER)
        by_the_claim = await work.idempotency.answer(REQUEST, "a" * 32, ANSWER)
        found = await work.idempotency.find(REQUEST)

    assert (first, second, by_another, by_the_claim) == (True, False, False, True)
    assert found is not None
    assert (found.claim, found.answer) == ("a" * 32, ANSWER)


@pytest.mark.postgres
async def test_the_claim_goes_on_the_driver_and_leaves_the_session_committing_synchronously(
    uow: UnitOfWork,
) -> None:
    async with uow.autocommitting() as work:
        with on_the_driver() as driven:
            assert await claim(work, "a" * 32)
        setting = (await work.conn.execute(text("SHOW synchronous_commit"))).scalar_one()

    assert [statement.split()[0] for statement in driven] == ["INSERT"]
    assert setting == "on"


@pytest.mark.postgres
async def test_the_claims_own_transaction_commits_asynchronously(uow: UnitOfWork) -> None:
    async with uow as work:  # a transaction, so that its setting can be read before it ends
        assert await claim(work, "a" * 32)
        setting = (await work.conn.execute(text("SHOW synchronous_commit"))).scalar_one()

    assert setting == "off"
