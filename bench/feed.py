"""``orderyard ARGS``, plus the seconds spent inside the on-hand service.

Runs the CLI exactly as the console script does, with ``services.inventory.set_on_hand``
wrapped in a timer, and prints ``FEED_SERVICE_S <seconds>`` to stderr at the end. The caller
times the whole process from outside (start-up, CSV parsing, the service, exit), so the two
figures split the feed's wall time into what the service spends and the rest.

Usage: ``.venv/bin/python -m bench.feed stock import --account N FILE.csv``
"""

import functools
import sys
import time
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from orderyard import cli
from orderyard.services import inventory

P = ParamSpec("P")
T = TypeVar("T")
MARKER = "FEED_SERVICE_S"


def timed(function: Callable[P, Awaitable[T]], spent: list[float]) -> Callable[P, Awaitable[T]]:
    """Wrap an async function so that each call adds its duration to ``spent``."""

    @functools.wraps(function)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    return wrapper


def main() -> None:
    """Run the CLI with the on-hand service timed; report its time even when the CLI exits."""
    spent: list[float] = []
    inventory.set_on_hand = timed(inventory.set_on_hand, spent)  # type: ignore[assignment]
    try:
        cli.main()
    finally:
        print(f"{MARKER} {sum(spent):.3f}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.argv[0] = "orderyard"
    main()
