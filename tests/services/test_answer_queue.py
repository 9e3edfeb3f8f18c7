"""The answers of keyed requests, kept together: waiting in memory (and answering a retry from
there), written in one statement, written at once when the queue is not running, forgotten
when writing them fails, and all written when the queue is drained."""

import asyncio
from datetime import timedelta
from functools import partial

import pytest

from orderyard.domain.idempotency import KeyedRequest, Reused, StoredAnswer
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.services.account import NewAccount
from orderyard.services.answer_queue import AnswerQueue
from orderyard.store.engine import Engines
from orderyard.store.keyed_writes import KeyedWrite
from orderyard.store.repositories.idempotency import KeyRow
from orderyard.store.uow import AnswerUnitOfWork, UnitOfWork
from tests.aborts import answers_lost
from tests.statements import counted

ANSWER = StoredAnswer(201, b'{"id": 1}', (("content-type", "application/json"),))
REQUESTS = [KeyedRequest(f"key-{n}", "POST", "/v1/orders", "f" * 64) for n in range(3)]


def token(n: int) -> str:
    return f"{n}" * 32


@pytest.fixture
async def claimed(uow: UnitOfWork) -> list[KeyedRequest]:
    """Three keys, each written by its request's write as ``token(n)``, none answered yet."""
    now = utcnow()
    account = AccountId(uow.account_id)
    async with uow.autocommitting() as work:
        for n, request in enumerate(REQUESTS):
            keyed = KeyedWrite(account, request, token(n), now + timedelta(minutes=5))
            await work.idempotency.add_written(keyed, now=now)
        await work.commit()
    return REQUESTS


def queue(engines: Engines, *, delay: float = 60.0, started: bool = True) -> AnswerQueue:
    answers = AnswerQueue(partial(AnswerUnitOfWork, engines.write), delay=delay)
    if started:
        answers.start()
    return answers


async def rows(uow: UnitOfWork, requests: list[KeyedRequest]) -> list[KeyRow | None]:
    async with uow.autocommitting() as work:
        return [await work.idempotency.find(request) for request in requests]


async def keep_all(answers: AnswerQueue, account: NewAccount, requests: list[KeyedRequest]) -> None:
    for n, request in enumerate(requests):
        await answers.keep(account.account_id, request, token(n), ANSWER)


async def test_answers_wait_in_memory_and_are_written_together_when_drained(
    engines: Engines, account: NewAccount, uow: UnitOfWork, claimed: list[KeyedRequest]
) -> None:
    answers = queue(engines)

    await keep_all(answers, account, claimed)
    before = await rows(uow, claimed)
    with counted(engines.write) as statements:
        await answers.drain()
    after = await rows(uow, claimed)

    assert [row.answer if row else "gone" for row in before] == [None, None, None]
    assert statements == ["UPDATE"]
    assert [row.answer if row else None for row in after] == [ANSWER, ANSWER, ANSWER]


async def test_a_retry_is_answered_from_memory_while_its_answer_waits(
    engines: Engines, account: NewAccount, claimed: list[KeyedRequest]
) -> None:
    answers = queue(engines)
    await keep_all(answers, account, claimed[:1])
    other_body = KeyedRequest(claimed[0].key, "POST", "/v1/orders", "e" * 64)

    same = answers.waiting(account.account_id, claimed[0])
    other = answers.waiting(account.account_id, other_body)
    not_waiting = answers.waiting(account.account_id, claimed[1])
    await answers.drain()
    written = answers.waiting(account.account_id, claimed[0])

    assert (same, other, not_waiting, written) == (ANSWER, Reused(), None, None)


async def test_the_writer_keeps_them_after_the_delay_on_its_own(
    engines: Engines, account: NewAccount, uow: UnitOfWork, claimed: list[KeyedRequest]
) -> None:
    answers = queue(engines, delay=0.01)

    await keep_all(answers, account, claimed)
    for _ in range(100):
        if answers.waiting(account.account_id, claimed[-1]) is None:
            break
        await asyncio.sleep(0.01)
    found = await rows(uow, claimed)

    assert [row.answer if row else None for row in found] == [ANSWER, ANSWER, ANSWER]


async def test_a_queue_not_running_writes_each_answer_at_once(
    engines: Engines, account: NewAccount, uow: UnitOfWork, claimed: list[KeyedRequest]
) -> None:
    answers = queue(engines, started=False)

    await keep_all(answers, account, claimed[:1])
    found = await rows(uow, claimed[:1])

    assert found[0] is not None
    assert found[0].answer == ANSWER
    assert answers.waiting(account.account_id, claimed[0]) is None


async def test_answers_that_cannot_be_written_are_forgotten_and_their_keys_stay_unanswered(
    engines: Engines, account: NewAccount, uow: UnitOfWork, claimed: list[KeyedRequest]
) -> None:
    answers = queue(engines)

    async with answers_lost(engines, answers):
        await keep_all(answers, account, claimed)
    found = await rows(uow, claimed)

    assert [row.answer if row else "gone" for row in found] == [None, None, None]
    assert all(row is not None and row.claim == token(n) for n, row in enumerate(found))
    assert answers.waiting(account.account_id, claimed[0]) is None
