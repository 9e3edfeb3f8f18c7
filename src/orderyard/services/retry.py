"""Running a use case again when the database broke a lock cycle by failing it.

Stock changes lock stock levels and orders, and not every use case can take them in one
order: a count that falls below what is allocated locks its levels and then the orders it
takes stock back from, while a cancellation locks its order and then gives back the levels'
stock. Two such transactions racing for the same rows wait on each other; PostgreSQL breaks
the cycle by rolling one back whole (``deadlock detected``). Nothing of it was written, so the
use case runs again, from the start, on a fresh transaction, after a short random pause that
lets the other one finish. A client never sees the cycle.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

from orderyard.store.contention import gave_up_on_locks
from orderyard.store.uow import UnitOfWork

P = ParamSpec("P")
T = TypeVar("T")
ATTEMPTS: Final = 4
PAUSE_S: Final = 0.02
"""The longest first pause; each attempt may wait up to twice the one before."""


def retried_on_lock_cycles(
    use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
) -> Callable[Concatenate[UnitOfWork, P], Coroutine[Any, Any, T]]:
    """Run ``use_case`` (which opens and commits ``uow`` itself) again after a deadlock."""

    @wraps(use_case)
    async def run(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS):
            try:
                return await use_case(uow, *args, **kwargs)
            except Exception as error:
                if attempt == ATTEMPTS - 1 or not gave_up_on_locks(error):
                    raise
            await asyncio.sleep(random.uniform(0, PAUSE_S * 2**attempt))  # noqa: S311
        raise AssertionError("unreachable")

    return run
