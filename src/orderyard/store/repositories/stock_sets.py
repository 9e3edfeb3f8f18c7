"""Set-based stock statements for PostgreSQL: a feed's counts and a batch's takes.

The rows travel as one array per column and come back as a table through ``unnest``, so each
statement is prepared once and keeps its few bind parameters whatever the size of the set (a
``VALUES`` list or a tuple ``IN`` is compiled anew for every size, and executemany sends one
row set per row; bench/README.md). Each level is reached by its own index lookup (``CROSS JOIN
LATERAL``): joined as a set, the planner hashes every level of the account to touch a few
thousand, and the cost grows with the account instead of the set.

The statements orders run (``CANDIDATES`` for every order; ``LOCK_WANTED`` and ``TAKE_WANTED``
when an order is placed again after a lost race and when backorders are allocated; the
multi-level placement shares ``WANTED_LOCKED_IN_ORDER``) read their account and arrays through
scalar subqueries, ``(SELECT :items)``, so that they are planned once (``store/planning.py``):
given the array itself, the planner sizes ``unnest`` by its length in a custom plan and guesses
10 elements in the generic one, and the generic plan then always looks costlier. The feed's
statements run a few times per feed and keep the plain form.

They keep the rules of ``stock.py``: levels are locked in (location, item) order before they
change, and every change of a level appends its movement in the same statement
(data-modifying CTEs). They are SQL text because that is how they read best; the PostgreSQL
suite runs every one of them.
"""

from sqlalchemy import ARRAY, BigInteger, Integer, String, TextClause, bindparam, text

from orderyard.store.stock_figures import available_sql, settled_bypassed_sql
from orderyard.store.types import UTCDateTime


def _per_level(sql: str, quantities: str) -> TextClause:
    """Bind the account and one array each of locations, items and ``quantities``."""
    return text(sql).bindparams(
        bindparam("account_id", type_=BigInteger),
        bindparam("locations", type_=ARRAY(BigInteger)),
        bindparam("items", type_=ARRAY(BigInteger)),
        bindparam(quantities, type_=ARRAY(Integer)),
    )


def _counted(sql: str) -> TextClause:
    return _per_level(sql, "counts")


def _counted_with_ledger(sql: str) -> TextClause:
    return _counted(sql).bindparams(
        bindparam("reference", type_=String),
        bindparam("now", type_=UTCDateTime()),
    )


CREATE_COUNTED = _counted_with_ledger(
    """
    WITH created AS (
        INSERT INTO stock_levels (account_id, location_id, item_id, on_hand)
        SELECT :account_id, location_id, item_id, on_hand
        FROM unnest(:locations, :items, :counts) AS counted (location_id, item_id, on_hand)
        ORDER BY location_id, item_id
        ON CONFLICT DO NOTHING
        RETURNING item_id, location_id, on_hand
    ), ledger AS (
        INSERT INTO inventory_movements (account_id, location_id, item_id, reason,
            on_hand_delta, allocated_delta, reference, created_at)
        SELECT :account_id, location_id, item_id, 'on_hand_set', on_hand, 0, :reference, :now
        FROM created WHERE on_hand <> 0
    )
    SELECT count(*) AS created, count(*) FILTER (WHERE on_hand <> 0) AS changed,
        array_agg(DISTINCT item_id) FILTER (WHERE on_hand > 0) AS raised
    FROM created
    """
)
"""Insert the counted levels that do not exist yet, in (location, item) order, with their
ledger; returns how many it created, how many of those hold stock, and the items raised. A
level that another transaction is creating is waited for and skipped; when any count found its
level already there, the next two statements lock and set the whole set (a level created here
already holds its count, so SET_COUNTED leaves it alone)."""

LOCK_COUNTED = _counted(
    """
    WITH locked AS MATERIALIZED (
        SELECT counted.location_id, counted.item_id, level.backed AS allocated, counted.on_hand
        FROM (
            SELECT * FROM unnest(:locations, :items, :counts)
                AS counted (location_id, item_id, on_hand)
            ORDER BY location_id, item_id
        ) AS counted
        CROSS JOIN LATERAL (
            SELECT allocated - bypassed AS backed FROM stock_levels
            WHERE account_id = :account_id
                AND location_id = counted.location_id AND item_id = counted.item_id
            FOR UPDATE
        ) AS level
    )
    SELECT location_id, item_id, allocated, on_hand FROM locked
    WHERE on_hand < allocated
    """
)
"""Lock every counted level, one index lookup each in (location, item) order; return those
whose count is below what on-hand backs of the allocated units there (``allocated -
bypassed``: stock was lost; their newest allocations are released before the count is set,
the shortfall left as it is)."""

