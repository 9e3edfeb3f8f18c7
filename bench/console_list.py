"""The console's orders list at 1,000,000 orders against the same pages at 1,000 (issue 18).

Issue 18 asks that the console's orders list "stays fast at a million orders" with the
dialects' indexed filters, paged. Two accounts are set up on PostgreSQL, one with 1,000,000
orders and one with 1,000 (``bench.load_orders``: COPY, then ``VACUUM (ANALYZE)``), each with
an admin staff member and 60 orders of one customer e-mail spread over the account. The server
runs as the other bench modules run it (uvicorn, 2 workers); each account signs in through the
console's real sign-in form over HTTP (the form's double-submit token and cookie, then e-mail
and password), and wrk sends that session's cookie to each page below, for both accounts, in
interleaved rounds (``bench/twins.py``'s method: the two sides back to back, their order
alternating, so that a neighbour's burst falls on both). Target: the 1,000,000-order page
within 2x of the 1,000-order one at p50 and at p99 (the API list's target, bench/README.md).

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/console_bench \\
        .venv/bin/python -m bench.console_list --rounds 5 --duration 4

The accounts are kept for the next run (``bench/results/logs/console_list/accounts.json``,
checked against the database); ``--fresh`` makes new ones. Writes
``bench/results/console_list.md``.
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import statistics
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import httpx

from bench import core_setup, db, load_orders
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.load import LoadResult, Request, ensure_wrk, run_load
from bench.orderyard_scenarios import migrate
from bench.server import AppSpec, serve
from orderyard.domain.staff import Role
from orderyard.domain.values import AccountId
from orderyard.services import staff as staff_service
from orderyard.store.engine import create_engines
from orderyard.store.uow import UnitOfWork

RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs" / "console_list"
STATE = LOGS / "accounts.json"
REPO = RESULTS.parent.parent
CONSOLE = "/console"
SESSION_COOKIE = "orderyard_console"
SIGN_IN_TOKEN = re.compile(r'name="sign_in_token" value="([^"]+)"')
ORDER_LINK = re.compile(r'href="[^"]*/orders/\d+"')
SIZES = (1_000_000, 1_000)
SKUS = ("C-1", "C-2", "C-3")
CUSTOMER = "regular@bench.example"
CUSTOMER_ORDERS = 60
"""Orders of ``CUSTOMER`` in each account, spread evenly over it: more than a page (50)."""
TARGET = 2.0
"""The largest ratio (1,000,000 orders over 1,000) of p50 and of p99 that the issue accepts."""


@dataclass(frozen=True)
class BenchAccount:
    """An account of the run: its size, its order numbers' prefix, its admin's sign-in."""

    account_id: int
    orders: int
    prefix: str
    email: str
    password: str
    middle_day: str
    """The day (``YYYY-MM-DD``, UTC) its middle order was created: the date window's day."""


@dataclass(frozen=True)
class Page:
    """One console page of the list, as a query for each account."""

    name: str
    query: Mapping[str, str]

    def path(self, account: BenchAccount) -> str:
        """The page's path for ``account`` (its own search text and date)."""
        values = {
            k: v.format(
                prefix=account.prefix,
                day=account.middle_day,
                email=CUSTOMER,
                eleven=eleven_numbers(account.orders),
            )
            for k, v in self.query.items()
        }
        return f"{CONSOLE}/orders" + (f"?{urlencode(values)}" if values else "")


PAGES = (
    Page("page 1", {}),
    Page("status backordered", {"status": "backordered"}),
    Page("created on one day", {"from": "{day}", "to": "{day}"}),
    Page("order number prefix", {"search_by": "order_number", "q": "{prefix}-{eleven}"}),
    Page("customer e-mail", {"search_by": "email", "q": "{email}"}),
    Page("page 20", {"page": "20"}),
)
"""Page 20 is the 1,000-order account's last full page (offset 950): the list pages by offset.
The order-number prefix finds 11 orders in each account (``eleven_numbers``): like for like,
the page lists as many orders and counts as many matches at 1,000,000 as at 1,000."""


def eleven_numbers(orders: int) -> str:
    """The digits after ``<prefix>-`` that start exactly 11 of ``orders`` order numbers.

    The numbers are ``<prefix>-0`` to ``<prefix>-<orders - 1>`` and ``orders`` is a power of
    ten with ``d`` digits past the 1, so a number of ``d - 1`` digits is the prefix of itself
    and of its ten extensions by one digit, and of nothing longer: ``12`` at 1,000 (``-12``,
    ``-120`` to ``-129``), ``12345`` at 1,000,000 (``-12345``, ``-123450`` to ``-123459``).
    """
    digits = len(str(orders)) - 2
    if orders != 10 ** (digits + 1) or digits < 1:
        raise ValueError(f"{orders} orders: a power of ten from 100 is needed")
    return "1234567890"[:digits]


def _prefix(orders: int) -> str:
    return f"C{orders}x{secrets.token_hex(3)}"


