"""Placing an order on PostgreSQL in one statement, with everything it starts with.

The order, its lines, allocations, ledger, event and the stock it takes.

Written one INSERT at a time, a one-line order costs five round trips after its reads, and
each one is a SQLAlchemy execution in this process and a parse-bind-execute in PostgreSQL.
Here the rows travel as arrays (one per column, through ``unnest``) and the inserts are
data-modifying CTEs of one statement, so an order writes in one round trip whatever its
number of lines; the statement is prepared once per connection (bench/README.md).

The take of a single level rides in the same statement, first, as a conditional UPDATE by
key (the check of ``stock.TAKE``: PostgreSQL re-reads a concurrently updated level before
applying it, so the condition holds on the latest row), and the inserts happen only if it
took: a lost race writes nothing. So the statement is a whole placement by itself and can
run in autocommit, where the level's row lock ends with the statement (docs/decisions.md,
"An order in one statement").

Two or more levels (``PLACE_ORDER_AT_LEVELS``) are first locked, one index lookup each in
(location, item) order (``stock_sets.WANTED_LOCKED_IN_ORDER``, which ``LOCK_WANTED`` uses
too, so two orders never lock the same levels in opposite orders), then checked all
together: only if every level still has its quantity are they taken and the order written.
A locked row is the latest version and stays so until the statement ends, so the check holds
for the UPDATE that follows. One plain UPDATE of several levels would lock them in whatever
order its plan visits them.
"""

from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    BindParameter,
    Integer,
    String,
    TextClause,
    bindparam,
    text,
)
from sqlalchemy.types import TypeEngine

from orderyard.store.driver import DriverStatement
from orderyard.store.repositories.idempotency import NEW_KEY_COLUMNS
from orderyard.store.repositories.stock_sets import WANTED_LOCKED_IN_ORDER
from orderyard.store.stock_figures import available_sql
from orderyard.store.tables import idempotency_keys, orders

ORDER_COLUMNS = tuple(c.name for c in orders.c if c.name not in ("id", "version"))
"""The columns of ``orders`` a new order sets (the rest are generated or defaulted)."""

_TYPED: dict[str, TypeEngine[Any]] = {
    "actor": String(),
    "event_kind": String(),
    "event_data": String(),
}
_ARRAYS: dict[str, type[TypeEngine[Any]]] = {
    "line_nos": Integer,
    "line_items": BigInteger,
    "line_skus": String,
    "requested_skus": String,
    "kit_skus": String,
    "line_quantities": Integer,
    "line_allocated": Integer,
    "line_backordered": Integer,
    "unit_prices": BigInteger,
    "line_external_ids": String,
    "line_taxes": BigInteger,
    "line_discounts": BigInteger,
    "take_line_nos": Integer,
    "take_locations": BigInteger,
    "take_items": BigInteger,
    "take_quantities": Integer,
}


_ONE_LEVEL = """
    WITH taken AS (
        UPDATE stock_levels SET allocated = allocated + :take_quantity
        WHERE account_id = :account_id AND location_id = :take_location
            AND item_id = :take_item
            AND :take_quantity <= {available}
        RETURNING location_id
    ), placed AS (
        INSERT INTO orders ({columns})
        SELECT {values}
        WHERE (:take_location IS NULL OR EXISTS (SELECT FROM taken))
        RETURNING id
    )"""

_LEVELS = """
    WITH locked AS (
        SELECT wanted.quantity, level.available, level.location_id, level.item_id
        {wanted_locked_in_order}
    ), enough AS (
        SELECT count(*) = cardinality(:items)
            AND coalesce(bool_and(quantity <= available), true) AS all_there
        FROM locked
    ), taken AS (
        UPDATE stock_levels AS s SET allocated = s.allocated + locked.quantity
        FROM locked
        WHERE (SELECT all_there FROM enough)
            AND s.account_id = (SELECT :account_id)
            AND s.location_id = locked.location_id AND s.item_id = locked.item_id
    ), placed AS (
        INSERT INTO orders ({columns})
        SELECT {values}
        WHERE (SELECT all_there FROM enough)
        RETURNING id
    )"""

