"""Webhooks API: subscribe endpoints to events, read their delivery logs (Orderyard's addition).

The seed has no webhooks; these follow the dialect's conventions (PascalCase bodies, paged
lists, problem details). docs/dialects/orderdynamics.md, "Webhooks".
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers.webhook import delivery_out, webhook_out
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.webhook import DeliveryOut, WebhookIn, WebhookOut
from orderyard.domain.values import ID_MAX
from orderyard.domain.webhooks import DeliveryStatus
from orderyard.services import webhooks as service

PATH = "/v1/webhooks"
ONE = "/v1/webhooks/{WebhookId}"
router = APIRouter(tags=["webhooks"])
WebhookIdParam = Annotated[int, Path(alias="WebhookId", ge=1, le=ID_MAX)]
CREATED: dict[int | str, dict[str, Any]] = {201: {"model": WebhookOut, "description": "Created."}}


@router.get(PATH, responses=documented(), name="Get webhooks")
async def get_webhooks(read: ReadUowDep, page: PageDep) -> Paged[WebhookOut]:
    """A page of the account's webhook subscriptions, oldest first."""
    found = await service.list_subscriptions(read, page)
    return paged(found, [webhook_out(sub) for sub in found.items])


@router.post(PATH, status_code=201, responses={**CREATED, **documented()}, name="Create webhook")
async def create_webhook(body: WebhookIn, uow: UowDep) -> WebhookOut:
    """Subscribe a URL to event types; the answer carries the signing `Secret`, once."""
    command = service.Subscribe(body.url, list(body.event_types), body.dialect)
    return webhook_out(await service.subscribe(uow, command))


@router.get(ONE, responses=documented(404), name="Get webhook")
async def get_webhook(read: ReadUowDep, webhook_id: WebhookIdParam) -> WebhookOut:
    """One subscription: whether it is active, and why not."""
    return webhook_out(await service.get_subscription(read, webhook_id))


@router.delete(ONE, status_code=204, responses=documented(404), name="Delete webhook")
async def delete_webhook(uow: UowDep, webhook_id: WebhookIdParam) -> Response:
    """Unsubscribe: nothing more is sent; the delivery log goes with it."""
    await service.remove(uow, webhook_id)
    return Response(status_code=204)


@router.get(ONE + "/deliveries", responses=documented(404), name="Get webhook deliveries")
async def get_deliveries(
    read: ReadUowDep,
    page: PageDep,
    webhook_id: WebhookIdParam,
    status: Annotated[DeliveryStatus | None, Query(alias="Status")] = None,
) -> Paged[DeliveryOut]:
    """The subscription's delivery log, newest first: status, tries, answer, next try."""
    found = await service.deliveries(read, webhook_id, page, status=status)
    return paged(found, [delivery_out(delivery) for delivery in found.items])


ROUTERS = (router,)
