"""Bulk calls: every item in its own savepoint, reported on its own.

A failing item is rolled back to its savepoint and leaves no trace; the others stay in the
service's transaction, which the service commits when any item succeeded.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from orderyard.domain.errors import DomainError
from orderyard.store.uow import UnitOfWork

C = TypeVar("C")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Attempt(Generic[C, R]):
    """One item of a bulk call: its command, and what it gave or why it failed."""

    index: int
    command: C
    value: R | None = None
    error: DomainError | None = None


async def attempt_each(
    uow: UnitOfWork,
    commands: Sequence[C],
    apply: Callable[[C], Awaitable[R]],
    *,
    savepoint_single: bool = True,
) -> list[Attempt[C, R]]:
    """Apply every command inside the open unit of work, each in a savepoint.

    With ``savepoint_single=False`` a call of one command runs without a savepoint: its
    failure then spoils the whole transaction, which is only right for a service that commits
    nothing when its one command fails (it saves two statements on the order hot path).
    """
    attempts: list[Attempt[C, R]] = []
    for index, command in enumerate(commands):
        try:
            if len(commands) == 1 and not savepoint_single:
                value = await apply(command)
            else:
                async with uow.savepoint():
                    value = await apply(command)
        except DomainError as error:
            attempts.append(Attempt(index, command, error=error))
            continue
        attempts.append(Attempt(index, command, value))
    return attempts


def any_succeeded(attempts: Sequence[Attempt[C, R]]) -> bool:
    """Whether the call has anything to commit."""
    return any(attempt.error is None for attempt in attempts)
