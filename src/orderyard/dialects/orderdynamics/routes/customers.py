"""The Customers API: create, get, search, link addresses, update, export, forget.

A customer's orders are found by the link rule (``domain.customer.CustomerLink``) when read;
Export answers all of them, Forget anonymises all of them (docs/dialects/orderdynamics.md,
"Customers and addresses").
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import customer as mappers
from orderyard.dialects.orderdynamics.mappers import order as order_mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.customer import (
    CustomerAddressOut,
    CustomerExportOut,
    CustomerIdsIn,
    CustomerIn,
    CustomerOut,
    CustomerPatchIn,
    ForgetOut,
    LinkAddressesIn,
)
from orderyard.domain.values import ID_MAX
from orderyard.services import customer as customer_service
from orderyard.services import order as order_service

router = APIRouter(tags=["customers"])
InternalCustomerId = Annotated[
    int | None,
    Query(alias="InternalCustomerId", ge=1, le=ID_MAX, description="Orderyard's customer id."),
]
ExternalCustomerId = Annotated[
    str | None,
    Query(alias="ExternalCustomerId", max_length=100, description="The client's customer id."),
]


@router.post("/v1/customers", status_code=201, responses=documented(409), name="Create a customer")
async def create_customer(body: CustomerIn, uow: UowDep) -> CustomerOut:
    """Create a customer; a given `ExternalCustomerId` must be new in the account."""
    created = await customer_service.create_customer(uow, mappers.person_in(body))
    return mappers.customer_out(created)


@router.get("/v1/customers", responses=documented(404), name="Get customers")
async def get_customer(
    read: ReadUowDep, internal: InternalCustomerId = None, external: ExternalCustomerId = None
) -> CustomerOut:
    """One customer, by `InternalCustomerId` or `ExternalCustomerId`."""
    found = await customer_service.get_customer(read, mappers.customer_ref(internal, external))
    return mappers.customer_out(found)


@router.get("/v1/customers/Search", responses=documented(), name="Search customers")
async def search_customers(
    read: ReadUowDep,
    page: PageDep,
    keyword: Annotated[
        str,
        Query(
            alias="SearchKeyword",
            max_length=200,
            description="Found in first or last name, e-mail, phone or external id, any case.",
        ),
    ] = "",
    sort: Annotated[
        str | None,
        Query(alias="SortByColumn", max_length=100, description="Default InternalCustomerId."),
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default true.")] = True,
) -> Paged[CustomerOut]:
    """A page of the customers a keyword matches (every customer without one)."""
    found = await customer_service.search_customers(
        read, keyword, page, sort=mappers.sort_of(sort), descending=not ascending
    )
    return paged(found, [mappers.customer_out(customer) for customer in found.items])


@router.put(
    "/v1/customers/Addresses", responses=documented(404, 409), name="Link addresses to a customer"
)
async def link_addresses(
    body: LinkAddressesIn,
    uow: UowDep,
    internal: InternalCustomerId = None,
    external: ExternalCustomerId = None,
) -> list[CustomerAddressOut]:
    """Add the addresses to the customer's book (or update those named); answer the book."""
    book = await customer_service.link_addresses(
        uow, mappers.customer_ref(internal, external), mappers.entries_in(body.addresses)
    )
    return [mappers.address_entry_out(entry) for entry in book]


@router.put("/v1/customers", responses=documented(404, 409), name="Update a customer")
async def update_customer(
    body: CustomerPatchIn,
    uow: UowDep,
    internal: InternalCustomerId = None,
    external: ExternalCustomerId = None,
) -> CustomerOut:
    """Change a customer's given fields; absent or null fields stay."""
    updated = await customer_service.update_customer(
        uow, mappers.customer_ref(internal, external), mappers.person_patch(body)
    )
    return mappers.customer_out(updated)


@router.post("/v1/customers/Export", responses=documented(404), name="Export a customer")
async def export_customer(body: CustomerIdsIn, read: ReadUowDep) -> CustomerExportOut:
    """Everything held about a customer, orders and addresses included, as one document."""
    export = await customer_service.export_customer(read, mappers.body_ref(body))
    fields = await order_service.custom_fields_of(read, export.orders)
    return CustomerExportOut(
        customer=mappers.customer_out(export.customer),
        addresses=[mappers.address_entry_out(entry) for entry in export.addresses],
        orders=[
            order_mappers.order_out(view, own)
            for view, own in zip(export.orders, fields, strict=True)
        ],
        events=[mappers.event_out(event) for event in export.events],
        exported_date_time_utc=export.exported_at,
    )


@router.post("/v1/customers/Forget", responses=documented(404), name="Forget a customer")
async def forget_customer(body: CustomerIdsIn, uow: UowDep) -> ForgetOut:
    """Erase the customer's personal data from them, their addresses and their orders."""
    done = await customer_service.forget_customer(uow, mappers.body_ref(body))
    return mappers.forget_out(done)


ROUTERS = (router,)