SET_COUNTED = _counted_with_ledger(
    f"""
    WITH changed AS (
        UPDATE stock_levels AS s SET on_hand = counted.on_hand,
            bypassed = {settled_bypassed_sql("s.allocated", "counted.on_hand", "s.bypassed")}
        FROM unnest(:locations, :items, :counts) AS counted (location_id, item_id, on_hand)
        CROSS JOIN LATERAL (
            SELECT ctid AS row_id, on_hand AS was FROM stock_levels
            WHERE account_id = :account_id
                AND location_id = counted.location_id AND item_id = counted.item_id
            LIMIT 1
        ) AS level
        WHERE s.ctid = level.row_id AND s.account_id = :account_id
            AND level.was <> counted.on_hand
        RETURNING s.location_id, s.item_id, counted.on_hand - level.was AS delta
    ), ledger AS (
        INSERT INTO inventory_movements (account_id, location_id, item_id, reason,
            on_hand_delta, allocated_delta, reference, created_at)
        SELECT :account_id, location_id, item_id, 'on_hand_set', delta, 0, :reference, :now
        FROM changed
    )
    SELECT count(*) AS changed, array_agg(DISTINCT item_id) FILTER (WHERE delta > 0) AS raised
    FROM changed
    """  # noqa: S608
)
"""Set the levels whose count differs (a rise pays off the shortfall first), with their
ledger. Only after LOCK_COUNTED: the levels are found by row address (``ctid``), which holds
because this transaction has them locked."""


def _wanted(sql: str) -> TextClause:
    return _per_level(sql, "quantities")


WANTED_LOCKED_IN_ORDER = f"""
    FROM (
        SELECT * FROM unnest((SELECT :locations), (SELECT :items), (SELECT :quantities))
            AS wanted (location_id, item_id, quantity)
        ORDER BY location_id, item_id
    ) AS wanted
    CROSS JOIN LATERAL (
        SELECT location_id, item_id,
            {available_sql()} AS available
        FROM stock_levels
        WHERE account_id = (SELECT :account_id)
            AND location_id = wanted.location_id AND item_id = wanted.item_id
        FOR UPDATE
    ) AS level
"""  # noqa: S608 (f-strings here only insert the constant formula of stock_figures)
"""The wanted levels (``wanted``, one row per level) joined to their rows (``level``), each
locked by its own index lookup in (location, item) order: two transactions never lock the
same levels in opposite orders. A FROM clause, shared with ``order_sets``."""

LOCK_WANTED = _wanted("SELECT count(*)" + WANTED_LOCKED_IN_ORDER)
"""Lock the wanted levels, one index lookup each in (location, item) order."""

TAKE_WANTED = _wanted(
    f"""
    UPDATE stock_levels AS s SET allocated = s.allocated + wanted.quantity
    FROM unnest((SELECT :locations), (SELECT :items), (SELECT :quantities))
        AS wanted (location_id, item_id, quantity)
    CROSS JOIN LATERAL (
        SELECT ctid AS row_id FROM stock_levels
        WHERE account_id = (SELECT :account_id)
            AND location_id = wanted.location_id AND item_id = wanted.item_id
        LIMIT 1
    ) AS level
    WHERE s.ctid = level.row_id AND s.account_id = (SELECT :account_id)
        AND wanted.quantity <= {available_sql("s.")}
    RETURNING s.location_id, s.item_id
    """  # noqa: S608
)
"""Take each wanted quantity where it is still available, all or nothing per level; returns
the levels taken. Only after LOCK_WANTED, for the same reason as SET_COUNTED."""

CANDIDATES = text(
    f"""
    SELECT level.location_id, level.item_id, level.on_hand, level.allocated, level.reserved,
        level.safety_stock, level.priority, level.expired, level.latitude, level.longitude
    FROM unnest((SELECT :item_ids)) AS wanted (item_id)
    CROSS JOIN LATERAL (
        SELECT s.location_id, s.item_id, s.on_hand, s.allocated, s.reserved, s.safety_stock,
            l.priority, coalesce(s.reserved_expires_at <= :now, false) AS expired,
            l.latitude, l.longitude,
            sum({available_sql("s.")}) OVER (
                ORDER BY l.priority, s.location_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) AS before
        FROM stock_levels AS s
        JOIN locations AS l ON l.account_id = s.account_id AND l.id = s.location_id
        WHERE s.account_id = (SELECT :account_id) AND s.item_id = wanted.item_id
            AND ({available_sql("s.")} > 0 OR s.reserved_expires_at <= :now)
            AND l.active AND l.ships_orders
    ) AS level
    WHERE coalesce(level.before, 0) < :enough
    """  # noqa: S608
).bindparams(
    bindparam("account_id", type_=BigInteger),
    bindparam("item_ids", type_=ARRAY(BigInteger)),
    bindparam("enough", type_=BigInteger),
    bindparam("now", type_=UTCDateTime()),
)
"""Each item's active shipping locations with stock and their coordinates (as stored, in
ten-thousandths of a degree), in priority order until the ones before hold ``enough`` units
(a level counting an expired reservation comes whatever it holds: its row's shortfall only
widens the reach). Item by item through its index: a new account has no statistics yet (its
first feed is one transaction), and joined as a set the planner then scanned every location
once per stock level (2.4 s for 400 items; this form, 68 ms either way)."""
