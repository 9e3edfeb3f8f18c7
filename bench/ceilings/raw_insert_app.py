"""Ceilings: an order inserted, and an order read, with raw asyncpg on Orderyard's web stack.

``POST /orders`` is the least an order-creating endpoint can do: parse and validate the same
ShipEdge body with Pydantic, then one transaction with one ``INSERT`` for the order and one
for all its lines (``unnest`` over arrays, so 1 line and 5 lines cost the same two round
trips). No auth, no stock, no allocation. ``bench/ceilings/pgbench_order_insert.sql`` is the
same transaction without the web stack.

``GET /stock-grid`` is the least a read of 5,000 stock figures can do (100 SKUs at 50
locations, the OrderDynamics ``available`` scenario): one ``SELECT`` of precomputed rows in key
order, rendered with orjson as the dialect's rows. No auth, no formula, no kits, no paging.

``POST /keyed-orders`` is the least ``POST /orders`` with an ``Idempotency-Key`` can do with
the guarantees Orderyard gives: claim the key before the order (one ``INSERT ... ON CONFLICT
DO NOTHING`` committing without waiting for the disk), mark it carried out inside the order's
own transaction (a CTE of the order's ``INSERT``: no round trip), and keep the answer after,
with the other answers of the last ``ANSWER_DELAY_S`` (one ``UPDATE`` over arrays, committing
asynchronously too), as Orderyard does (``services/answer_queue.py``). A key already claimed
is a 409 (the bench sends a fresh key each time). Set beside ``POST /orders`` it is the
ceiling of the ratio keyed / plain that Orderyard's twins bench measures.

``POST /orders-keyed-in-write`` is the same with the key claimed inside the order's own
transaction instead of before it: the key's row inserted by a CTE of the order's ``INSERT``
(``ON CONFLICT DO NOTHING``, the order inserted only if the key's row was), and the answer
kept as above. No claim statement: the ceiling of a design where a keyed request runs
first and meets its key at its write (``docs/decisions.md``, "Where the key is claimed").

``GET /orders/{order_id}`` is the least a get-order endpoint can do: one ``SELECT`` of the
order joined with its lines (one round trip, no transaction), the document built from the
rows and rendered with orjson. No auth.

The DSN comes from ``BENCH_PG_DSN``; the tables are created at startup if absent.
"""

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import cast

