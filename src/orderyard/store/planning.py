"""Lookups by key, planned once: parameters the planner does not see.

PostgreSQL plans a prepared statement with its parameters' values (a custom plan) for its first
five executions, then keeps one generic plan unless that looks costlier than the custom ones.
A value makes the custom plan look cheaper whenever the statistics single it out: an account
the last ``ANALYZE`` did not see has "no rows", and an array of one element "one row" where the
generic plan guesses ten. Such a statement is then planned afresh on every execution (100-220
µs of PostgreSQL's CPU each, three of them per order), on statistics that lag behind a growing
account: an account created after the last ``ANALYZE`` had its SKUs resolved through
``ix_items_account_id_updated_at_id``, a walk over all its items, instead of the unique
``(account_id, sku)`` index.

Behind a scalar subquery, ``(SELECT $1)``, a value is known only when the statement runs: the
custom and the generic plan are the same plan, chosen by the shape of the indexes, and the
prepared statement keeps it. Only for lookups by key, whose right plan does not depend on the
value (SQL text writes ``(SELECT :name)`` itself; ``stock_sets`` does). docs/decisions.md,
"Lookups by key are planned once".
"""

from typing import Any, TypeVar

from sqlalchemy import ARRAY, BindParameter, ColumnElement, ScalarSelect, cast, select

T = TypeVar("T")


def unseen(param: BindParameter[T]) -> ScalarSelect[T]:
    """``param`` as ``(SELECT param)``: a value the planner does not see."""
    return select(param).scalar_subquery()


def unseen_array(param: BindParameter[Any]) -> ColumnElement[Any]:
    """An array parameter the planner does not see, for ``= ANY(...)``.

    Cast back to its type: ``= ANY ((SELECT ...))`` would read as ``ANY (subquery)`` and compare
    with each row's array instead of each element.
    """
    if not isinstance(param.type, ARRAY):
        raise TypeError(f"{param.key} is not an array parameter")
    return cast(unseen(param), param.type)
