"""One connection lent to the units of work of a request (``store/lending.py``).

Each unit keeps its own transaction on the lent connection: what one leaves uncommitted is
rolled back before the next, whatever the next one runs in (autocommit or a transaction).
"""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.values import AccountId
from orderyard.store.driver import autocommits
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.statements import checkouts


async def record_event(uow: UnitOfWork, n: int) -> None:
    await uow.events.record("noted", "test", n)


@pytest.mark.postgres
async def test_every_unit_of_the_loan_runs_on_one_checked_out_connection(
    make: Factory, uow: UnitOfWork, engines: Engines
) -> None:
    before = await count_rows(make, "events")
    with checkouts(engines.write) as made:
        async with uow.sharing_one_connection():
            async with uow.for_keys():
                pass
            for n in range(3):
                async with uow.autocommitting() as work:
                    await record_event(work, n)
            async with ReadUnitOfWork(engines.read, uow.account_id) as read:
                assert await read.conn.scalar(text("SELECT 1")) == 1

    assert len(made) == 1
    assert await count_rows(make, "events") == before + 3


@pytest.mark.postgres
async def test_a_unit_left_without_commit_leaves_nothing_to_the_next_one(
    make: Factory, uow: UnitOfWork
) -> None:
    before = await count_rows(make, "events")
    async with uow.sharing_one_connection():
        async with uow:
            await record_event(uow, 1)  # never committed
        autocommitting = uow.autocommitting()
        async with autocommitting:  # on the same connection, in autocommit: commits alone
            await record_event(autocommitting, 2)
        async with uow:
            await record_event(uow, 3)
            await uow.commit()

    assert await count_rows(make, "events") == before + 2


@pytest.mark.postgres
async def test_a_unit_opened_while_another_holds_the_loan_checks_out_its_own(
    make: Factory, uow: UnitOfWork, engines: Engines
) -> None:
    with checkouts(engines.write) as made:
        async with uow.sharing_one_connection(), uow:
            inner = UnitOfWork(engines.write, uow.account_id)
            async with inner:
                assert inner.conn is not uow.conn
                await record_event(inner, 1)
                await inner.commit()
            await record_event(uow, 2)
            await uow.commit()

    assert len(made) == 2


@pytest.mark.postgres
async def test_each_unit_gets_the_isolation_it_asks_for(uow: UnitOfWork, engines: Engines) -> None:
    async with uow.sharing_one_connection():
        async with uow:
            assert not autocommits(uow.conn)
            assert uow.conn.in_transaction()
        async with ReadUnitOfWork(engines.read, uow.account_id) as read:
            assert autocommits(read.conn)
        autocommitting = uow.autocommitting()
        async with autocommitting:
            assert autocommits(autocommitting.conn)
            await autocommitting.transaction()
            assert not autocommits(autocommitting.conn)
        async with uow.for_keys() as keys:
            assert autocommits(keys.conn)
        async with uow:
            assert not autocommits(uow.conn)


async def fail_after_losing_the_connection(uow: UnitOfWork, seen: list[AsyncConnection]) -> None:
    async with uow:
        seen.append(uow.conn)
        await record_event(uow, 1)
        await uow.conn.invalidate()  # the connection is gone in the middle of the unit
        raise RuntimeError("the unit failed")


@pytest.mark.postgres
async def test_a_spoilt_loan_is_not_lent_again(
    make: Factory, uow: UnitOfWork, engines: Engines
) -> None:
    before = await count_rows(make, "events")
    with checkouts(engines.write) as made:
        async with uow.sharing_one_connection():
            seen: list[AsyncConnection] = []
            with pytest.raises(RuntimeError):
                await fail_after_losing_the_connection(uow, seen)
            lent = seen[0]
            async with uow:
                assert uow.conn is not lent
                await record_event(uow, 2)
                await uow.commit()

    assert len(made) == 2
    assert await count_rows(make, "events") == before + 1


@pytest.mark.postgres
async def test_a_loan_inside_another_lends_nothing_new(engines: Engines, uow: UnitOfWork) -> None:
    async with uow.sharing_one_connection():
        async with uow:
            outer = uow.conn
        inner_loan = UnitOfWork(engines.write, AccountId(uow.account_id)).sharing_one_connection()
        async with inner_loan, uow:
            assert uow.conn is outer  # the outer loan goes on serving


async def test_sqlite_lends_nothing_each_unit_checks_out_its_own(
    make: Factory, uow: UnitOfWork, engines: Engines
) -> None:
    if engines.write.dialect.name != "sqlite":
        pytest.skip("SQLite's behaviour")
    with checkouts(engines.write) as made:
        async with uow.sharing_one_connection():
            for n in range(2):
                async with uow:
                    await record_event(uow, n)
                    await uow.commit()

    assert len(made) == 2
