"""Units of work: one transaction, or (autocommitting, on PostgreSQL) one per statement until
``transaction()``."""

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.idempotency import KeyedRequest, StoredAnswer
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store.engine import Engines
from orderyard.store.transaction import watching_commits
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows


async def record_event(uow: UnitOfWork, n: int) -> None:
    await uow.events.record("noted", "test", n)


async def test_a_unit_of_work_left_without_commit_writes_nothing(
    make: Factory, uow: UnitOfWork
) -> None:
    before = await count_rows(make, "events")
    async with uow:
        await record_event(uow, 1)

    assert await count_rows(make, "events") == before


async def test_autocommitting_statements_commit_alone_until_a_transaction_begins(
    make: Factory, uow: UnitOfWork
) -> None:
    before = await count_rows(make, "events")
    autocommitting = uow.autocommitting()
    async with autocommitting:
        await record_event(autocommitting, 1)
        await autocommitting.transaction()
        assert not autocommitting.autocommits
        await record_event(autocommitting, 2)
        await record_event(autocommitting, 3)

    kept = {"postgresql": 1, "sqlite": 0}[make.engines.write.dialect.name]
    assert await count_rows(make, "events") == before + kept


async def test_after_a_transaction_the_connection_goes_back_to_transactions(
    make: Factory, uow: UnitOfWork
) -> None:
    autocommitting = uow.autocommitting()
    async with autocommitting:
        await record_event(autocommitting, 1)
    before = await count_rows(make, "events")

    for _ in range(12):  # more than the pool holds: the connection it used comes round again
        async with make.uow() as plain:
            assert not plain.autocommits
            await record_event(plain, 2)

    assert await count_rows(make, "events") == before


async def test_a_read_begins_a_transaction_only_where_it_is_not_autocommitting(
    make: Factory, engines: Engines
) -> None:
    """PostgreSQL reads autocommit, so a read that runs only driver statements never begins a
    transaction (nor rolls one back); SQLite reads begin at once, for one snapshot."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 2)
    placed = await make.order(("SKU-1", 1))
    begun: list[object] = []
    listener = begun.append

    event.listen(engines.read.sync_engine, "begin", listener)
    try:
        async with ReadUnitOfWork(engines.read, AccountId(make.account_id)) as read:
            found = await read.orders.get("id", placed.order_id or 0)
    finally:
        event.remove(engines.read.sync_engine, "begin", listener)

    assert found is not None
    assert len(begun) == {"postgresql": 0, "sqlite": 1}[engines.read.dialect.name]


@pytest.mark.postgres
async def test_an_autocommitting_unit_of_driver_statements_has_nothing_to_commit(
    uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its statements committed as they ran: ``commit()`` does not even ask SQLAlchemy (a
    greenlet hop for nothing); one that ran a statement through SQLAlchemy commits it."""
    asked: list[object] = []
    commit = AsyncConnection.commit

    async def counted_commit(conn: AsyncConnection) -> None:
        asked.append(conn)
        await commit(conn)

    monkeypatch.setattr(AsyncConnection, "commit", counted_commit)
    async with uow.for_keys() as keys:
        request = KeyedRequest("k-1", "POST", "/x", "f" * 64)
        answer = StoredAnswer(400, b"{}", ())
        await keys.idempotency.add_answered(request, "a" * 32, answer, now=utcnow())
        await keys.commit()
    on_the_driver_alone = len(asked)
    autocommitting = uow.autocommitting()
    async with autocommitting:
        await record_event(autocommitting, 1)
        await autocommitting.commit()

    assert (on_the_driver_alone, len(asked)) == (0, 1)


async def test_turning_to_a_transaction_commits_nothing_the_retry_must_know_of(
    uow: UnitOfWork,
) -> None:
    """Reads autocommitted, then a transaction PostgreSQL aborts (a deadlock): nothing was
    written, so ``http/retry.py`` may run the request again."""
    with watching_commits() as watch, pytest.raises(RuntimeError):
        await abort_after_turning_to_a_transaction(uow.autocommitting())

    assert watch.committed is False


async def abort_after_turning_to_a_transaction(autocommitting: UnitOfWork) -> None:
    async with autocommitting:
        await autocommitting.transaction()
        await record_event(autocommitting, 1)
        raise RuntimeError("aborted")


async def test_an_order_placed_in_its_own_statement_counts_as_committed(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 2)

    with watching_commits() as watch:
        await make.order(("SKU-1", 1))

    assert watch.committed is True
