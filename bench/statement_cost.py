"""What one SELECT costs this process, by how it is executed (CPU per statement).

Runs the same one-row SELECT of an order thousands of times inside one transaction and prints
the CPU this process spent per execution: built per call with SQLAlchemy Core; prebuilt with
bind parameters; through ``exec_driver_sql``; and on the asyncpg connection underneath. It is
the measurement behind "statements built once" and behind what a driver-level hot path would
save (bench/README.md).

    .venv/bin/python -m bench.statement_cost
"""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import create_async_engine

from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.db import ensure_database
from orderyard.store.migrate import upgrade
from orderyard.store.tables import orders

COUNT = 3000


async def per_call_us(run: Callable[[], Awaitable[object]]) -> float:
    """CPU microseconds per call of ``run``, after a warm-up."""
    for _ in range(200):
        await run()
    start = time.process_time()
    for _ in range(COUNT):
        await run()
    return (time.process_time() - start) / COUNT * 1e6


async def main_async(url: str) -> None:
    engine = create_async_engine(url)
    prebuilt = select(orders).where(
        orders.c.account_id == bindparam("account"), orders.c.id == bindparam("order")
    )
    sql = str(prebuilt.compile(engine.sync_engine))
    positional = sql.replace("%(account)s", "$1").replace("%(order)s", "$2")
    async with engine.connect() as conn:
        await conn.begin()
        driver = (await conn.get_raw_connection()).driver_connection
        await conn.execute(prebuilt, {"account": 1, "order": 1})  # starts the transaction
        ways: list[tuple[str, Callable[[], Awaitable[object]]]] = [
            (
                "Core statement built per call",
                lambda: conn.execute(
                    select(orders).where(orders.c.account_id == 1, orders.c.id == 1)
                ),
            ),
            (
                "prebuilt, bind parameters",
                lambda: conn.execute(prebuilt, {"account": 1, "order": 1}),
            ),
            ("exec_driver_sql", lambda: conn.exec_driver_sql(positional, (1, 1))),
            ("asyncpg fetch (the driver)", lambda: driver.fetch(positional, 1, 1)),  # type: ignore[union-attr]
        ]
        for name, run in ways:
            print(f"{name:<32} {await per_call_us(run):7.1f} µs CPU per SELECT")
    await engine.dispose()


def main() -> None:
    """Measure on the benchmark database (``BENCH_PG_DSN``), migrating it if needed."""
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    ensure_database(dsn)
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    upgrade(url)
    asyncio.run(main_async(url))


if __name__ == "__main__":
    main()
