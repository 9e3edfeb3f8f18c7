"""The account's allocation strategy: the strategies there are, and reading and switching it.

A switch changes how stock is allocated from then on: allocations already made stay where
they are (nothing is re-planned), and every allocation after the switch (a new order, a
resumed one, a backorder when stock arrives) reads the new strategy. An allocation that reads
the account while a switch commits uses one strategy or the other, whole.
"""

from dataclasses import dataclass

from orderyard.domain.allocation.policy import DESCRIPTIONS, AllocationStrategy
from orderyard.domain.values import Page, PageRequest
from orderyard.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StrategyInfo:
    """A strategy and what it does."""

    strategy: AllocationStrategy
    description: str


def all_strategies() -> list[StrategyInfo]:
    """Every strategy, in the order the documentation lists them."""
    return [StrategyInfo(strategy, DESCRIPTIONS[strategy]) for strategy in AllocationStrategy]


def list_strategies(page: PageRequest) -> Page[StrategyInfo]:
    """One page of ``all_strategies``."""
    every = all_strategies()
    return Page(every[page.offset : page.offset + page.per_page], len(every), page)


async def current_strategy(uow: UnitOfWork) -> StrategyInfo:
    """The strategy the account allocates with now."""
    async with uow:
        account = await uow.accounts.get(uow.account_id)
    strategy = account.allocation_strategy
    return StrategyInfo(strategy, DESCRIPTIONS[strategy])


async def switch_strategy(uow: UnitOfWork, strategy: AllocationStrategy) -> StrategyInfo:
    """Allocate with ``strategy`` from now on; return it.

    A switch records the event ``allocation_strategy_switched`` on the account with the
    strategies before and after; choosing the current strategy again changes nothing and
    records nothing.
    """
    async with uow:
        previous = await uow.accounts.set_strategy(uow.account_id, strategy)
        if previous is not strategy:
            await uow.events.record(
                "allocation_strategy_switched",
                "account",
                uow.account_id,
                {"from": previous.value, "to": strategy.value},
            )
        await uow.commit()
    return StrategyInfo(strategy, DESCRIPTIONS[strategy])
