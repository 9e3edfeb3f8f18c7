"""The 100,000-row on-hand feed, applied with ``orderyard stock import`` while backorders wait.

The feed covers ``FEED_SKUS`` SKUs at each of ``FEED_LOCATIONS`` locations (2,000 x 50 =
100,000 rows, the shape of a chain's nightly count). Before it, ``BACKORDERS`` one-unit orders
on those SKUs (5 per SKU, oldest first) wait for stock, loaded with COPY as backordered; the
feed sets ``FEED_ON_HAND`` units everywhere, so it must allocate every one of them.

The import runs as an operator runs it, one process launched from outside (``bench.feed``:
the CLI with the service timed), so its wall time covers start-up, CSV parsing, validation,
the on-hand updates, the ledger and the backorder allocation; the time inside the service
is reported beside it.
"""

import asyncio
import csv
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench import core_setup, db, load_orders
from bench.feed import MARKER

FEED_SKUS = tuple(f"F-{n:05d}" for n in range(1, 2001))
FEED_LOCATIONS = tuple(f"F{n:02d}" for n in range(1, 51))
FEED_ON_HAND = 100
BACKORDERS = 10_000


@dataclass(frozen=True)
class FeedResult:
    """What one feed import measured."""

    rows: int
    wall_s: float
    """The ``orderyard stock import`` process, launch to exit."""
    service_s: float
    """Inside ``services.inventory.set_on_hand`` (one transaction, allocation included)."""
    orders_allocated: int
    backorders_left: int
    """Lines still backordered in the account afterwards (0 when the feed served them all)."""


def write_feed(path: Path) -> int:
    """Write the feed CSV; return its number of rows."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["location", "sku", "on_hand"])
        for location in FEED_LOCATIONS:
            writer.writerows((location, sku, FEED_ON_HAND) for sku in FEED_SKUS)
    return len(FEED_LOCATIONS) * len(FEED_SKUS)


def prepare(database_url: str, dsn: str) -> int:
    """Make the feed's account, locations, items and waiting backorders; return the account id."""
    account = core_setup.create_account(database_url, f"bench-feed-{time.time_ns():x}")
    locations = [(code, n) for n, code in enumerate(FEED_LOCATIONS, start=1)]
    core_setup.create_locations(database_url, account.account_id, locations)
    core_setup.create_items(database_url, account.account_id, FEED_SKUS)
    plan = load_orders.Plan(account.account_id, BACKORDERS, FEED_SKUS, "backordered", "BO")
    asyncio.run(load_orders.load(dsn, plan, quiet=True))
    db.analyze(dsn)
    return account.account_id


async def _backorders_left(dsn: str, account_id: int) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM order_lines WHERE account_id = $1 AND backordered > 0",
                account_id,
            )
        )
    finally:
        await conn.close()


def run_feed(database_url: str, dsn: str, env: dict[str, str], log: Path) -> FeedResult:
    """Prepare the account, then time ``orderyard stock import`` of the feed.

    Raises:
        RuntimeError: the import failed or printed no service time.
    """
    account_id = prepare(database_url, dsn)
    feed = log.with_suffix(".csv")
    rows = write_feed(feed)
    db.settle(dsn)
    command = [sys.executable, "-m", "bench.feed", "stock", "import"]
    command += ["--account", str(account_id), str(feed)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall_s = time.perf_counter() - started
    log.write_text(" ".join(command) + "\n\n" + done.stdout + done.stderr)
    service = re.search(rf"^{MARKER} ([0-9.]+)$", done.stderr, re.MULTILINE)
    allocated = re.search(r"(\d+) backordered orders allocated", done.stdout)
    if done.returncode != 0 or service is None or allocated is None:
        raise RuntimeError(f"the feed import failed; see {log}")
    return FeedResult(
        rows=rows,
        wall_s=wall_s,
        service_s=float(service.group(1)),
        orders_allocated=int(allocated.group(1)),
        backorders_left=asyncio.run(_backorders_left(dsn, account_id)),
    )
