"""Orderyard through the ShipEdge dialect, served as the README tells production to serve it.

The schema is brought up to date with ``orderyard db upgrade`` (the deploy step); the data is
made through Orderyard's core services in this process (``core_setup.py``: the same calls as
the CLI and the API, without a process launch or HTTP call per record), and bulk orders with
COPY (``load_orders.py``). Each run gets fresh accounts, so runs never collide on order
numbers. Stock is ample (10,000,000 per SKU and location), so every order allocates.

The scenarios: order creation (1 line; 5 lines that must split across 2 locations), get order,
stock of one SKU in an account stocking 100 SKUs at 50 locations, and the first page and page
500 of the order list on an account holding 1,000,000 orders and on one holding 1,000. The
100,000-row on-hand feed is not a load of repeated requests; ``feed_scenario.py`` times it.
"""

import asyncio
import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import httpx

from bench import core_setup, load_orders, webhook_receiver
from bench.load import ORDER_NUMBER
from bench.scenarios import (
    JSON_HEADERS,
    RAW_GET_ORDER,
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
HEADERS = {**JSON_HEADERS, "AccountID": "${account_id}", "Key": "${key}"}

ORDER_LOCATIONS = (("DC1", 1), ("DC2", 2))
"""(code, priority) of the locations that orders allocate from."""
ORDER_STOCK = {"B-1": "DC1", "B-2": "DC1", "B-3": "DC1", "B-4": "DC2", "B-5": "DC2"}
"""Each SKU is stocked at one location only, so the 5-line order must split across both."""
STOCK_SKUS = tuple(f"STK-{n:03d}" for n in range(1, 101))
STOCK_LOCATIONS = tuple(f"S{n:02d}" for n in range(1, 51))
SE_CREATE_1 = "orderyard create, 1 line"
SE_CREATE_5 = "orderyard create, 5 lines / 2 locations"
SE_GET = "orderyard get order"
OD_CREATE_1 = "orderdynamics create, 1 line"
OD_CREATE_5 = "orderdynamics create, 5 lines / 2 locations"
OD_GET = "orderdynamics get order"
WEBHOOK_CREATE_1 = "orderyard create, 1 line, webhook subscribed"
IDEMPOTENT_CREATE_1 = "orderyard create, 1 line, idempotency key"
IDEMPOTENT_HEADERS = {**HEADERS, "Idempotency-Key": ORDER_NUMBER}
"""Every request a fresh key (the order number it creates): a claim and a stored answer each."""
WEBHOOK_TYPES = ("order.created", "order.cancelled", "shipment.created")
WEBHOOK_HEADERS = {**JSON_HEADERS, "AccountID": "${wh_account_id}", "Key": "${wh_key}"}
ALLOCATED = "Processing"
"""The ShipEdge status of an order that Orderyard allocated in full (``Backorder`` if not)."""

LIST_BIG = 1_000_000
LIST_SMALL = 1_000
LIST_PAGES = (1, 500)
PER_PAGE = 20
LIST_SKUS = ("L-1", "L-2", "L-3")
LIST_HEADERS = {**JSON_HEADERS, "AccountID": "${list_account_id}", "Key": "${list_key}"}
Setup = Callable[[Context], Context] | None


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


def migrate(env: Context) -> None:
    """Bring the benchmark database's schema up to date with ``orderyard db upgrade``."""
    cli("db", "upgrade", env=env)


def new_account(database_url: str, purpose: str) -> core_setup.NewAccount:
    """Create a fresh account for this run, named after its purpose."""
    return core_setup.create_account(database_url, f"bench-{purpose}-{time.time_ns():x}")


def setup_suite(context: Context, database_url: str) -> Context:
    """Set up the account that the create, get and stock scenarios use."""
    account = new_account(database_url, "orders")
    core_setup.create_locations(database_url, account.account_id, ORDER_LOCATIONS)
    core_setup.create_items(database_url, account.account_id, list(ORDER_STOCK))
    core_setup.set_on_hand(
        database_url,
        account.account_id,
        [(location, sku, ON_HAND) for sku, location in ORDER_STOCK.items()],
    )
    return {**context, "account_id": str(account.account_id), "key": account.key}


OD_HEADERS = {**JSON_HEADERS, "Ocp-Apim-Subscription-Key": "${key}"}
OD_ADDRESS = {
    "FirstName": "John",
    "LastName": "Doe",
    "AddressLine1": "1 Main St",
    "City": "LA",
    "State": "CA",
    "ZipCode": "90001",
    "CountryCode": "USA",
}
"""ShipEdge's bench customer (``scenarios.CUSTOMER``) in OrderDynamics' words: the same work."""


def od_order_body(skus: Sequence[str]) -> str:
    """An OrderDynamics create body with a line per SKU, the same order as ``order_body``."""
    order = {
        "ExternalOrderId": ORDER_NUMBER,
        "ShippingMethod": "Pick",
        "Channel": "My Shop",
        "ShippingAddress": OD_ADDRESS,
        "OrderDetails": [{"Sku": sku, "Quantity": 1, "UnitPrice": 9.99} for sku in skus],
    }
    return json.dumps(order, separators=(",", ":"))


def check_od_creates(context: Context, skus: Sequence[str]) -> Context:
    """Create one OrderDynamics order before the load; fail the run unless it is allocated.

    Raises:
        httpx.HTTPStatusError: the API refused the order.
        RuntimeError: the order was created but not allocated in full.
    """
    template = Scenario(
        "od order", path="/v1/orders", method="POST", headers=OD_HEADERS, body=od_order_body(skus)
    )
    request = render(template, context)
    body = (request.body or "").replace(ORDER_NUMBER, f"od-setup-{time.time_ns():x}")
    reply = httpx.post(request.url, headers=dict(request.headers), content=body)
    reply.raise_for_status()
    if reply.json()["OrderStatus"] != "Allocated":
        raise RuntimeError(f"the OrderDynamics order was not allocated: {reply.text}")
    return {}


def od_scenarios() -> list[Scenario]:
    """The ShipEdge create and get scenarios' work through OrderDynamics, on the same account.

    Each is set against its ShipEdge twin in the same run (issue 14: within 10 %).
    """
    return [
        Scenario(
            name,
            path="/v1/orders",
            method="POST",
            headers=OD_HEADERS,
            body=od_order_body(skus),
            ceiling=twin,
            setup=partial(check_od_creates, skus=skus),
        )
        for name, skus, twin in (
            (OD_CREATE_1, ["B-1"], SE_CREATE_1),
            (OD_CREATE_5, list(ORDER_STOCK), SE_CREATE_5),
        )
    ] + [
        Scenario(
            OD_GET,
            path="/v1/orders?InternalOrderId=${order_id}",
            headers=OD_HEADERS,
            ceiling=SE_GET,
            setup=setup_one_order,
        )
    ]


def created_order(payload: object) -> dict[str, object]:
    """Return the one order of a create-orders answer (``{"data": [{...}]}``).

    Raises:
        RuntimeError: the answer holds no order with an ``order_id``.
    """
    data = payload.get("data") if isinstance(payload, dict) else None
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict) or "order_id" not in first:
        raise RuntimeError(f"no data[0].order_id in the create-orders answer: {payload}")
    return first


