"""Allocation strategies: the wire's names <-> the core's strategies."""

from typing import Final

from orderyard.dialects.orderdynamics.schemas.allocation_strategy import (
    AllocationStrategyIn,
    AllocationStrategyOut,
    StrategyName,
)
from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.services.strategy import StrategyInfo

CORE: Final[dict[StrategyName, AllocationStrategy]] = {
    StrategyName.LocationPriority: AllocationStrategy.by_priority,
    StrategyName.SingleLocation: AllocationStrategy.single_location,
    StrategyName.Nearest: AllocationStrategy.nearest,
    StrategyName.MostStock: AllocationStrategy.most_stock,
}
WIRE: Final[dict[AllocationStrategy, StrategyName]] = {core: wire for wire, core in CORE.items()}


def strategy_of(body: AllocationStrategyIn) -> AllocationStrategy:
    """The core strategy a PUT body names."""
    return CORE[body.strategy_name]


def strategy_out(info: StrategyInfo) -> AllocationStrategyOut:
    """The wire form of a strategy."""
    return AllocationStrategyOut(strategy_name=WIRE[info.strategy], description=info.description)
