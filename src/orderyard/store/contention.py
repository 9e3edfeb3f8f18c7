"""Telling a transaction the database gave up to break a lock cycle from any other failure."""

from typing import Final

from sqlalchemy.exc import DBAPIError

TRANSIENT_STATES: Final = frozenset({"40P01", "40001"})
"""PostgreSQL's ``deadlock_detected`` and ``serialization_failure``: the transaction was rolled
back whole and can simply run again."""


def gave_up_on_locks(error: BaseException) -> bool:
    """Whether ``error`` is PostgreSQL rolling the transaction back to break a deadlock."""
    if not isinstance(error, DBAPIError):
        return False
    orig = error.orig
    for source in (orig, getattr(orig, "__cause__", None)):
        state = getattr(source, "sqlstate", None) or getattr(source, "pgcode", None)
        if state in TRANSIENT_STATES:
            return True
    return False
