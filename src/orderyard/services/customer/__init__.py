"""Customer use cases: records, address books, and a data subject's export and erasure."""

from orderyard.services.customer.addresses import (
    AddressRef,
    EntryInput,
    customer_addresses,
    link_addresses,
    put_customer_address,
    update_address,
)
from orderyard.services.customer.privacy import CustomerExport, export_customer, forget_customer
from orderyard.services.customer.records import (
    CustomerRef,
    create_customer,
    customer_link,
    get_customer,
    search_customers,
    update_customer,
)
from orderyard.store.queries.customer import CustomerSort, EventView

__all__ = [
    "AddressRef",
    "CustomerExport",
    "CustomerRef",
    "CustomerSort",
    "EntryInput",
    "EventView",
    "create_customer",
    "customer_addresses",
    "customer_link",
    "export_customer",
    "forget_customer",
    "get_customer",
    "link_addresses",
    "put_customer_address",
    "search_customers",
    "update_address",
    "update_customer",
]
