"""Orderyard through the ShipEdge dialect, served as the README tells production to serve it.

Setup goes through Orderyard's own CLI and API, as an operator's would: ``orderyard db
upgrade``, a fresh account per run (so runs never collide on order numbers), locations, products
and an on-hand import. Stock is ample (10,000,000 per SKU and location), so every order
allocates.

To add a scenario (the list on an account holding 1,000,000 orders, the 100,000-row on-hand
feed), append a ``Scenario`` to ``orderyard_suite``'s list, with a ``setup`` hook that builds
its data and returns the template values it needs, and a ``ceiling``.
"""

import csv
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import httpx

from bench.load import ORDER_NUMBER
from bench.scenarios import (
    JSON_HEADERS,
    RAW_INSERT_1_LINE,
    RAW_INSERT_5_LINES,
    TRIVIAL,
    Context,
    Scenario,
    Suite,
    order_body,
    render,
)
from bench.server import AppSpec

API = "/apirest/v4/oms"
CLI = Path(sys.executable).with_name("orderyard")
ON_HAND = 10_000_000
PRODUCTS_PER_CALL = 100
HEADERS = {**JSON_HEADERS, "AccountID": "${account_id}", "Key": "${key}"}

ORDER_LOCATIONS = (("DC1", 1), ("DC2", 2))
"""(code, priority) of the locations that orders allocate from."""
ORDER_STOCK = {"B-1": "DC1", "B-2": "DC1", "B-3": "DC1", "B-4": "DC2", "B-5": "DC2"}
"""Each SKU is stocked at one location only, so the 5-line order must split across both."""
STOCK_SKUS = tuple(f"STK-{n:03d}" for n in range(1, 101))
STOCK_LOCATIONS = tuple(f"S{n:02d}" for n in range(1, 51))


def available() -> bool:
    """Whether the Orderyard server can be imported in this environment."""
    return importlib.util.find_spec("orderyard") is not None and (
        importlib.util.find_spec("orderyard.app") is not None
    )


def cli(*args: str, env: Context) -> str:
    """Run ``orderyard ARGS`` and return its standard output.

    Raises:
        RuntimeError: the command failed; its output is in the message.
    """
    done = subprocess.run([str(CLI), *args], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"orderyard {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def create_locations(account_id: str, locations: Sequence[tuple[str, int]], env: Context) -> None:
    """Create locations, given as (code, priority), in the account."""
    for code, priority in locations:
        cli(
            "locations",
            "create",
            "--account",
            account_id,
            "--code",
            code,
            "--name",
            code,
            "--priority",
            str(priority),
            env=env,
        )


def create_products(context: Context, skus: Sequence[str]) -> None:
    """Create the SKUs as products through the API, ``PRODUCTS_PER_CALL`` at a time.

    Raises:
        httpx.HTTPStatusError: the API refused a batch.
    """
    request = render(
        Scenario("products", path=f"{API}/inventory/products", headers=HEADERS), context
    )
    for start in range(0, len(skus), PRODUCTS_PER_CALL):
        batch = [
            {
                "sku": sku,
                "description": sku,
                "width": 1,
                "length": 1,
                "height": 1,
                "weight": 1,
                "cost": 1,
                "retail": 2,
            }
            for sku in skus[start : start + PRODUCTS_PER_CALL]
        ]
        reply = httpx.post(request.url, headers=dict(request.headers), json={"data": batch})
        reply.raise_for_status()


def import_stock(account_id: str, rows: Sequence[tuple[str, str]], env: Context) -> None:
    """Set ``ON_HAND`` units on hand for each (location, sku) with ``orderyard stock import``."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["location", "sku", "on_hand"])
        writer.writerows((location, sku, ON_HAND) for location, sku in rows)
        file.flush()
        cli("stock", "import", "--account", account_id, file.name, env=env)


def migrate(env: Context) -> None:
    """Bring the benchmark database's schema up to date with ``orderyard db upgrade``."""
    cli("db", "upgrade", env=env)


def setup_account(env: Context) -> Context:
    """Create this run's account with the order locations, products and stock."""
    created = json.loads(
        cli("accounts", "create", "--name", f"bench-{time.time_ns()}", "--json", env=env)
    )
    return {"account_id": str(created["account_id"]), "key": str(created["key"])}


def setup_suite(context: Context, env: Context) -> Context:
    """Set up the account that every Orderyard scenario uses; return its template values."""
    context = {**context, **setup_account(env)}
    create_locations(context["account_id"], ORDER_LOCATIONS, env)
    create_products(context, list(ORDER_STOCK))
    import_stock(context["account_id"], [(loc, sku) for sku, loc in ORDER_STOCK.items()], env)
    return context


def created_order_id(payload: object) -> str:
    """Return the order id from a create-orders answer (``data`` an object or a list of one).

    Raises:
        RuntimeError: the answer holds no ``order_id``.
    """
    data = payload.get("data") if isinstance(payload, dict) else None
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict) or "order_id" not in first:
        raise RuntimeError(f"no data.order_id in the create-orders answer: {payload}")
    return str(first["order_id"])