import asyncpg
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from bench.ceilings.responses import OrjsonResponse

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/orderyard_bench"
POOL_SIZE = 10
"""The same number of connections per process as Orderyard's default ``database.pool_size``."""
ACCOUNT_ID = 1

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS ceiling_orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL,
    order_number text NOT NULL,
    shipping_method text NOT NULL,
    store_name text,
    firstname text NOT NULL,
    lastname text,
    address1 text NOT NULL,
    city text NOT NULL,
    state text NOT NULL,
    zip text NOT NULL,
    country text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, order_number)
);
CREATE TABLE IF NOT EXISTS ceiling_order_lines (
    order_id bigint NOT NULL REFERENCES ceiling_orders (id),
    line_no integer NOT NULL,
    sku text NOT NULL,
    quantity integer NOT NULL,
    sold_price numeric(12, 2),
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE IF NOT EXISTS ceiling_levels (
    account_id bigint NOT NULL,
    sku text NOT NULL,
    location text NOT NULL,
    available integer NOT NULL,
    PRIMARY KEY (account_id, sku, location)
);
CREATE TABLE IF NOT EXISTS ceiling_keys (
    account_id bigint NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    claim text NOT NULL,
    carried_out boolean NOT NULL DEFAULT false,
    status integer,
    body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);
INSERT INTO ceiling_levels
SELECT 1, 'OD-' || lpad(s::text, 3, '0'), 'ODL' || lpad(l::text, 2, '0'), 10
FROM generate_series(1, 100) AS s, generate_series(1, 50) AS l
ON CONFLICT DO NOTHING;
"""

INSERT_ORDER = """
INSERT INTO ceiling_orders (account_id, order_number, shipping_method, store_name, firstname,
                            lastname, address1, city, state, zip, country)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING id
"""

INSERT_LINES = """
INSERT INTO ceiling_order_lines (order_id, line_no, sku, quantity, sold_price)
SELECT $1, line.no, line.sku, line.quantity, line.sold_price
FROM unnest($2::text[], $3::integer[], $4::numeric[])
     WITH ORDINALITY AS line (sku, quantity, sold_price, no)
"""

CLAIM_KEY = """
INSERT INTO ceiling_keys (account_id, key, fingerprint, claim)
SELECT $1, $2, $3, $4 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous
ON CONFLICT DO NOTHING
RETURNING claim
"""

INSERT_MARKED_ORDER = """
WITH carried_out AS (
    UPDATE ceiling_keys SET carried_out = true WHERE account_id = $1 AND key = $12 AND claim = $13
)
""" + INSERT_ORDER.strip()

INSERT_ORDER_CLAIMING_KEY = """
WITH claimed AS (
    INSERT INTO ceiling_keys (account_id, key, fingerprint, claim, carried_out)
    VALUES ($1, $12, $13, $14, true)
    ON CONFLICT DO NOTHING
    RETURNING claim
)
INSERT INTO ceiling_orders (account_id, order_number, shipping_method, store_name, firstname,
                            lastname, address1, city, state, zip, country)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 WHERE EXISTS (SELECT FROM claimed)
RETURNING id
"""

ANSWER_KEYS = """
UPDATE ceiling_keys AS kept SET status = answer.status, body = answer.body
FROM unnest($2::text[], $3::text[], $4::integer[], $5::bytea[]) AS answer (key, claim, status, body)
WHERE kept.account_id = $1 AND kept.key = answer.key AND kept.claim = answer.claim
  AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
"""
ANSWER_DELAY_S = 0.02
"""Orderyard's default ``idempotency_answer_delay_seconds``."""

SELECT_ORDER = """
SELECT o.id, o.order_number, o.shipping_method, o.store_name, o.firstname, o.lastname,
       o.address1, o.city, o.state, o.zip, o.country, o.created_at,
       l.line_no, l.sku, l.quantity, l.sold_price
FROM ceiling_orders AS o
LEFT JOIN ceiling_order_lines AS l ON l.order_id = o.id
WHERE o.account_id = $1 AND o.id = $2
ORDER BY l.line_no
"""


class Cart(BaseModel):
    """The sales channel the order came from."""

    store_name: str | None = None


class Customer(BaseModel):
    """Who the order ships to; the fields ShipEdge requires, plus the last name."""

    firstname: str = Field(min_length=1)
    lastname: str | None = None
    address1: str = Field(min_length=1)
    city: str = Field(min_length=1)
    state: str = Field(min_length=1)
    zip: str = Field(min_length=1)
    country: str = Field(min_length=1)


class Item(BaseModel):
    """One order line."""

    sku: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    sold_price: Decimal | None = Field(default=None, ge=0)


class Order(BaseModel):
    """One order of a ShipEdge create-orders body."""

    order_number: str = Field(min_length=1)
    shipping_method: str = Field(min_length=1)
    cart: Cart = Cart()
    customer: Customer
    items: list[Item] = Field(min_length=1)


class CreateOrders(BaseModel):
    """The ShipEdge create-orders envelope, restricted to one order per request."""

    data: list[Order] = Field(min_length=1, max_length=1)


async def keep_session(conn: asyncpg.Connection) -> None:
    """Return a connection to the pool as is.

    asyncpg's default resets every released connection with one more round trip (``RESET ALL``,
    ``UNLISTEN *``, ...). This app sets no session state, and SQLAlchemy's pool, which Orderyard
    uses, sends no such query either, so the ceiling does not pay for it.
    """


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Create the tables if absent and hold an asyncpg pool for the app's lifetime."""
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    async with asyncpg.create_pool(
        dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, reset=keep_session
    ) as pool:
        async with pool.acquire() as conn, conn.transaction():
            # the workers start together: one creates the tables, the others wait for it
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('ceiling_schema'))")
            await conn.execute(SCHEMA_SQL)
        app.state.pool = pool
        app.state.answers = Answers(pool)
        writer = asyncio.create_task(app.state.answers.write_every(ANSWER_DELAY_S))
        try:
            yield
        finally:
            writer.cancel()


class Answers:
    """The keyed answers waiting to be kept: written together, every ``ANSWER_DELAY_S``."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.waiting: list[tuple[str, str, int, bytes]] = []

    def keep(self, key: str, claim: str, answer: Response) -> None:
        """Queue ``answer`` for ``key``'s row (fenced by ``claim``)."""
        self.waiting.append((key, claim, answer.status_code, bytes(answer.body)))

    async def write_every(self, delay: float) -> None:
        """Write the waiting answers in one statement, again and again."""
        while True:
            await asyncio.sleep(delay)
            batch, self.waiting = self.waiting, []
            if batch:
                columns = [list(column) for column in zip(*batch, strict=True)]
                await self.pool.execute(ANSWER_KEYS, ACCOUNT_ID, *columns)


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


async def insert_order(pool: asyncpg.Pool, order: Order) -> int:
    """Insert one order and its lines in one transaction and return the order's id."""
    async with pool.acquire() as conn, conn.transaction():
        order_id = await conn.fetchval(INSERT_ORDER, *order_values(order))
        await conn.execute(INSERT_LINES, order_id, *line_values(order))
    return cast(int, order_id)


