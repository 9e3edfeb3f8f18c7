"""Every SQL statement the store sends while the suite runs on PostgreSQL, and who sent it.

``test_account_filters`` checks, after the whole suite, that each pins the tenant tables it
touches to an account, unless a system repository (one without an account) sent it.
Statements are kept when the code that sent them is the store's (``src/orderyard/store``,
migrations aside): the tests' own checks and the migrations' data steps are not statements
the running server sends. A statement sent through SQLAlchemy runs in a greenlet whose frames
end at the greenlet; its sender is found in the frames of the coroutine the greenlet was
spawned from (``greenlet.getcurrent().parent``). One sent on the driver (``store/driver.py``)
is read from its DEBUG log, in the sender's own frames.
"""

import logging
import re
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

import greenlet
from sqlalchemy import event
from sqlalchemy.engine import Engine

sent: dict[str, frozenset[str]] = {}
"""The store's statements, their parameter lists folded (``IN ($1, $2)`` as ``IN ($0)``), each
with the store classes whose methods were sending it the first time it was seen."""
_not_the_stores: set[str] = set()
_PARAMETER_LIST = re.compile(r"\(\$\d+(?:::[A-Z ]+)?(?:, \$\d+(?:::[A-Z ]+)?)+\)")
_STORE = "/src/orderyard/store/"
_MIGRATIONS = "/src/orderyard/store/migrations/"
_OURS = ("/src/orderyard/", "/tests/")


def watch() -> None:
    """Keep every statement the store sends on PostgreSQL from now on."""
    event.listen(Engine, "before_cursor_execute", _on_cursor)
    driver_log = logging.getLogger("orderyard.store.driver")
    driver_log.addHandler(_DriverStatements())
    driver_log.setLevel(logging.DEBUG)


def _on_cursor(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if conn.dialect.name == "postgresql":
        _keep(statement)


class _DriverStatements(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _keep(record.getMessage())


def _keep(statement: str) -> None:
    folded = _PARAMETER_LIST.sub("($0)", " ".join(statement.split()))
    if folded in sent or folded in _not_the_stores:
        return
    senders = _store_senders()
    if senders is None:
        _not_the_stores.add(folded)
    else:
        sent[folded] = senders


def _store_senders() -> frozenset[str] | None:
    """The store classes sending the statement, or None when the store did not send it.

    The nearest of our frames decides whether the store sent it; the classes are those of the
    store's methods on the way up (``JobQueue`` of ``JobQueue.claim``).
    """
    classes: set[str] = set()
    decided = False
    for frame in _frames(sys._getframe(3)):
        name = frame.f_code.co_filename
        in_store = name.find(_STORE) >= 0 and name.find(_MIGRATIONS) < 0
        if not decided and any(part in name for part in _OURS):
            if not in_store:
                return None
            decided = True
        if in_store and "." in frame.f_code.co_qualname:
            classes.add(frame.f_code.co_qualname.split(".")[0])
    return frozenset(classes) if decided else None


def _frames(frame: FrameType | None) -> Iterator[FrameType]:
    """The frames up from ``frame``, through the greenlets' parents."""
    current: greenlet.greenlet | None = greenlet.getcurrent()
    while True:
        while frame is not None:
            yield frame
            frame = frame.f_back
        current = current.parent if current is not None else None
        if current is None:
            return
        frame = current.gr_frame
