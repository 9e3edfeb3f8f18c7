"""Python CPU per request, in-process: the quiet-machine companion of the load run.

The load run measures throughput against ceilings, but on a shared 2-core machine its figures
move with the neighbours. This probe drives the ASGI app in this process (httpx's
``ASGITransport``, no sockets, no uvicorn) one request at a time against PostgreSQL and
reports the CPU time this process spent per request (``time.process_time``): what the
server's Python costs, which barely moves when the machine is busy. Beside it, the CPU that
PostgreSQL's processes spent meanwhile (they run on this machine; ``/proc`` via psutil), and the
same two figures for the raw ceilings (``bench/ceilings/raw_insert_app.py``, driven the same
way), so an Orderyard request can be set against the least its work could cost on both sides.

    .venv/bin/python -m bench.cpu                      # every probe, 2,000 requests each
    .venv/bin/python -m bench.cpu --only create --count 4000
    .venv/bin/python -m bench.cpu --only create --profile /tmp/create.pyisession
"""

import argparse
import asyncio
import contextlib
import os
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]
import httpx

from bench import core_setup, orderyard_scenarios, scenarios
from bench.ceilings import raw_insert_app
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.db import ensure_database
from bench.load import ORDER_NUMBER
from bench.machine import postgres_cpu_seconds
from orderyard.app import create_app
from orderyard.settings import DatabaseSettings, RateLimitSettings, Settings
from orderyard.store import driver
from orderyard.store.migrate import upgrade
from orderyard.store.uow import UnitOfWork

API = "/apirest/v4/oms"


Send = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]
"""Sends one request of a probe; gets the client and the request's index."""


@dataclass(frozen=True)
class Probe:
    """A request repeated ``count`` times."""

    name: str
    request: Send


def order_body(number: str, skus: Sequence[str]) -> str:
    """A one-order ShipEdge create body (the load run's, with its order number filled in)."""
    return scenarios.order_body(skus).replace(ORDER_NUMBER, number)


