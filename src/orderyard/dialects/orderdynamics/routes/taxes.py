"""Taxes API: get, create/update and delete the account's tax rates.

The seed names three operations on ``/v1/taxes``; the body and the rules are Orderyard's
(docs/dialects/orderdynamics.md, "Taxes and shipping rates"): a rate is defined by its
``BackendName``, or by its ``InternalTaxRateId`` to rename it.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import tax as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.tax import TaxIn, TaxOut
from orderyard.domain.tax import NAME_MAX
from orderyard.domain.values import ID_MAX
from orderyard.services import taxes as service

PATH = "/v1/taxes"
router = APIRouter(tags=["taxes"])
BackendNameParam = Annotated[
    str | None, Query(alias="BackendName", max_length=NAME_MAX, description="The rate's name.")
]
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"model": TaxOut, "description": "Created: the account had no rate of that name."}
}


@router.get(PATH, responses=documented(404), name="Get taxes")
async def get_taxes(
    read: ReadUowDep,
    page: PageDep,
    name: BackendNameParam = None,
    sort: Annotated[
        str | None,
        Query(
            alias="SortByColumn",
            max_length=100,
            description="InternalTaxRateId (default), BackendName, Rate or CountryCode.",
        ),
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default true.")] = True,
) -> TaxOut | Paged[TaxOut]:
    """One tax rate by its `BackendName`, or a page of them sorted by `SortByColumn`."""
    column = mappers.sort_column(sort)
    if name:
        return mappers.tax_out(await service.get_tax_rate(read, name))
    found = await service.list_tax_rates(read, page, sort=column, descending=not ascending)
    return paged(found, [mappers.tax_out(rate) for rate in found.items])


@router.put(PATH, responses={**CREATED, **documented(404, 409)}, name="Create/Update taxes")
async def put_tax(body: TaxIn, uow: UowDep, response: Response) -> TaxOut:
    """Create a tax rate (201), or replace the one `InternalTaxRateId` or `BackendName` names."""
    rate, created = await service.set_tax_rate(
        uow, mappers.spec(body), rate_id=body.internal_tax_rate_id
    )
    response.status_code = 201 if created else 200
    return mappers.tax_out(rate)


@router.delete(PATH, status_code=204, responses=documented(404), name="Delete taxes")
async def delete_tax(
    uow: UowDep,
    rate_id: Annotated[
        int | None,
        Query(alias="InternalTaxRateId", ge=1, le=ID_MAX, description="The rate's id."),
    ] = None,
    name: BackendNameParam = None,
) -> Response:
    """Delete the tax rate `InternalTaxRateId` or `BackendName` names (both: the same one)."""
    await service.delete_tax_rate(uow, mappers.reference(rate_id, name))
    return Response(status_code=204)


ROUTERS = (router,)
