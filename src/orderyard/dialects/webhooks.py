"""The record a webhook carries, in the shape of the dialect its subscription chose.

A delivery carries the record the event names (its type and id in the dialect's words, and
the order it belongs to) and what the event recorded about the change, with the dialect's
field-name convention: PascalCase for OrderDynamics, snake_case for ShipEdge. It is built from
the event alone, so a delivery says what happened then, not what the record has become since.
"""

from collections.abc import Mapping
from typing import Any

from orderyard.domain.webhooks import DueDelivery
from orderyard.services.webhook_delivery import Render

OD_IDS = {
    "order": "InternalOrderId",
    "shipment": "ShipmentId",
    "return": "ReturnId",
    "job": "JobId",
    "account": "AccountId",
}
SE_IDS = {
    "order": "order_id",
    "shipment": "shipment_id",
    "return": "rma_id",
    "job": "job_id",
    "account": "account_id",
}


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def orderdynamics_record(due: DueDelivery, data: Mapping[str, Any]) -> dict[str, Any]:
    """The record as an OrderDynamics client reads it (PascalCase, ``InternalOrderId``)."""
    record: dict[str, Any] = {"RecordType": _pascal(due.record_type)}
    record[OD_IDS.get(due.record_type, "Id")] = due.record_id
    if due.order_id is not None:
        record["InternalOrderId"] = due.order_id
    record.update({_pascal(key): value for key, value in data.items()})
    return record


def shipedge_record(due: DueDelivery, data: Mapping[str, Any]) -> dict[str, Any]:
    """The record as a ShipEdge client reads it (snake_case, ``order_id``)."""
    record: dict[str, Any] = {"record_type": due.record_type}
    record[SE_IDS.get(due.record_type, "id")] = due.record_id
    if due.order_id is not None:
        record["order_id"] = due.order_id
    record.update(data)
    return record


RENDERERS: Mapping[str, Render] = {
    "orderdynamics": orderdynamics_record,
    "shipedge": shipedge_record,
}
"""Every dialect a subscription may choose (``domain.webhooks.DIALECTS``)."""
