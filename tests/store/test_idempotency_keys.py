"""The idempotency key statements: a claim once per key, an answer and a mark fenced by the
claim, many answers in one statement, the mark committed with the request's write, and on
PostgreSQL a claim and answers that commit without waiting for the disk and leave the session
as it was."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from orderyard.domain.idempotency import KeyedRequest, KeyTakenOverError, StoredAnswer
from orderyard.kit.clock import utcnow
from orderyard.services.account import NewAccount, create_account
from orderyard.store import keyed_writes
from orderyard.store.engine import Engines
from orderyard.store.repositories.idempotency import ClaimedAnswer, KeptAnswers
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.statements import counted, on_the_driver

REQUEST = KeyedRequest("key-1", "POST", "/v1/orders", "f" * 64)
ANSWER = StoredAnswer(201, b'{"id": 1}', (("content-type", "application/json"),))


async def claim(work: UnitOfWork, token: str) -> bool:
    now = utcnow()
    return await work.idempotency.claim(REQUEST, token, now=now, lease_until=now + timedelta(1))


def answered(uow: UnitOfWork, claim: str, request: KeyedRequest = REQUEST) -> ClaimedAnswer:
    return ClaimedAnswer(uow.account_id, request.scope, claim, ANSWER)


async def test_a_key_is_claimed_once_and_answered_by_its_claim_only(uow: UnitOfWork) -> None:
    async with uow.autocommitting() as work:
        first = await claim(work, "a" * 32)
        second = await claim(work, "b" * 32)
        answers = KeptAnswers(work.conn)
        by_another = await answers.keep([answered(uow, "b" * 32)])
        by_the_claim = await answers.keep([answered(uow, "a" * 32)])
        found = await work.idempotency.find(REQUEST)

    assert (first, second, by_another, by_the_claim) == (True, False, 0, 1)
    assert found is not None
    assert (found.claim, found.answer) == ("a" * 32, ANSWER)


async def test_answers_of_several_keys_are_kept_together_by_account_each_by_its_claim(
    uow: UnitOfWork, engines: Engines
) -> None:
    requests = [KeyedRequest(f"key-{n}", "POST", "/v1/orders", "f" * 64) for n in range(5)]
    now = utcnow()
    other = (await create_account(SystemUnitOfWork(engines.write), "Other")).account_id
    async with uow.autocommitting() as work:
        for n, request in enumerate(requests):
            assert await work.idempotency.claim(
                request, f"{n}" * 32, now=now, lease_until=now + timedelta(1)
            )
        batch = [answered(uow, f"{n}" * 32, request) for n, request in enumerate(requests)]
        batch[3] = answered(uow, "x" * 32, requests[3])  # a claim lost meanwhile
        batch[4] = ClaimedAnswer(other, requests[4].scope, "4" * 32, ANSWER)  # another account
        with counted(work.conn.engine) as statements:
            kept = await KeptAnswers(work.conn).keep(batch)
        found = [await work.idempotency.find(request) for request in requests]

    assert kept == 3
    one_per_account = (
        ["UPDATE", "UPDATE"] if engines.write.dialect.name == "postgresql" else ["UPDATE"]
    )
    assert statements == one_per_account
    assert [f.answer if f else None for f in found] == [ANSWER, ANSWER, ANSWER, None, None]


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


async def carried_out(work: UnitOfWork) -> bool:
    found = await work.idempotency.find(REQUEST)
    assert found is not None
    return found.carried_out


async def test_the_mark_is_fenced_by_the_claim(uow: UnitOfWork) -> None:
    async with uow.autocommitting() as work:
        assert await claim(work, "a" * 32)
        await work.idempotency.mark_carried_out(REQUEST.scope, "b" * 32)
        by_another = await carried_out(work)
        await work.idempotency.mark_carried_out(REQUEST.scope, "a" * 32)
        by_the_claim = await carried_out(work)

    assert (by_another, by_the_claim) == (False, True)


async def test_a_release_forgets_a_key_not_carried_out_and_ends_the_lease_of_one_that_was(
    uow: UnitOfWork,
) -> None:
    now = utcnow()
    async with uow.autocommitting() as work:
        assert await claim(work, "a" * 32)
        forgotten = await work.idempotency.release(REQUEST, "a" * 32, now=now)
        gone = await work.idempotency.find(REQUEST)
        assert await claim(work, "b" * 32)
        await work.idempotency.mark_carried_out(REQUEST.scope, "b" * 32)
        kept = await work.idempotency.release(REQUEST, "b" * 32, now=now)
        left = await work.idempotency.find(REQUEST)

    assert (forgotten, gone, kept) == (True, None, False)
    assert left is not None
    assert (left.claim, left.carried_out, left.lease_until, left.answer) == (
        "b" * 32,
        True,
        now,
        None,
    )


class TestAUnitOfWorkMarksTheRunningRequestsKey:
    @pytest.fixture(autouse=True)
    async def claimed(self, uow: UnitOfWork) -> None:
        """The key claimed with token ``a...a``, committed."""
        async with uow.autocommitting() as work:
            assert await claim(work, "a" * 32)
            await work.commit()

    async def test_when_it_commits(self, uow: UnitOfWork, account: NewAccount) -> None:
        with keyed_writes.carrying_out(account.account_id, REQUEST.scope, "a" * 32) as keyed:
            async with uow as work:
                await work.events.record("thing_made", "thing", 1)
                await work.commit()

        async with uow as work:
            assert (keyed.carried_out, await carried_out(work)) == (True, True)

    async def test_not_when_it_rolls_back(self, uow: UnitOfWork, account: NewAccount) -> None:
        with keyed_writes.carrying_out(account.account_id, REQUEST.scope, "a" * 32) as keyed:
            async with uow as work:
                await work.events.record("thing_made", "thing", 1)  # left uncommitted

        async with uow as work:
            assert (keyed.carried_out, await carried_out(work)) == (False, False)

    async def test_once_however_many_times_it_commits(
        self, uow: UnitOfWork, account: NewAccount, engines: Engines
    ) -> None:
        with (
            keyed_writes.carrying_out(account.account_id, REQUEST.scope, "a" * 32),
            counted(engines.write) as statements,
        ):
            for n in (1, 2):
                async with uow as work:
                    await work.events.record("thing_made", "thing", n)
                    await work.commit()

        assert statements == ["INSERT", "UPDATE", "INSERT"]

    async def test_not_once_a_retry_took_the_key_over_and_then_nothing_commits(
        self, uow: UnitOfWork, make: Factory, account: NewAccount
    ) -> None:
        """The request ran past its lease; a retry replaced its claim. Its late write must
        not commit, or both runs would be carried out."""
        await take_over(uow, was="a" * 32, by="b" * 32)
        before = await count_rows(make, "events")

        with (
            keyed_writes.carrying_out(account.account_id, REQUEST.scope, "a" * 32) as keyed,
            pytest.raises(KeyTakenOverError),
        ):
            await record_and_commit(uow)

        async with uow as work:
            found = await work.idempotency.find(REQUEST)
        assert found is not None
        assert (keyed.carried_out, found.claim, found.carried_out) == (False, "b" * 32, False)
        assert await count_rows(make, "events") == before


async def take_over(uow: UnitOfWork, *, was: str, by: str) -> bool:
    """A retry's takeover of the key claimed by ``was``, as ``services.idempotency`` does."""
    now = utcnow()
    async with uow.autocommitting() as work:
        replaced = await work.idempotency.replace(
            REQUEST, was=was, claim=by, now=now, lease_until=now + timedelta(1), expired=False
        )
        await work.commit()
    return replaced


async def record_and_commit(uow: UnitOfWork) -> None:
    async with uow as work:
        await work.events.record("thing_made", "thing", 1)
        await work.commit()


async def test_a_key_its_request_marked_carried_out_is_not_taken_over(
    uow: UnitOfWork, account: NewAccount
) -> None:
    """The slow request committed (marked) between the retry's read and its takeover."""
    async with uow.autocommitting() as work:
        assert await claim(work, "a" * 32)
        await work.commit()
    with keyed_writes.carrying_out(account.account_id, REQUEST.scope, "a" * 32):
        await record_and_commit(uow)

    assert await take_over(uow, was="a" * 32, by="b" * 32) is False


@pytest.mark.postgres
async def test_the_answers_own_transaction_commits_asynchronously(uow: UnitOfWork) -> None:
    async with uow as work:  # a transaction, so that its setting can be read before it ends
        assert await claim(work, "a" * 32)
        await work.conn.execute(text("SET LOCAL synchronous_commit = on"))
        assert await KeptAnswers(work.conn).keep([answered(uow, "a" * 32)]) == 1
        setting = (await work.conn.execute(text("SHOW synchronous_commit"))).scalar_one()

    assert setting == "off"
