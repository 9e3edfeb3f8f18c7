"""The idempotency key statements: a key inserted once, by its request's write or with the
answer of a request that wrote nothing; answers fenced by the claim and kept many in one
statement; the key committed with the request's write or not at all, a second write with it
failing whole; and on PostgreSQL answers that commit without waiting for the disk and leave
the session as it was."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text

from orderyard.domain.idempotency import KeyedRequest, KeyTakenError, StoredAnswer
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.services.account import NewAccount, create_account
from orderyard.store import keyed_writes
from orderyard.store.engine import Engines
from orderyard.store.keyed_writes import KeyedWrite
from orderyard.store.repositories.idempotency import ClaimedAnswer, KeptAnswers
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.statements import counted, on_the_driver

REQUEST = KeyedRequest("key-1", "POST", "/v1/orders", "f" * 64)
ANSWER = StoredAnswer(201, b'{"id": 1}', (("content-type", "application/json"),))


def keyed(uow: UnitOfWork, token: str, request: KeyedRequest = REQUEST) -> KeyedWrite:
    return KeyedWrite(AccountId(uow.account_id), request, token, utcnow() + timedelta(1))


async def written(work: UnitOfWork, token: str, request: KeyedRequest = REQUEST) -> KeyedWrite:
    """The key inserted as its request's write inserts it (taken: ``KeyTakenError``)."""
    key = keyed(work, token, request)
    await work.idempotency.add_written(key, now=utcnow())
    return key


def answered(uow: UnitOfWork, claim: str, request: KeyedRequest = REQUEST) -> ClaimedAnswer:
    return ClaimedAnswer(uow.account_id, request.scope, claim, ANSWER)


async def test_a_key_is_written_once_and_answered_by_its_claim_only(uow: UnitOfWork) -> None:
    second = keyed(uow, "b" * 32)
    async with uow.autocommitting() as work:
        await written(work, "a" * 32)
        with pytest.raises(KeyTakenError):
            await work.idempotency.add_written(second, now=utcnow())
        answers = KeptAnswers(work.conn)
        by_another = await answers.keep([answered(uow, "b" * 32)])
        by_the_claim = await answers.keep([answered(uow, "a" * 32)])
        found = await work.idempotency.find(REQUEST)

    assert (second.taken, by_another, by_the_claim) == (True, 0, 1)
    assert found is not None
    assert (found.claim, found.carried_out, found.answer) == ("a" * 32, True, ANSWER)


async def test_an_answer_without_a_write_is_kept_with_its_key_unless_the_key_is_held(
    uow: UnitOfWork,
) -> None:
    refused = StoredAnswer(409, b"{}", ())
    async with uow.autocommitting() as work:
        first = await work.idempotency.add_answered(REQUEST, "a" * 32, refused, now=utcnow())
        second = await work.idempotency.add_answered(REQUEST, "b" * 32, ANSWER, now=utcnow())
        found = await work.idempotency.find(REQUEST)

    assert (first, second) == (True, False)
    assert found is not None
    assert (found.claim, found.carried_out, found.answer) == ("a" * 32, False, refused)


async def test_answers_of_several_keys_are_kept_together_by_account_each_by_its_claim(
    uow: UnitOfWork, engines: Engines
) -> None:
    requests = [KeyedRequest(f"key-{n}", "POST", "/v1/orders", "f" * 64) for n in range(5)]
    other = (await create_account(SystemUnitOfWork(engines.write), "Other")).account_id
    async with uow.autocommitting() as work:
        for n, request in enumerate(requests):
            await written(work, f"{n}" * 32, request)
        batch = [answered(uow, f"{n}" * 32, request) for n, request in enumerate(requests)]
        batch[3] = answered(uow, "x" * 32, requests[3])  # not the claim that wrote the key
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
async def test_an_answer_without_a_write_goes_on_the_driver_leaving_the_session_as_it_was(
    uow: UnitOfWork,
) -> None:
    async with uow.autocommitting() as work:
        with on_the_driver() as driven:
            assert await work.idempotency.add_answered(REQUEST, "a" * 32, ANSWER, now=utcnow())
        setting = (await work.conn.execute(text("SHOW synchronous_commit"))).scalar_one()

    assert [statement.split()[0] for statement in driven] == ["INSERT"]
    assert setting == "on"


@pytest.mark.postgres
async def test_an_answer_without_a_write_commits_asynchronously(uow: UnitOfWork) -> None:
    async with uow as work:  # a transaction, so that its setting can be read before it ends
        assert await work.idempotency.add_answered(REQUEST, "a" * 32, ANSWER, now=utcnow())
        setting = (await work.conn.execute(text("SHOW synchronous_commit"))).scalar_one()

    assert setting == "off"