async def _decorate(dsn: str, account: int, orders: int, prefix: str) -> str:
    """Give ``CUSTOMER`` its orders and return the middle order's day."""
    numbers = [f"{prefix}-{k * orders // CUSTOMER_ORDERS}" for k in range(CUSTOMER_ORDERS)]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "UPDATE orders SET customer_email = $3"
            " WHERE account_id = $1 AND order_number = ANY($2::text[])",
            account,
            numbers,
            CUSTOMER,
        )
        await conn.execute("VACUUM (ANALYZE) orders")
        middle = await conn.fetchval(
            "SELECT created_at FROM orders WHERE account_id = $1 AND order_number = $2",
            account,
            f"{prefix}-{orders // 2}",
        )
    finally:
        await conn.close()
    return str(middle.astimezone(UTC).date())


async def _add_admin(database_url: str, account: int, email: str, password: str) -> None:
    engines = create_engines(database_url, pool_size=2)
    try:
        uow = UnitOfWork(engines.write, AccountId(account), actor="bench")
        await staff_service.create_staff(uow, email, Role.ADMIN, password)
    finally:
        await engines.dispose()


def make_account(database_url: str, dsn: str, orders: int) -> BenchAccount:
    """A new account with ``orders`` loaded orders, the customer's orders and an admin."""
    account = core_setup.create_account(
        database_url, f"bench-console-{orders}-{secrets.token_hex(3)}"
    )
    core_setup.create_items(database_url, account.account_id, SKUS)
    prefix = _prefix(orders)
    plan = load_orders.Plan(account.account_id, orders, SKUS, prefix=prefix)
    seconds = asyncio.run(load_orders.load(dsn, plan))
    print(f"account {account.account_id}: {orders:,} orders with COPY in {seconds:.1f} s")
    day = asyncio.run(_decorate(dsn, account.account_id, orders, prefix))
    email, password = f"admin-{account.account_id}@bench.example", secrets.token_urlsafe(12)
    asyncio.run(_add_admin(database_url, account.account_id, email, password))
    return BenchAccount(account.account_id, orders, prefix, email, password, day)


async def _still_there(dsn: str, account: BenchAccount) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        found = await conn.fetchval(
            "SELECT count(*) FROM orders WHERE account_id = $1", account.account_id
        )
    finally:
        await conn.close()
    return bool(found == account.orders)


def accounts(database_url: str, dsn: str, *, fresh: bool) -> dict[int, BenchAccount]:
    """The run's accounts by size: the last run's if they are still whole, else new ones."""
    kept: dict[int, BenchAccount] = {}
    if STATE.exists() and not fresh:
        saved = json.loads(STATE.read_text())
        if saved.get("dsn") == dsn:
            for raw in saved["accounts"]:
                account = BenchAccount(**raw)
                if asyncio.run(_still_there(dsn, account)):
                    kept[account.orders] = account
    for orders in sorted(SIZES):
        if orders not in kept:
            kept[orders] = make_account(database_url, dsn, orders)
    STATE.write_text(json.dumps({"dsn": dsn, "accounts": [asdict(a) for a in kept.values()]}))
    return kept


def sign_in(base_url: str, account: BenchAccount) -> str:
    """Sign in through the console's form as a browser does; the session's ``Cookie`` header.

    Raises:
        RuntimeError: the form or the sign-in did not answer as it should.
    """
    with httpx.Client(base_url=base_url + CONSOLE) as http:
        form = http.get("/sign-in")
        found = SIGN_IN_TOKEN.search(form.text)
        if form.status_code != 200 or found is None:
            raise RuntimeError(f"sign-in form: {form.status_code}")
        answer = http.post(
            "/sign-in",
            data={
                "sign_in_token": found.group(1),
                "email": account.email,
                "password": account.password,
                "account_id": str(account.account_id),
            },
        )
        session = answer.cookies.get(SESSION_COOKIE)
        if answer.status_code != 303 or not session:
            raise RuntimeError(f"sign-in of account {account.account_id}: {answer.status_code}")
    return f"{SESSION_COOKIE}={session}"


def check(base_url: str, path: str, cookie: str) -> int:
    """Get the page once; return how many orders it lists.

    Raises:
        RuntimeError: it did not answer 200 (a lost session answers 303, which wrk counts as a
            success).
    """
    reply = httpx.get(base_url + path, headers={"Cookie": cookie}, timeout=60)
    if reply.status_code != 200:
        raise RuntimeError(f"{path}: {reply.status_code}")
    return len(ORDER_LINK.findall(reply.text))


