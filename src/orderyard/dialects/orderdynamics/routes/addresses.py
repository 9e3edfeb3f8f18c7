"""The Addresses API: update an address, create or update a customer's, list a customer's."""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import customer as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.routes.customers import (
    ExternalCustomerId,
    InternalCustomerId,
)
from orderyard.dialects.orderdynamics.schemas.customer import (
    AddressPatchIn,
    AddressTypeWord,
    CustomerAddressOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import ID_MAX
from orderyard.services import customer as customer_service
from orderyard.services.customer import AddressRef

router = APIRouter(tags=["addresses"])


def _id(name: str, what: str) -> object:
    return Query(alias=name, ge=1, le=ID_MAX, description=what)


def _external(name: str, what: str) -> object:
    return Query(alias=name, max_length=100, description=what)


@router.put("/v1/addresses", responses=documented(404, 409), name="Update an address")
async def update_address(
    body: AddressPatchIn,
    uow: UowDep,
    internal: Annotated[int | None, _id("InternalAddressId", "Orderyard's address id.")] = None,
    external: Annotated[
        str | None, _external("ExternalAddressId", "The client's address id.")
    ] = None,
) -> CustomerAddressOut:
    """Change an address's given fields, by `InternalAddressId` or `ExternalAddressId`."""
    entry = mappers.put_entry(
        body, AddressRef(internal, external or None), address_type=None, is_default=None
    )
    return mappers.address_entry_out(await customer_service.update_address(uow, entry))


@router.put(
    "/v1/addresses/Customers",
    responses=documented(404, 409),
    name="Create or update a customer's address",
)
async def put_customer_address(  # noqa: PLR0913 - the seed's parameters, each a query parameter
    body: AddressPatchIn,
    uow: UowDep,
    address_type: Annotated[
        AddressTypeWord | None, Query(alias="AddressType", description="Shipping or Billing.")
    ] = None,
    is_default: Annotated[
        bool | None,
        Query(alias="IsDefaultShippingAddress", description="Make it the default shipping one."),
    ] = None,
    internal: Annotated[
        int | None, _id("InternalShippingAddressId", "The address to update.")
    ] = None,
    external: Annotated[
        str | None, _external("ExternalShippingAddressId", "The address to update or create.")
    ] = None,
    internal_customer: InternalCustomerId = None,
    external_customer: ExternalCustomerId = None,
) -> CustomerAddressOut:
    """Create an address in a customer's book, or update the one named."""
    entry = mappers.put_entry(
        body,
        AddressRef(internal, external or None),
        address_type=address_type,
        is_default=is_default,
    )
    written = await customer_service.put_customer_address(
        uow, mappers.customer_ref(internal_customer, external_customer), entry
    )
    return mappers.address_entry_out(written)


@router.get("/v1/addresses/Customers", responses=documented(404), name="Get customer addresses")
async def customer_addresses(
    read: ReadUowDep,
    page: PageDep,
    internal_customer: InternalCustomerId = None,
    external_customer: ExternalCustomerId = None,
    user_id: Annotated[
        str | None,
        Query(alias="UserId", max_length=100, description="Refused: no customer logins here."),
    ] = None,
    internal: Annotated[int | None, _id("InternalAddressId", "Only this address.")] = None,
    external: Annotated[str | None, _external("ExternalAddressId", "Only this address.")] = None,
) -> Paged[CustomerAddressOut]:
    """A page of a customer's addresses, oldest first (or the one address named)."""
    if user_id is not None:
        raise InvalidRequestError(
            "Orderyard keeps no customer user accounts; name the customer by"
            " InternalCustomerId or ExternalCustomerId",
            field="UserId",
        )
    found = await customer_service.customer_addresses(
        read,
        mappers.customer_ref(internal_customer, external_customer),
        page,
        address=AddressRef(internal, external or None),
    )
    return paged(found, [mappers.address_entry_out(entry) for entry in found.items])


ROUTERS = (router,)