def create_order(context: Context, skus: Sequence[str]) -> str:
    """Create one order with a line per SKU through the API; return its order id.

    Raises:
        httpx.HTTPStatusError: the API refused the order.
        RuntimeError: the answer holds no order id.
    """
    template = Scenario(
        "order", path=f"{API}/orders", method="POST", headers=HEADERS, body=order_body(skus)
    )
    request = render(template, context)
    body = (request.body or "").replace(ORDER_NUMBER, f"setup-{time.time_ns()}")
    reply = httpx.post(request.url, headers=dict(request.headers), content=body)
    reply.raise_for_status()
    return created_order_id(reply.json())


def check_creates(context: Context, skus: Sequence[str]) -> Context:
    """Create one order before the load, so that an order Orderyard refuses fails the run.

    Bulk calls report a result per item, so a refused order may still answer 200, which wrk
    would count as a success.
    """
    create_order(context, skus)
    return {}


def setup_one_order(context: Context) -> Context:
    """Create one 1-line order to read back; return its ``order_id``."""
    return {"order_id": create_order(context, ["B-1"])}


def setup_stock_grid(context: Context, env: Context) -> Context:
    """Stock ``STOCK_SKUS`` at each of ``STOCK_LOCATIONS``; return the SKU to query."""
    first_priority = len(ORDER_LOCATIONS) + 1
    locations = [(code, first_priority + n) for n, code in enumerate(STOCK_LOCATIONS)]
    create_locations(context["account_id"], locations, env)
    create_products(context, STOCK_SKUS)
    import_stock(
        context["account_id"], [(loc, sku) for loc in STOCK_LOCATIONS for sku in STOCK_SKUS], env
    )
    return {"sku": STOCK_SKUS[0]}


def orderyard_suite(database_url: str, env: Context) -> Suite:
    """Return Orderyard's scenarios, served from ``database_url`` (a SQLAlchemy URL).

    Args:
        database_url: ``ORDERYARD_DATABASE__URL`` for the server and the CLI.
        env: The environment of this process; the CLI runs with it plus the database URL.
    """
    server_env = {"ORDERYARD_DATABASE__URL": database_url}
    cli_env = {**env, **server_env}
    return Suite(
        name="orderyard",
        app=AppSpec("orderyard.app:create_app_from_env", factory=True, env=server_env),
        prepare=partial(migrate, cli_env),
        setup=partial(setup_suite, env=cli_env),
        scenarios=[
            Scenario(
                "orderyard create, 1 line",
                path=f"{API}/orders",
                method="POST",
                headers=HEADERS,
                body=order_body(["B-1"]),
                ceiling=RAW_INSERT_1_LINE,
                setup=partial(check_creates, skus=["B-1"]),
            ),
            Scenario(
                "orderyard create, 5 lines / 2 locations",
                path=f"{API}/orders",
                method="POST",
                headers=HEADERS,
                body=order_body(list(ORDER_STOCK)),
                ceiling=RAW_INSERT_5_LINES,
                setup=partial(check_creates, skus=list(ORDER_STOCK)),
            ),
            Scenario(
                "orderyard get order",
                path=f"{API}/orders/${{order_id}}",
                headers=HEADERS,
                ceiling=TRIVIAL,
                setup=setup_one_order,
            ),
            Scenario(
                "orderyard stock, 1 SKU of 100 x 50 locations",
                path=f"{API}/inventory/stock?sku=${{sku}}",
                headers=HEADERS,
                ceiling=TRIVIAL,
                setup=partial(setup_stock_grid, env=cli_env),
            ),
        ],
    )
