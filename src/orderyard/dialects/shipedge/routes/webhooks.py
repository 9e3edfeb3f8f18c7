"""Webhooks: subscribe endpoints to events, read their delivery logs (Orderyard's addition).

The seed has no webhooks; these follow its conventions (``data`` bodies, bulk results,
``metadata`` pages, the ``response`` error envelope). docs/dialects/shipedge.md, "Webhooks".
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response, item_field
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers.webhook import delivery_out, webhook_out
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.webhook import (
    DeliveryOut,
    WebhookOut,
    WebhookResultOut,
    WebhooksIn,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import ID_MAX
from orderyard.domain.webhooks import DeliveryStatus
from orderyard.services import webhooks as service

router = APIRouter(tags=["webhooks"])
Results = Envelope[list[WebhookResultOut]]
WebhookPath = Annotated[int, Path(alias="webhook", ge=1, le=ID_MAX, description="Webhook ID.")]


@router.post("/webhooks", response_model=Results, responses=documented(InvalidRequestError))
async def create_webhooks(body: WebhooksIn, uow: UowDep) -> Results | JSONResponse:
    """Subscribe URLs to event types; each answer carries its signing `secret`, once."""
    commands = [service.Subscribe(w.url, list(w.event_types), w.dialect) for w in body.data]
    outcomes = await service.subscribe_many(uow, commands)
    return bulk_response(
        [
            WebhookResultOut(webhook=webhook_out(o.subscription), success=True)
            if o.subscription is not None
            else WebhookResultOut(
                success=False,
                message=o.error.message if o.error else None,
                field=item_field(o.index, o.error.field if o.error else None),
            )
            for o in outcomes
        ]
    )


@router.get("/webhooks", responses=documented())
async def list_webhooks(uow: ReadUowDep, page: PageDep) -> ListEnvelope[WebhookOut]:
    """List the account's webhook subscriptions, oldest first."""
    found = await service.list_subscriptions(uow, page)
    return ListEnvelope(data=[webhook_out(s) for s in found.items], metadata=metadata(found))


@router.get("/webhooks/{webhook}", responses=documented(NotFoundError))
async def get_webhook(webhook_id: WebhookPath, uow: ReadUowDep) -> Envelope[WebhookOut]:
    """Get one subscription: whether it is active, and why not."""
    return Envelope(data=webhook_out(await service.get_subscription(uow, webhook_id)))


@router.delete("/webhooks/{webhook}", status_code=204, responses=documented(NotFoundError))
async def delete_webhook(webhook_id: WebhookPath, uow: UowDep) -> Response:
    """Unsubscribe: nothing more is sent; the delivery log goes with it."""
    await service.remove(uow, webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook}/deliveries", responses=documented(NotFoundError))
async def list_deliveries(
    webhook_id: WebhookPath,
    uow: ReadUowDep,
    page: PageDep,
    status: Annotated[DeliveryStatus | None, Query()] = None,
) -> ListEnvelope[DeliveryOut]:
    """The subscription's delivery log, newest first: status, tries, answer, next try."""
    found = await service.deliveries(uow, webhook_id, page, status=status)
    return ListEnvelope(data=[delivery_out(d) for d in found.items], metadata=metadata(found))


ROUTERS = (router,)