def probes(run: str, order_id: str, stock_sku: str) -> list[Probe]:
    """Create 1 line, create 5 lines, get order, stock of one SKU at 50 locations (the load
    run's stock scenario), and ping: the dialect's floor (the same app, middleware,
    authentication and envelope, no query of its own)."""

    def create(skus: Sequence[str]) -> Send:
        def send(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
            body = order_body(f"{run}-{len(skus)}-{n}", skus)
            return client.post(f"{API}/orders", content=body)

        return send

    def keyed_create(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
        body = order_body(f"{run}-k-{n}", ["B-1"])
        key = {"Idempotency-Key": f"{run}-k-{n}"}
        return client.post(f"{API}/orders", content=body, headers=key)

    def od_create(skus: Sequence[str]) -> Send:
        def send(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
            number = f"{run}-od{len(skus)}-{n}"
            body = orderyard_scenarios.od_order_body(skus).replace(ORDER_NUMBER, number)
            return client.post("/v1/orders", content=body)

        return send

    five = ["B-1", "B-2", "B-3", "B-4", "B-5"]
    return [
        Probe("create, 1 line", create(["B-1"])),
        Probe("create, 1 line, idempotency key", keyed_create),
        Probe("create, 5 lines", create(five)),
        Probe("get order", lambda client, _: client.get(f"{API}/orders/{order_id}")),
        Probe("stock", lambda client, _: client.get(f"{API}/inventory/stock?sku={stock_sku}")),
        Probe("ping", lambda client, _: client.post(f"{API}/ping")),
        Probe("od create, 1 line", od_create(["B-1"])),
        Probe("od create, 5 lines", od_create(five)),
        Probe("od get order", lambda c, _: c.get(f"/v1/orders?InternalOrderId={order_id}")),
    ]


@dataclass(frozen=True)
class Cost:
    """What one request of a probe cost, on average over a run of them."""

    cpu_ms: float
    """This process's CPU (the web app's Python, and the test client's)."""
    postgres_ms: float
    """PostgreSQL's CPU, all its processes, over the same requests."""
    wall_p50_ms: float
    log_flushes: float
    """PostgreSQL's WAL flushes (``pg_stat_wal.wal_sync``, every process's) per request: the
    disk waits of its commits, the figure the machine's noise does not move."""
    log_kb: float = 0.0
    """The WAL written per request (``pg_stat_wal.wal_bytes``), in KiB: what the disk and a
    replica's replay carry (the capacity model of docs/scaling.md)."""


async def measure(
    client: httpx.AsyncClient,
    probe: Probe,
    count: int,
    *,
    start: int = 0,
    warm_up: bool = True,
    dsn: str | None = None,
) -> Cost:
    """Send ``count`` requests one at a time; every answer must be 2xx.

    Requests are numbered from ``start`` (a create's order number); the warm-up's are negative.
    ``dsn``: the database whose log flushes to count.
    """
    for n in range(min(50, count) if warm_up else 0):
        (await probe.request(client, -n - 1)).raise_for_status()
    walls: list[float] = []
    flushes_start, bytes_start = await log_flushes(dsn)
    postgres_start = postgres_cpu_seconds()
    cpu_start = time.process_time()
    for n in range(start, start + count):
        sent = time.perf_counter()
        reply = await probe.request(client, n)
        walls.append(time.perf_counter() - sent)
        if reply.status_code >= 300 or b'"success":false' in reply.content:
            raise RuntimeError(f"{probe.name}: {reply.status_code} {reply.text[:300]}")
    cpu = time.process_time() - cpu_start
    postgres = postgres_cpu_seconds() - postgres_start
    flushes_end, bytes_end = await log_flushes(dsn)
    return Cost(
        cpu / count * 1000,
        postgres / count * 1000,
        statistics.median(walls) * 1000,
        (flushes_end - flushes_start) / count,
        (bytes_end - bytes_start) / count / 1024,
    )


async def log_flushes(dsn: str | None) -> tuple[int, int]:
    """PostgreSQL's WAL syncs and bytes so far (0 without a database to ask).

    Backends report their counts when a transaction ends, at most once a second while busy:
    the wait lets the last requests' counts arrive.
    """
    if dsn is None:
        return 0, 0
    await asyncio.sleep(1.1)
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow("SELECT wal_sync, wal_bytes FROM pg_stat_wal")
        return int(row["wal_sync"]), int(row["wal_bytes"])
    finally:
        await conn.close()


AB_BLOCK = 50
"""Requests per block when ``--driver-ab`` alternates the two ways."""


async def driver_ab(client: httpx.AsyncClient, probe: Probe, count: int) -> tuple[float, float]:
    """Mean CPU ms per request with ``store/driver.py`` sending its statements to asyncpg, and
    with it sending them through SQLAlchemy (as it does in a transaction), in alternating
    blocks of ``AB_BLOCK`` requests in this one process, so the host's drift hits both alike.
    """
    on_the_driver = driver._autocommitting_driver

    def through_sqlalchemy(_conn: object) -> None:
        return None

    spent = {True: 0.0, False: 0.0}
    done = {True: 0, False: 0}
    for block in range(max(2, count // AB_BLOCK)):
        use_driver = block % 2 == 0
        driver._autocommitting_driver = on_the_driver if use_driver else through_sqlalchemy  # type: ignore[assignment]
        try:
            cost = await measure(
                client, probe, AB_BLOCK, start=block * AB_BLOCK, warm_up=block == 0
            )
        finally:
            driver._autocommitting_driver = on_the_driver  # type: ignore[assignment]
        spent[use_driver] += cost.cpu_ms
        done[use_driver] += 1
    return spent[True] / done[True], spent[False] / done[False]


KEYED = "create, 1 line, idempotency key"


async def keyed_ab(client: httpx.AsyncClient, probes: list[Probe], count: int) -> dict[str, float]:
    """Mean CPU ms per request of a plain create, a keyed one on one lent connection, and a
    keyed one checking a connection out per unit of work (``store/lending.py`` switched off),
    in rotating blocks of ``AB_BLOCK`` in this one process."""
    by_name = {p.name: p for p in probes}
    plain, keyed = by_name["create, 1 line"], by_name[KEYED]
    lend = UnitOfWork.sharing_one_connection

    @contextlib.asynccontextmanager
    async def no_loan(_uow: UnitOfWork) -> AsyncIterator[None]:
        yield

    ways = (("plain", plain, lend), ("keyed, one connection", keyed, lend))
    ways += (("keyed, a connection per unit", keyed, no_loan),)  # type: ignore[assignment]
    spent: dict[str, list[float]] = {name: [] for name, _, _ in ways}
    for block in range(max(1, count // AB_BLOCK)):
        for way, (name, probe, sharing) in enumerate(ways):
            UnitOfWork.sharing_one_connection = sharing  # type: ignore[method-assign]
            try:
                start = (block * len(ways) + way) * AB_BLOCK + 10**7  # a fresh key each
                cost = await measure(client, probe, AB_BLOCK, start=start, warm_up=block == 0)
            finally:
                UnitOfWork.sharing_one_connection = lend  # type: ignore[method-assign]
            spent[name].append(cost.cpu_ms)
    return {name: statistics.mean(costs) for name, costs in spent.items()}


def report(name: str, cost: Cost) -> None:
    """Print one probe's line."""
    print(
        f"{name:<32} {cost.cpu_ms:7.3f} ms CPU/request  PostgreSQL {cost.postgres_ms:6.3f} ms"
        f"   wall p50 {cost.wall_p50_ms:7.3f} ms   log flushes {cost.log_flushes:5.2f}"
        f"   WAL {cost.log_kb:6.2f} KiB"
    )


def ceiling_probes(run: str, order_id: str) -> list[Probe]:
    """The raw ceilings' insert (1 and 5 lines, the same body) and get order."""

    def create(skus: Sequence[str]) -> Send:
        def send(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
            return client.post("/orders", content=order_body(f"{run}-{len(skus)}-{n}", skus))

        return send

    return [
        Probe(scenarios.RAW_INSERT_1_LINE, create(["B-1"])),
        Probe(scenarios.RAW_INSERT_5_LINES, create(["B-1", "B-2", "B-3", "B-4", "B-5"])),
        Probe(scenarios.RAW_GET_ORDER, lambda client, _: client.get(f"/orders/{order_id}")),
    ]


def unreached_limits() -> RateLimitSettings:
    """Rate limits on (their cost is measured) but too high to refuse a request of the run;
    ``BENCH_RATE_LIMIT=off`` turns them off, for a before/after figure."""
    on = os.environ.get("BENCH_RATE_LIMIT", "on") != "off"
    return RateLimitSettings(
        enabled=on, rate=1e9, burst=10**9, account_rate=1e9, account_burst=10**9
    )


def selected(probes: list[Probe], only: str | None) -> list[Probe]:
    """The probes whose name starts with ``--only``, or all."""
    return [p for p in probes if only is None or p.name.startswith(only)]


async def run_orderyard(
    args: argparse.Namespace, url: str, account: core_setup.NewAccount, stock_sku: str
) -> None:
    app = create_app(Settings(database=DatabaseSettings(url=url), rate_limit=unreached_limits()))
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    headers["Ocp-Apim-Subscription-Key"] = account.key
    headers["Content-Type"] = "application/json"
    transport = httpx.ASGITransport(app=app)
    run = f"cpu{time.time_ns():x}"
    async with httpx.AsyncClient(transport=transport, base_url="http://b", headers=headers) as c:
        first = await c.post(f"{API}/orders", content=order_body(f"{run}-first", ["B-1"]))
        order_id = str(first.raise_for_status().json()["data"][0]["order_id"])
        chosen = selected(probes(run, order_id, stock_sku), args.only)
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled", interval=0.0005)
            profiler.start()
        if args.keyed_ab:
            means = await keyed_ab(c, probes(run, order_id, stock_sku), args.count)
            for name, ms in means.items():
                print(f"{name:<30} {ms:7.3f} ms CPU/request  plain/this {means['plain'] / ms:5.3f}")
            chosen = []
        for probe in chosen:
            if args.driver_ab:
                on, off = await driver_ab(c, probe, args.count)
                print(
                    f"{probe.name:<20} {on:7.3f} ms CPU/request on the driver, {off:7.3f} without"
                )
                continue
            dsn = url.replace("+asyncpg", "", 1)
            report(probe.name, await measure(c, probe, args.count, dsn=dsn))
        if profiler is not None:
            profiler.stop()
            profiler.last_session.save(args.profile)  # type: ignore[union-attr]
    await lifespan.__aexit__(None, None, None)


async def run_ceilings(args: argparse.Namespace) -> None:
    app = raw_insert_app.app
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Content-Type": "application/json"}
        run = f"cpu{time.time_ns():x}"
        async with httpx.AsyncClient(
            transport=transport, base_url="http://b", headers=headers
        ) as c:
            first = await c.post("/orders", content=order_body(f"{run}-first", ["B-1"]))
            order_id = str(first.raise_for_status().json()["data"]["order_id"])
            for probe in selected(ceiling_probes(run, order_id), args.only):
                report(probe.name, await measure(c, probe, args.count))


def main(argv: Sequence[str] | None = None) -> None:
    """Set up one account with stock, then print the CPU per request of each probe."""
    parser = argparse.ArgumentParser(prog="python -m bench.cpu", description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument(
        "--only",
        help="run the probes whose name starts with this ('create', 'create, 1 line', 'raw')",
    )
    parser.add_argument("--profile", help="save a pyinstrument session here")
    parser.add_argument(
        "--driver-ab",
        action="store_true",
        help="alternate blocks with and without store/driver.py's asyncpg path",
    )
    parser.add_argument(
        "--keyed-ab",
        action="store_true",
        help="alternate blocks: plain create, keyed on one connection, keyed without the loan",
    )
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    ensure_database(dsn)
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    upgrade(url)
    account = core_setup.create_account(url, f"cpu-{time.time_ns():x}")
    core_setup.create_locations(url, account.account_id, [("DC1", 1), ("DC2", 2)])
    skus = ["B-1", "B-2", "B-3", "B-4", "B-5"]
    core_setup.create_items(url, account.account_id, skus)
    stock = [("DC1", s, 10_000_000) for s in skus[:3]] + [("DC2", s, 10_000_000) for s in skus[3:]]
    core_setup.set_on_hand(url, account.account_id, stock)
    grid = orderyard_scenarios.setup_stock_grid({"account_id": str(account.account_id)}, url)
    asyncio.run(run_orderyard(args, url, account, grid["sku"]))
    if not args.driver_ab and not args.keyed_ab and not args.profile:
        asyncio.run(run_ceilings(args))


if __name__ == "__main__":
    main()