def create_order(context: Context, skus: Sequence[str]) -> str:
    """Create one order with a line per SKU through the API; return its order id.

    Raises:
        httpx.HTTPStatusError: the API refused the order.
        RuntimeError: the order was refused, or created but not allocated (status other than
            ``Processing``, e.g. ``Backorder``).
    """
    template = Scenario(
        "order", path=f"{API}/orders", method="POST", headers=HEADERS, body=order_body(skus)
    )
    request = render(template, context)
    body = (request.body or "").replace(ORDER_NUMBER, f"setup-{time.time_ns():x}")
    reply = httpx.post(request.url, headers=dict(request.headers), content=body)
    reply.raise_for_status()
    order = created_order(reply.json())
    if order.get("success") is False or order.get("status") != ALLOCATED:
        raise RuntimeError(f"the order was not created and allocated ({ALLOCATED}): {order}")
    return str(order["order_id"])


def check_creates(context: Context, skus: Sequence[str]) -> Context:
    """Create one order before the load, so that an order Orderyard refuses fails the run.

    Bulk calls report a result per item, so a refused order may still answer 200, which wrk
    would count as a success; and an order that is created but not allocated would measure
    a cheaper path than the scenario claims.
    """
    create_order(context, skus)
    return {}


def setup_webhook_account(context: Context, database_url: str) -> Context:
    """An account like the suite's, with a webhook subscription on order creation.

    Its orders are delivered by the server's in-process worker, during the load, to a real
    endpoint in this process (``webhook_receiver``); the pair with ``SE_CREATE_1`` measures
    what a subscription costs order creation (issue 15: at least 90 % of the rate without).
    """
    account = new_account(database_url, "webhooks")
    core_setup.create_locations(database_url, account.account_id, ORDER_LOCATIONS)
    core_setup.create_items(database_url, account.account_id, list(ORDER_STOCK))
    core_setup.set_on_hand(
        database_url,
        account.account_id,
        [(location, sku, ON_HAND) for sku, location in ORDER_STOCK.items()],
    )
    endpoint = webhook_receiver.url()
    core_setup.subscribe_webhook(database_url, account.account_id, endpoint, WEBHOOK_TYPES)
    mine = {"account_id": str(account.account_id), "key": account.key}
    create_order({**context, **mine}, ["B-1"])
    return {"wh_account_id": mine["account_id"], "wh_key": mine["key"]}


