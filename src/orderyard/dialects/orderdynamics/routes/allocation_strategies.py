"""Allocation strategies: Orderyard's additions, under the dialect's conventions.

The seed names an Allocation Strategies API ("view different inventory allocation
strategies") but gives it no paths. These list the strategies, and read and switch the one
the account allocates with.
"""

from fastapi import APIRouter, Depends

from orderyard.dialects.orderdynamics.auth import UowDep, current_account
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import allocation_strategy as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.allocation_strategy import (
    AllocationStrategyIn,
    AllocationStrategyOut,
)
from orderyard.services import strategy as service

STRATEGIES = "/v1/allocationstrategies"
CURRENT = "/v1/allocationstrategies/current"

router = APIRouter(tags=["allocation strategies"])


@router.get(
    STRATEGIES,
    responses=documented(),
    dependencies=[Depends(current_account)],
    name="Get allocation strategies",
)
async def get_strategies(page: PageDep) -> Paged[AllocationStrategyOut]:
    """Every allocation strategy, with what it does (Orderyard's addition)."""
    found = service.list_strategies(page)
    return paged(found, [mappers.strategy_out(info) for info in found.items])


@router.get(CURRENT, responses=documented(), name="Get the current allocation strategy")
async def get_current_strategy(uow: UowDep) -> AllocationStrategyOut:
    """The strategy the account allocates with (Orderyard's addition)."""
    return mappers.strategy_out(await service.current_strategy(uow))


@router.put(CURRENT, responses=documented(), name="Switch the current allocation strategy")
async def switch_strategy(body: AllocationStrategyIn, uow: UowDep) -> AllocationStrategyOut:
    """Allocate with another strategy from now on; allocations made stay (Orderyard's addition)."""
    return mappers.strategy_out(await service.switch_strategy(uow, mappers.strategy_of(body)))


ROUTERS = (router,)
