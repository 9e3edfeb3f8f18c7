"""Orderyard through the OrderDynamics dialect: the inventory reads of a 100 x 50 grid.

One account stocks 100 SKUs at 50 locations (5,000 levels, through the core services as
``orderyard_scenarios.py`` does). The scenarios:

- ``GET /v1/inventory/available`` naming the 50 locations and the 100 SKUs, all 5,000 rows in
  one answer: the suite's server runs with ``ORDERYARD_MAX_PER_PAGE=5000`` and the request
  asks ``pageSize=5000`` (at the default cap of 250 a client would walk 20 pages of 5 SKUs);
- ``GET /v1/virtualinventory`` for a group of one pool over the 50 locations: 100 rows, one
  per SKU (``pageSize=100``). The pool and the group are defined through the API
  (``POST /v1/inventorypools``, ``POST /v1/inventorypoolgroups``) once the server is up.

Both are read-only and reported against the ``raw stock grid, 5,000 rows`` ceiling: the same
5,000 figures read by one raw ``SELECT`` and rendered with orjson (``ceilings/raw_insert_app``),
the least this stack can do to answer the first; the second reads the same 5,000 levels to
answer 100 rows. The server is its own (the cap differs from the ShipEdge suite's).
"""

from functools import partial

import httpx

from bench import core_setup
from bench.orderyard_scenarios import ON_HAND, migrate, new_account
from bench.scenarios import RAW_STOCK_GRID, Context, Scenario, Suite, render
from bench.server import AppSpec

SKUS = tuple(f"OD-{n:03d}" for n in range(1, 101))
LOCATIONS = tuple(f"ODL{n:02d}" for n in range(1, 51))
ROWS = len(SKUS) * len(LOCATIONS)
POOL = "ALL50"
GROUP = "WEB"
HEADERS = {"Ocp-Apim-Subscription-Key": "${od_key}"}
AVAILABLE = "orderdynamics available, 100 SKUs x 50 locations"
VIRTUAL = "orderdynamics virtual inventory, 1 pool of 50 locations x 100 SKUs"


def setup_grid(context: Context, database_url: str) -> Context:
    """Stock the grid, define the pool and its group through the API; return the key.

    Raises:
        httpx.HTTPStatusError: the API refused the pool or the group.
    """
    account = new_account(database_url, "orderdynamics")
    places = [(code, n) for n, code in enumerate(LOCATIONS, start=1)]
    core_setup.create_locations(database_url, account.account_id, places)
    core_setup.create_items(database_url, account.account_id, SKUS)
    core_setup.set_on_hand(
        database_url,
        account.account_id,
        [(location, sku, ON_HAND) for location in LOCATIONS for sku in SKUS],
    )
    headers = {"Ocp-Apim-Subscription-Key": account.key}
    base = context["base_url"]
    pool = {"InternalName": POOL, "LocationInternalNames": list(LOCATIONS), "Percentage": 90}
    group = {"InternalName": GROUP, "InventoryPoolNames": [POOL]}
    httpx.post(f"{base}/v1/inventorypools", json=pool, headers=headers).raise_for_status()
    httpx.post(f"{base}/v1/inventorypoolgroups", json=group, headers=headers).raise_for_status()
    return {"od_key": account.key}


def checked(context: Context, *, scenario: Scenario, rows: int) -> Context:
    """Read the scenario's answer once and fail the run unless it holds ``rows`` rows.

    Raises:
        RuntimeError: the answer holds another number of rows (a cap, a bad setup).
    """
    request = render(scenario, context)
    reply = httpx.get(request.url, headers=dict(request.headers), timeout=30)
    reply.raise_for_status()
    found = len(reply.json()["Items"])
    if found != rows:
        raise RuntimeError(f"{scenario.name}: {found} rows, not {rows}")
    return {}


def _scenario(name: str, path: str, rows: int) -> Scenario:
    plain = Scenario(name, path=path, headers=HEADERS, ceiling=RAW_STOCK_GRID)
    return Scenario(
        name, path=path, headers=HEADERS, ceiling=RAW_STOCK_GRID,
        setup=partial(checked, scenario=plain, rows=rows),
    )  # fmt: skip


def orderdynamics_suite(database_url: str, env: Context) -> Suite:
    """Return the OrderDynamics read scenarios, served from ``database_url``."""
    server_env = {
        "ORDERYARD_RATE_LIMIT__ENABLED": "false",
        "ORDERYARD_DATABASE__URL": database_url,
        "ORDERYARD_MAX_PER_PAGE": str(ROWS),
    }
    locations = ",".join(LOCATIONS)
    skus = ",".join(SKUS)
    return Suite(
        name="orderdynamics",
        app=AppSpec("orderyard.app:create_app_from_env", factory=True, env=server_env),
        prepare=partial(migrate, {**env, "ORDERYARD_DATABASE__URL": database_url}),
        setup=partial(setup_grid, database_url=database_url),
        scenarios=[
            _scenario(
                AVAILABLE,
                f"/v1/inventory/available?locationInternalNames={locations}&skus={skus}"
                f"&pageSize={ROWS}",
                ROWS,
            ),
            _scenario(
                VIRTUAL,
                f"/v1/virtualinventory?inventoryPoolGroupNames={GROUP}&skus={skus}"
                f"&pageSize={len(SKUS)}",
                len(SKUS),
            ),
        ],
    )