def setup_one_order(context: Context) -> Context:
    """Create one 1-line order to read back; return its ``order_id``."""
    return {"order_id": create_order(context, ["B-1"])}


def setup_stock_grid(context: Context, database_url: str) -> Context:
    """Stock ``STOCK_SKUS`` at each of ``STOCK_LOCATIONS``; return the SKU to query."""
    account_id = int(context["account_id"])
    first_priority = len(ORDER_LOCATIONS) + 1
    locations = [(code, first_priority + n) for n, code in enumerate(STOCK_LOCATIONS)]
    core_setup.create_locations(database_url, account_id, locations)
    core_setup.create_items(database_url, account_id, STOCK_SKUS)
    core_setup.set_on_hand(
        database_url,
        account_id,
        [(loc, sku, ON_HAND) for loc in STOCK_LOCATIONS for sku in STOCK_SKUS],
    )
    return {"sku": STOCK_SKUS[0]}


class ListAccounts:
    """Accounts holding N loaded orders, made once per size and shared by the list scenarios."""

    def __init__(self, database_url: str, dsn: str) -> None:
        self._database_url = database_url
        self._dsn = dsn
        self._made: dict[int, core_setup.NewAccount] = {}

    def account(self, orders: int) -> core_setup.NewAccount:
        """Return the account holding ``orders`` orders, loading it with COPY the first time."""
        if orders not in self._made:
            account = new_account(self._database_url, f"list-{orders}")
            core_setup.create_items(self._database_url, account.account_id, LIST_SKUS)
            plan = load_orders.Plan(account.account_id, orders, LIST_SKUS, prefix="L")
            seconds = asyncio.run(load_orders.load(self._dsn, plan))
            print(f"loaded {orders:,} orders with COPY in {seconds:.1f} s", flush=True)
            self._made[orders] = account
        return self._made[orders]

    def setup(self, context: Context, *, orders: int, page: int) -> Context:
        """Setup hook of a list scenario: its account's credentials, after one checked call.

        Raises:
            RuntimeError: the page does not hold what the account implies.
        """
        account = self.account(orders)
        values = {"list_account_id": str(account.account_id), "list_key": account.key}
        request = render(list_scenario("check", page), {**context, **values})
        reply = httpx.get(request.url, headers=dict(request.headers))
        reply.raise_for_status()
        payload = reply.json()
        expected = max(0, min(PER_PAGE, orders - (page - 1) * PER_PAGE))
        if len(payload["data"]) != expected:
            raise RuntimeError(f"page {page} of {orders:,} orders holds {len(payload['data'])}")
        print(f"list of {orders:,} orders, page {page}: metadata {payload['metadata']}")
        return values


