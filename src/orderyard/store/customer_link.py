"""The link rule in SQL: which orders are a customer's (``domain.customer.CustomerLink``).

Orders carry the customer's ids as placed and no customer id of Orderyard's, so placing an
order never looks a customer up. A customer's orders are the union of two index ranges of
``orders``: (account_id, customer_external_id) for orders placed with the customer's
external id, and (account_id, customer_email) for orders placed without one (ShipEdge
orders, OrderDynamics orders with no ``ExternalCustomerId``) whose customer e-mail is the
customer's. An empty id or e-mail links nothing (it would match every anonymous order).
"""

from typing import Any

from sqlalchemy import ColumnElement, false, or_

from orderyard.domain.customer import CustomerLink
from orderyard.store.tables import orders


def linked_orders(link: CustomerLink) -> ColumnElement[bool]:
    """The condition on ``orders`` (beside its account) of the orders the link names."""
    either: list[ColumnElement[Any]] = []
    if link.external_id:
        either.append(orders.c.customer_external_id == link.external_id)
    if link.email:
        either.append(
            (orders.c.customer_email == link.email) & (orders.c.customer_external_id == "")
        )
    return or_(*either) if either else false()