_WRITES = """, lines AS (
        INSERT INTO order_lines (account_id, order_id, line_no, item_id, sku, requested_sku,
            kit_sku, quantity, allocated, backordered, unit_price, external_id, tax_amount,
            discount_amount)
        SELECT :account_id, placed.id, line.*
        FROM placed, unnest(:line_nos, :line_items, :line_skus, :requested_skus, :kit_skus,
            :line_quantities, :line_allocated, :line_backordered, :unit_prices,
            :line_external_ids, :line_taxes, :line_discounts) AS line
        RETURNING id, line_no
    ), allocated AS (
        INSERT INTO allocations (account_id, order_id, order_line_id, location_id, item_id,
            quantity)
        SELECT :account_id, placed.id, lines.id, took.location_id, took.item_id, took.quantity
        FROM placed, unnest(:take_line_nos, :take_locations, :take_items, :take_quantities)
            AS took (line_no, location_id, item_id, quantity)
        JOIN lines ON lines.line_no = took.line_no
    ), ledger AS (
        INSERT INTO inventory_movements (account_id, location_id, item_id, reason,
            on_hand_delta, allocated_delta, order_id, reference, created_at)
        SELECT :account_id, took.location_id, took.item_id, 'allocated', 0, took.quantity,
            placed.id, '', :created_at
        FROM placed, unnest(:take_locations, :take_items, :take_quantities)
            AS took (location_id, item_id, quantity)
    ), logged AS (
        INSERT INTO events (account_id, actor, kind, record_type, record_id, data, created_at)
        SELECT :account_id, :actor, :event_kind, 'order', placed.id, :event_data, :created_at
        FROM placed
    )"""

_KEY_WRITTEN = """, key_written AS (
        INSERT INTO idempotency_keys (account_id, scope, key, method, path, fingerprint, claim,
            lease_until, carried_out, created_at)
        SELECT :account_id, :key_scope, :key_key, :key_method, :key_path, :key_fingerprint,
            :key_claim, :key_lease_until, true, :created_at
        FROM placed
    )"""
"""The running request's idempotency key, inserted in the placement's own (autocommitted)
statement when the order is placed (``store/keyed_writes.py``); its parameters are
``idempotency.new_key_params`` with the prefix ``key_``. No ``ON CONFLICT``: a key
already held (another request with it placed its order first) fails the statement, and
nothing of it is written; the insert waits for that other statement's transaction first, if
it is still open."""

_ANSWER = """
    SELECT placed.id, (SELECT array_agg(id ORDER BY line_no) FROM lines) AS line_ids
    FROM placed
    """


def _place_order(
    takes: str, extra: dict[str, TypeEngine[Any]], *, keyed: bool = False
) -> TextClause:
    """The placement with ``takes`` (the CTEs ``taken`` and ``placed``) leading its writes.

    ``keyed``: the statement inserts the running request's idempotency key with the order
    (``_KEY_WRITTEN``), and fails, writing nothing, when the key is held.
    """
    columns = ", ".join(ORDER_COLUMNS)
    values = ", ".join(f":{name}" for name in ORDER_COLUMNS)
    # Column names come from the table definition; every value is a bind parameter.
    sql = takes.format(
        columns=columns,
        values=values,
        wanted_locked_in_order=WANTED_LOCKED_IN_ORDER,
        available=available_sql(),
    )
    sql += _WRITES + (_KEY_WRITTEN if keyed else "") + _ANSWER
    binds: list[BindParameter[Any]] = [
        bindparam(name, type_=orders.c[name].type) for name in ORDER_COLUMNS
    ]
    binds += [bindparam(name, type_=type_) for name, type_ in _TYPED.items()]
    binds += [bindparam(name, type_=ARRAY(item)) for name, item in _ARRAYS.items()]
    binds += [bindparam(name, type_=type_) for name, type_ in extra.items()]
    if keyed:
        binds += [
            bindparam(f"key_{name}", type_=idempotency_keys.c[name].type)
            for name in NEW_KEY_COLUMNS
        ]
    return text(sql).bindparams(*binds)


_ONE_LEVEL_BINDS: dict[str, TypeEngine[Any]] = {
    "take_location": BigInteger(),
    "take_item": BigInteger(),
    "take_quantity": Integer(),
}
_LEVELS_BINDS: dict[str, TypeEngine[Any]] = {
    "locations": ARRAY(BigInteger),
    "items": ARRAY(BigInteger),
    "quantities": ARRAY(Integer),
}

PLACE_ORDER = DriverStatement(_place_order(_ONE_LEVEL, _ONE_LEVEL_BINDS))
"""Take up to one stock level and, if it was taken (or none was given), insert the order with
everything it starts with; returns the order id and its line ids in line order, or no row
when the level's stock went elsewhere (then nothing was written)."""

PLACE_ORDER_AT_LEVELS = DriverStatement(_place_order(_LEVELS, _LEVELS_BINDS))
"""The same for an order taking two or more levels, all or none: it locks them in (location,
item) order, and takes them and writes the order only if every one still has its quantity;
otherwise it writes nothing and returns no row."""

PLACE_KEYED_ORDER = DriverStatement(_place_order(_ONE_LEVEL, _ONE_LEVEL_BINDS, keyed=True))
"""``PLACE_ORDER`` for a request with an idempotency key: it inserts the key (``key_*``) with
the order, and fails, writing nothing, when the key is held."""

PLACE_KEYED_ORDER_AT_LEVELS = DriverStatement(_place_order(_LEVELS, _LEVELS_BINDS, keyed=True))
"""``PLACE_ORDER_AT_LEVELS`` for a request with an idempotency key."""