async def test_forgetting_and_ending_the_lease_are_fenced_by_the_claim(uow: UnitOfWork) -> None:
    now = utcnow()
    async with uow.autocommitting() as work:
        await written(work, "a" * 32)
        await work.idempotency.end_lease(REQUEST, "b" * 32, now=now)
        not_ended = await work.idempotency.find(REQUEST)
        await work.idempotency.end_lease(REQUEST, "a" * 32, now=now)
        ended = await work.idempotency.find(REQUEST)
        by_another = await work.idempotency.forget(REQUEST, "b" * 32)
        by_the_claim = await work.idempotency.forget(REQUEST, "a" * 32)
        gone = await work.idempotency.find(REQUEST)

    assert not_ended is not None
    assert ended is not None
    assert not_ended.lease_until > now
    assert ended.lease_until == now
    assert (by_another, by_the_claim, gone) == (False, True, None)


async def record_and_commit(uow: UnitOfWork, n: int = 1) -> None:
    async with uow as work:
        await work.events.record("thing_made", "thing", n)
        await work.commit()


class TestAUnitOfWorkClaimsTheRunningRequestsKey:
    async def test_when_it_commits(self, uow: UnitOfWork) -> None:
        with keyed_writes.carrying_out(keyed(uow, "a" * 32)) as key:
            await record_and_commit(uow)

        async with uow as work:
            found = await work.idempotency.find(REQUEST)
        assert found is not None
        assert (key.carried_out, found.claim, found.carried_out) == (True, "a" * 32, True)

    async def test_not_when_it_rolls_back(self, uow: UnitOfWork) -> None:
        with keyed_writes.carrying_out(keyed(uow, "a" * 32)) as key:
            async with uow as work:
                await work.events.record("thing_made", "thing", 1)  # left uncommitted

        async with uow as work:
            assert (key.carried_out, await work.idempotency.find(REQUEST)) == (False, None)

    async def test_once_however_many_times_it_commits(
        self, uow: UnitOfWork, engines: Engines
    ) -> None:
        with (
            keyed_writes.carrying_out(keyed(uow, "a" * 32)),
            counted(engines.write) as statements,
        ):
            for n in (1, 2):
                await record_and_commit(uow, n)

        assert statements == ["INSERT", "INSERT", "INSERT"]  # event, key; event

    async def test_not_for_a_write_of_another_account(
        self, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        other = await create_account(SystemUnitOfWork(engines.write), "Other")
        with keyed_writes.carrying_out(keyed(uow, "a" * 32)) as key:
            await record_and_commit(UnitOfWork(engines.write, other.account_id))

        async with uow as work:
            assert (key.carried_out, await work.idempotency.find(REQUEST)) == (False, None)

    async def test_a_write_meeting_the_key_held_commits_nothing(
        self, uow: UnitOfWork, make: Factory
    ) -> None:
        """Another request with the key wrote first: this one's write must not commit, or
        both would be carried out."""
        async with uow.autocommitting() as work:
            await written(work, "b" * 32)
            await work.commit()
        before = await count_rows(make, "events")

        with (
            keyed_writes.carrying_out(keyed(uow, "a" * 32)) as key,
            pytest.raises(KeyTakenError),
        ):
            await record_and_commit(uow)

        async with uow as work:
            found = await work.idempotency.find(REQUEST)
        assert found is not None
        assert (key.taken, key.carried_out, found.claim) == (True, False, "b" * 32)
        assert await count_rows(make, "events") == before


@pytest.mark.postgres
@pytest.mark.parametrize("first_commits", [True, False], ids=["commits", "rolls back"])
async def test_a_write_with_a_key_another_open_write_holds_waits_for_it(
    uow: UnitOfWork, make: Factory, first_commits: bool
) -> None:
    """Two requests with one key writing at once: the second's insert of the key waits for
    the first's transaction, then fails if it committed, or goes on if it rolled back."""
    before = await count_rows(make, "events")
    first_key, second_key = keyed(uow, "a" * 32), keyed(uow, "b" * 32)
    first = make.uow()

    async def second() -> None:
        with keyed_writes.carrying_out(second_key):
            await record_and_commit(make.uow(), 2)

    async with first:
        await first.events.record("thing_made", "thing", 1)
        await first.idempotency.add_written(first_key, now=utcnow())
        racing = asyncio.create_task(second())
        await asyncio.sleep(0.2)
        assert not racing.done()  # waiting on the first's uncommitted key
        if first_commits:
            await first.commit()
    outcome = await asyncio.gather(racing, return_exceptions=True)

    if first_commits:
        assert isinstance(outcome[0], KeyTakenError)
        assert (second_key.taken, await count_rows(make, "events")) == (True, before + 1)
    else:
        assert outcome == [None]
        assert (second_key.carried_out, await count_rows(make, "events")) == (True, before + 1)


@pytest.mark.postgres
async def test_the_answers_own_transaction_commits_asynchronously(uow: UnitOfWork) -> None:
    async with uow as work:  # a transaction, so that its setting can be read before it ends
        await written(work, "a" * 32)
        await work.conn.execute(text("SET LOCAL synchronous_commit = on"))
        assert await KeptAnswers(work.conn).keep([answered(uow, "a" * 32)]) == 1
        setting = (await work.conn.execute(text("SHOW synchronous_commit"))).scalar_one()

    assert setting == "off"
