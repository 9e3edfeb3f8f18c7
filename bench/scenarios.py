"""What the benchmark measures: scenarios, grouped into suites that share one served app.

A ``Scenario`` is one request repeated under load. Its path, headers and body are
``string.Template`` texts, filled from the suite's setup context (``${account_id}``, ``${key}``,
what the scenario's own setup hook returned, and ``${base_url}``); ``${order_number}`` is left
for the load generator, which makes it unique per request. ``ceiling`` names the scenario that
bounds it; the report prints every figure as a ratio to that ceiling at the same concurrency.

The ceiling suites live here; Orderyard's are in ``bench/orderyard_scenarios.py``.
"""

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Template

import httpx

from bench.load import ORDER_NUMBER, Request
from bench.server import AppSpec

Context = Mapping[str, str]
"""Values a template may use; a setup hook receives one and returns more."""

JSON_HEADERS: Mapping[str, str] = {"Content-Type": "application/json"}

CUSTOMER = {
    "firstname": "John",
    "lastname": "Doe",
    "address1": "1 Main St",
    "city": "LA",
    "state": "CA",
    "zip": "90001",
    "country": "USA",
}


@dataclass(frozen=True)
class Scenario:
    """One request, measured at every concurrency of the run."""

    name: str
    path: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    ceiling: str | None = None
    setup: Callable[[Context], Context] | None = None
    """Runs once, after the server is up and the suite is set up; returns template values."""


@dataclass(frozen=True)
class Suite:
    """Scenarios served by one app, started once for all of them."""

    name: str
    app: AppSpec
    scenarios: Sequence[Scenario]
    prepare: Callable[[], None] | None = None
    """Runs before the server starts (migrations, for instance)."""
    setup: Callable[[Context], Context] | None = None
    """Runs once the server is up; receives ``base_url`` and returns template values."""


@dataclass(frozen=True)
class PgbenchScenario:
    """The order-insert transaction run by pgbench, with ``lines`` lines per order."""

    name: str
    lines: int


def order_body(skus: Sequence[str]) -> str:
    """Return a ShipEdge create-orders body with one line per SKU and a unique order number."""
    items = [{"sku": sku, "quantity": 1, "sold_price": 9.99} for sku in skus]
    order = {
        "order_number": ORDER_NUMBER,
        "shipping_method": "Pick",
        "cart": {"store_name": "My Shop"},
        "customer": CUSTOMER,
        "items": items,
    }
    return json.dumps({"data": [order]}, separators=(",", ":"))


def render(scenario: Scenario, context: Context) -> Request:
    """Fill the scenario's templates from ``context`` and return the request to load with.

    Raises:
        KeyError: a template names a value that no setup provided.
    """
    values = {**context, "order_number": ORDER_NUMBER}

    def fill(text: str) -> str:
        return Template(text).substitute(values)

    return Request(
        method=scenario.method,
        url=context["base_url"] + fill(scenario.path),
        headers={name: fill(value) for name, value in scenario.headers.items()},
        body=None if scenario.body is None else fill(scenario.body),
    )


PGBENCH_1_LINE = "pgbench insert, 1 line"
PGBENCH_5_LINES = "pgbench insert, 5 lines"
TRIVIAL = "trivial JSON"
RAW_INSERT_1_LINE = "raw insert, 1 line"
RAW_INSERT_5_LINES = "raw insert, 5 lines"
RAW_INSERT_1_LINE_KEYED = "raw insert, 1 line, idempotency key"
RAW_INSERT_1_LINE_KEYED_IN_WRITE = "raw insert, 1 line, idempotency key claimed in the write"
RAW_GET_ORDER = "raw get order"
RAW_STOCK_GRID = "raw stock grid, 5,000 rows"

PGBENCH_SCENARIOS = (
    PgbenchScenario(PGBENCH_1_LINE, lines=1),
    PgbenchScenario(PGBENCH_5_LINES, lines=5),
)


def raw_order_id(context: Context) -> Context:
    """Insert one 1-line order through the raw app; return its ``raw_order_id`` to read back."""
    response = httpx.post(
        context["base_url"] + "/orders",
        content=order_body(["B-1"]).replace(ORDER_NUMBER, f"read-{time.time_ns():x}"),
        headers=JSON_HEADERS,
    )
    response.raise_for_status()
    return {"raw_order_id": str(response.json()["data"]["order_id"])}


def ceiling_suites(dsn: str) -> list[Suite]:
    """Return the web ceilings: the trivial JSON app and the raw-SQL app on ``dsn``."""
    trivial = Suite(
        name="trivial",
        app=AppSpec("bench.ceilings.trivial_app:app"),
        scenarios=[Scenario(TRIVIAL, path="/ping")],
    )
    raw_insert = Suite(
        name="raw_insert",
        app=AppSpec("bench.ceilings.raw_insert_app:app", env={"BENCH_PG_DSN": dsn}),
        scenarios=[
            Scenario(
                name,
                path="/orders",
                method="POST",
                headers=JSON_HEADERS,
                body=order_body(skus),
                ceiling=ceiling,
            )
            for name, skus, ceiling in (
                (RAW_INSERT_1_LINE, ["B-1"], PGBENCH_1_LINE),
                (RAW_INSERT_5_LINES, ["B-1", "B-2", "B-3", "B-4", "B-5"], PGBENCH_5_LINES),
            )
        ]
        + [
            Scenario(
                name,
                path=path,
                method="POST",
                headers={**JSON_HEADERS, "Idempotency-Key": ORDER_NUMBER},
                body=order_body(["B-1"]),
                ceiling=RAW_INSERT_1_LINE,
            )
            for name, path in (
                (RAW_INSERT_1_LINE_KEYED, "/keyed-orders"),
                (RAW_INSERT_1_LINE_KEYED_IN_WRITE, "/orders-keyed-in-write"),
            )
        ]
        + [
            Scenario(
                RAW_GET_ORDER,
                path="/orders/${raw_order_id}",
                ceiling=TRIVIAL,
                setup=raw_order_id,
            ),
            Scenario(RAW_STOCK_GRID, path="/stock-grid", ceiling=TRIVIAL),
        ],
    )
    return [trivial, raw_insert]