def order_values(order: Order) -> tuple[object, ...]:
    """``INSERT_ORDER``'s arguments."""
    customer = order.customer
    return (
        ACCOUNT_ID,
        order.order_number,
        order.shipping_method,
        order.cart.store_name,
        customer.firstname,
        customer.lastname,
        customer.address1,
        customer.city,
        customer.state,
        customer.zip,
        customer.country,
    )


def line_values(order: Order) -> tuple[list[object], ...]:
    """``INSERT_LINES``'s arguments after the order's id."""
    return (
        [item.sku for item in order.items],
        [item.quantity for item in order.items],
        [item.sold_price for item in order.items],
    )


@app.post("/orders")
async def create_order(body: CreateOrders, request: Request) -> OrjsonResponse:
    """Validate one order and insert it with raw SQL."""
    order_id = await insert_order(request.app.state.pool, body.data[0])
    return OrjsonResponse({"data": {"order_id": order_id}})


@app.post("/keyed-orders")
async def create_keyed_order(body: CreateOrders, request: Request) -> Response:
    """Claim the key, insert the order marking the key, queue the answer: one connection."""
    key, fingerprint, claim = await _key_of(request)
    order = body.data[0]
    async with request.app.state.pool.acquire() as conn:
        if await conn.fetchval(CLAIM_KEY, ACCOUNT_ID, key, fingerprint, claim) is None:
            raise HTTPException(409, "Idempotency-Key already used")
        async with conn.transaction():
            order_id = await conn.fetchval(INSERT_MARKED_ORDER, *order_values(order), key, claim)
            await conn.execute(INSERT_LINES, order_id, *line_values(order))
    return _kept(request, key, claim, order_id)


@app.post("/orders-keyed-in-write")
async def create_order_claiming_key(body: CreateOrders, request: Request) -> Response:
    """Insert the order claiming its key in the same transaction, queue the answer."""
    key, fingerprint, claim = await _key_of(request)
    order = body.data[0]
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        order_id = await conn.fetchval(
            INSERT_ORDER_CLAIMING_KEY, *order_values(order), key, fingerprint, claim
        )
        if order_id is None:
            raise HTTPException(409, "Idempotency-Key already used")
        await conn.execute(INSERT_LINES, order_id, *line_values(order))
    return _kept(request, key, claim, order_id)


async def _key_of(request: Request) -> tuple[str, str, str]:
    """The request's key, its body's fingerprint and a new claim token."""
    key = request.headers.get("idempotency-key")
    if not key:
        raise HTTPException(400, "Idempotency-Key required")
    fingerprint = hashlib.sha256(await request.body()).hexdigest()
    return key, fingerprint, os.urandom(16).hex()


def _kept(request: Request, key: str, claim: str, order_id: int) -> Response:
    answer = OrjsonResponse({"data": {"order_id": order_id}})
    request.app.state.answers.keep(key, claim, answer)
    return answer


SELECT_GRID = """
SELECT sku, location, available FROM ceiling_levels WHERE account_id = $1 ORDER BY sku, location
"""


@app.get("/stock-grid")
async def stock_grid(request: Request) -> OrjsonResponse:
    """Read the 5,000 precomputed figures in one statement."""
    rows = await request.app.state.pool.fetch(SELECT_GRID, ACCOUNT_ID)
    items = [{"Sku": r[0], "LocationInternalName": r[1], "Quantity": r[2]} for r in rows]
    return OrjsonResponse({"PageNumber": 1, "PageSize": len(items), "Items": items})


@app.get("/orders/{order_id}")
async def get_order(order_id: int, request: Request) -> OrjsonResponse:
    """Read one order with its lines in one statement."""
    rows = await request.app.state.pool.fetch(SELECT_ORDER, ACCOUNT_ID, order_id)
    if not rows:
        raise HTTPException(404, "order not found")
    first = rows[0]
    order = {
        "order_id": first["id"],
        "order_number": first["order_number"],
        "shipping_method": first["shipping_method"],
        "cart": {"store_name": first["store_name"]},
        "customer": {
            field: first[field]
            for field in ("firstname", "lastname", "address1", "city", "state", "zip", "country")
        },
        "created_at": first["created_at"].isoformat(),
        "items": [
            {
                "line_no": row["line_no"],
                "sku": row["sku"],
                "quantity": row["quantity"],
                "sold_price": None if row["sold_price"] is None else str(row["sold_price"]),
            }
            for row in rows
            if row["line_no"] is not None
        ],
    }
    return OrjsonResponse({"data": order})