def list_scenario(
    name: str, page: int, *, ceiling: str | None = None, setup: Setup = None
) -> Scenario:
    """The order list's page ``page`` (``PER_PAGE`` orders) on the list account."""
    return Scenario(
        name,
        path=f"{API}/orders?page={page}&per_page={PER_PAGE}",
        headers=LIST_HEADERS,
        ceiling=ceiling,
        setup=setup,
    )


def orderyard_suite(database_url: str, dsn: str, env: Context) -> Suite:
    """Return Orderyard's scenarios, served from ``database_url`` (a SQLAlchemy URL).

    Args:
        database_url: ``ORDERYARD_DATABASE__URL`` for the server, the CLI and the setup.
        dsn: The same database as an asyncpg DSN, for the COPY loader.
        env: The environment of this process; the CLI runs with it plus the database URL.
    """
    server_env = {"ORDERYARD_RATE_LIMIT__ENABLED": "false", "ORDERYARD_DATABASE__URL": database_url}
    lists = ListAccounts(database_url, dsn)
    list_scenarios = [
        list_scenario(
            f"orderyard list, {size_name} orders, page {page}",
            page,
            ceiling=TRIVIAL,
            setup=partial(lists.setup, orders=orders, page=page),
        )
        for size_name, orders in (("1,000,000", LIST_BIG), ("1,000", LIST_SMALL))
        for page in LIST_PAGES
    ]
    return Suite(
        name="orderyard",
        app=AppSpec("orderyard.app:create_app_from_env", factory=True, env=server_env),
        prepare=partial(migrate, {**env, **server_env}),
        setup=partial(setup_suite, database_url=database_url),
        scenarios=[
            Scenario(
                SE_CREATE_1,
                path=f"{API}/orders",
                method="POST",
                headers=HEADERS,
                body=order_body(["B-1"]),
                ceiling=RAW_INSERT_1_LINE,
                setup=partial(check_creates, skus=["B-1"]),
            ),
            Scenario(
                SE_CREATE_5,
                path=f"{API}/orders",
                method="POST",
                headers=HEADERS,
                body=order_body(list(ORDER_STOCK)),
                ceiling=RAW_INSERT_5_LINES,
                setup=partial(check_creates, skus=list(ORDER_STOCK)),
            ),
            Scenario(
                IDEMPOTENT_CREATE_1,
                path=f"{API}/orders",
                method="POST",
                headers=IDEMPOTENT_HEADERS,
                body=order_body(["B-1"]),
                ceiling=RAW_INSERT_1_LINE,
                setup=partial(check_creates, skus=["B-1"]),
            ),
            Scenario(
                WEBHOOK_CREATE_1,
                path=f"{API}/orders",
                method="POST",
                headers=WEBHOOK_HEADERS,
                body=order_body(["B-1"]),
                ceiling=RAW_INSERT_1_LINE,
                setup=partial(setup_webhook_account, database_url=database_url),
            ),
            Scenario(
                SE_GET,
                path=f"{API}/orders/${{order_id}}",
                headers=HEADERS,
                ceiling=RAW_GET_ORDER,
                setup=setup_one_order,
            ),
            Scenario(
                "orderyard stock, 1 SKU of 100 x 50 locations",
                path=f"{API}/inventory/stock?sku=${{sku}}",
                headers=HEADERS,
                ceiling=RAW_GET_ORDER,
                setup=partial(setup_stock_grid, database_url=database_url),
            ),
            *od_scenarios(),
            *list_scenarios,
        ],
    )


LIST_COMPARISONS = tuple(
    (f"orderyard list, 1,000,000 orders, page {page}", f"orderyard list, 1,000 orders, page {page}")
    for page in LIST_PAGES
)
"""(list at 1,000,000 orders, the same call at 1,000): the report prints their ratios."""
