"""Concurrent requests creating the same serials store each serial once, on both backends."""

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select

from orderyard.domain.errors import DuplicateError
from orderyard.services import serial as serial_service
from orderyard.services.serial import CreateSerials
from orderyard.store.engine import Engines, create_engines
from orderyard.store.tables import serials
from orderyard.store.uow import UnitOfWork
from tests.factories import Factory

pytestmark = pytest.mark.concurrency

REQUESTS = 12


async def test_racing_requests_for_the_same_serials_store_them_once(
    make: Factory, db_url: str, engines: Engines
) -> None:
    await make.item("SKU-1")
    wanted = tuple(f"SN{i:03d}" for i in range(50))
    pools = [create_engines(db_url, pool_size=REQUESTS) for _ in range(2)]
    try:
        outcomes = await asyncio.gather(
            *(
                serial_service.create_serials(
                    UnitOfWork(pools[n % 2].write, make.uow().account_id, actor="test"),
                    [CreateSerials("SKU-1", wanted)],
                )
                for n in range(REQUESTS)
            )
        )
    finally:
        for pool in pools:
            await pool.dispose()

    results = Counter("created" if o.error is None else type(o.error).__name__ for [o] in outcomes)
    assert results == {"created": 1, DuplicateError.__name__: REQUESTS - 1}
    assert {o.error.message for [o] in outcomes if o.error} == {
        "serial 'SN000' already exists for SKU 'SKU-1'"
    }
    async with engines.read.connect() as conn:
        stored = list((await conn.execute(select(serials.c.serial))).scalars())
    assert sorted(stored) == list(wanted)
