"""Allocation strategies (Orderyard's additions): a strategy by its name, and what it does."""

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut


class StrategyName(StrEnum):
    """The strategies' names on the wire."""

    LocationPriority = "LocationPriority"
    SingleLocation = "SingleLocation"
    Nearest = "Nearest"
    MostStock = "MostStock"


_FOLDED = {name.value.lower(): name.value for name in StrategyName}


def _any_case(value: object) -> object:
    """``nearest`` and ``NEAREST`` are ``Nearest``, as .NET reads an enum's name."""
    if isinstance(value, str):
        return _FOLDED.get(value.strip().lower(), value)
    return value


class AllocationStrategyIn(WireIn):
    """The strategy to allocate with from now on."""

    strategy_name: Annotated[StrategyName, BeforeValidator(_any_case)] = Field(
        description="LocationPriority, SingleLocation, Nearest or MostStock, in any case."
    )


class AllocationStrategyOut(WireOut):
    """A strategy and what it does."""

    strategy_name: StrategyName
    description: str