@dataclass(frozen=True)
class Rounds:
    """One page's rounds at one concurrency: each round's result for both accounts."""

    page: str
    concurrency: int
    big: tuple[LoadResult, ...]
    small: tuple[LoadResult, ...]

    def ratios(self, field: str) -> list[float]:
        pairs = zip(self.big, self.small, strict=True)
        return [getattr(big, field) / getattr(small, field) for big, small in pairs]

    def line(self) -> str:
        def med(results: Sequence[LoadResult], field: str) -> float:
            return statistics.median(getattr(r, field) for r in results)

        cells = []
        for results in (self.big, self.small):
            cells += [f"{med(results, 'requests_per_s'):,.0f}", f"{med(results, 'p50_ms'):.1f}"]
            cells.append(f"{med(results, 'p99_ms'):.1f}")
        verdicts = []
        for field in ("p50_ms", "p99_ms"):
            ratios = self.ratios(field)
            verdicts.append(
                f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
            )
        met = all(statistics.median(self.ratios(f)) <= TARGET for f in ("p50_ms", "p99_ms"))
        return (
            f"| {self.page} | {self.concurrency} | {' | '.join(cells)} | {' | '.join(verdicts)}"
            f" | {'met' if met else 'missed'} |"
        )

    @property
    def met(self) -> bool:
        return all(statistics.median(self.ratios(f)) <= TARGET for f in ("p50_ms", "p99_ms"))


def measure(args: argparse.Namespace, database_url: str, dsn: str) -> list[Rounds]:
    """Serve Orderyard, sign both accounts in, and run every page's interleaved rounds."""
    made = accounts(database_url, dsn, fresh=args.fresh)
    env = {"ORDERYARD_DATABASE__URL": database_url, "ORDERYARD_RATE_LIMIT__ENABLED": "false"}
    app = AppSpec("orderyard.app:create_app_from_env", factory=True, env=env)
    wrk = ensure_wrk()
    pages = [p for p in PAGES if args.match is None or re.search(args.match, p.name)]
    found: list[Rounds] = []
    log = LOGS / "server.log"
    with serve(app, workers=args.workers, cwd=REPO, log=log, access_log=False) as server:
        cookies = {size: sign_in(server.base_url, made[size]) for size in SIZES}
        requests: dict[tuple[str, int], Request] = {}
        for page in pages:
            for size in SIZES:
                path = page.path(made[size])
                listed = check(server.base_url, path, cookies[size])
                print(f"{page.name}, {size:,} orders: {listed} orders listed ({path})", flush=True)
                request = Request("GET", server.base_url + path, {"Cookie": cookies[size]})
                requests[(page.name, size)] = request
                run_load(request, connections=4, duration_s=1, wrk=wrk, log=LOGS / "warm.txt")
        for connections in (int(c) for c in args.concurrency.split(",")):
            for page in pages:
                results: dict[int, list[LoadResult]] = {size: [] for size in SIZES}
                for round_ in range(args.rounds):
                    order = SIZES if round_ % 2 == 0 else SIZES[::-1]
                    for size in order:
                        name = re.sub(r"[^a-z0-9]+", "-", f"{page.name}-{size}-c{connections}")
                        out = LOGS / f"{name}-{round_}.txt"
                        result = run_load(
                            requests[(page.name, size)],
                            connections=connections,
                            duration_s=args.duration,
                            wrk=wrk,
                            log=out,
                        )
                        if result.failed:
                            raise RuntimeError(f"{page.name}: failed requests, see {out}")
                        results[size].append(result)
                rounds = Rounds(
                    page.name,
                    connections,
                    tuple(results[SIZES[0]]),
                    tuple(results[SIZES[1]]),
                )
                print(rounds.line(), flush=True)
                found.append(rounds)
    return found


HEADER = (
    "| page | c | 1M req/s | 1M p50 ms | 1M p99 ms | 1k req/s | 1k p50 ms | 1k p99 ms"
    " | p50 1M/1k (range) | p99 1M/1k (range) | within 2x |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
)


def write(found: Sequence[Rounds], args: argparse.Namespace) -> Path:
    """Write the table to ``bench/results/console_list.md``."""
    path = RESULTS / "console_list.md"
    command = f"python -m bench.console_list {' '.join(sys.argv[1:])}".strip()
    lines = [
        "# Console orders list: 1,000,000 orders against 1,000 (bench/console_list.py)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}` ({args.rounds} rounds of"
        f" {args.duration} s per account, {args.workers} workers). Figures are the medians"
        " of the rounds; ratios are the median of the rounds' ratios, with their range.",
        "",
        *HEADER,
        *(rounds.line() for rounds in found),
        "",
    ]
    path.write_text("\n".join(lines))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; exit 1 if a page misses the target."""
    parser = argparse.ArgumentParser(prog="python -m bench.console_list", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=4, help="seconds of load per side")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument("--match", help="only the pages whose name this regex finds")
    parser.add_argument("--fresh", action="store_true", help="load new accounts")
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    db.ensure_database(dsn)
    LOGS.mkdir(parents=True, exist_ok=True)
    migrate({**os.environ, "ORDERYARD_DATABASE__URL": database_url})
    found = measure(args, database_url, dsn)
    print(f"wrote {write(found, args)}")
    return 0 if all(rounds.met for rounds in found) else 1


if __name__ == "__main__":
    sys.exit(main())
