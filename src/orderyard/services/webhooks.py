"""Webhook subscriptions: subscribe an endpoint to event types, read its delivery log, remove it.

Deliveries are made by the job worker (``services/webhook_delivery.py``).
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.errors import DomainError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.domain.webhooks import (
    Delivery,
    DeliveryStatus,
    Subscription,
    check_dialect,
    check_types,
    check_url,
)
from orderyard.kit.clock import utcnow
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class Subscribe:
    """A new subscription, as a dialect or the CLI asks for it."""

    url: str
    event_types: list[str]
    dialect: str


@dataclass(frozen=True, slots=True)
class SubscribeOutcome:
    """What became of one subscription of a bulk call: the subscription, or an error."""

    index: int
    subscription: Subscription | None = None
    error: DomainError | None = None


async def subscribe(uow: UnitOfWork, command: Subscribe) -> Subscription:
    """Subscribe an endpoint; the answer carries its signing secret, shown this once.

    Raises:
        InvalidRequestError: a URL that is not http(s), an unknown event type or dialect.
    """
    async with uow:
        sub = await _subscribe(uow, command)
        await uow.commit()
    return sub


async def subscribe_many(uow: UnitOfWork, commands: Sequence[Subscribe]) -> list[SubscribeOutcome]:
    """Subscribe several endpoints; each that fails is reported and leaves no trace."""
    outcomes = []
    async with uow:
        await uow.transaction()
        for index, command in enumerate(commands):
            try:
                async with uow.savepoint():
                    outcomes.append(SubscribeOutcome(index, await _subscribe(uow, command)))
            except DomainError as error:
                outcomes.append(SubscribeOutcome(index, error=error))
        await uow.commit()
    return outcomes


async def _subscribe(uow: UnitOfWork, command: Subscribe) -> Subscription:
    url = check_url(command.url)
    types = check_types(command.event_types)
    dialect = check_dialect(command.dialect)
    secret = "whsec_" + secrets.token_urlsafe(32)
    sub = await uow.webhooks.add(url, types, secret=secret, dialect=dialect, now=utcnow())
    await uow.events.record("webhook_subscribed", "webhook", sub.id, {"url": url})
    return sub


async def list_subscriptions(uow: ReadUnitOfWork, page: PageRequest) -> Page[Subscription]:
    """A page of the account's subscriptions, oldest first."""
    async with uow:
        return await uow.webhooks.page(page)


async def get_subscription(uow: ReadUnitOfWork, subscription_id: int) -> Subscription:
    """One subscription of the account.

    Raises:
        NotFoundError: no such subscription in this account.
    """
    async with uow:
        return _found(await uow.webhooks.get(subscription_id), subscription_id)


async def remove(uow: UnitOfWork, subscription_id: int) -> Subscription:
    """Unsubscribe: nothing more is sent, and the delivery log goes with it.

    Raises:
        NotFoundError: no such subscription in this account.
    """
    async with uow:
        sub = _found(await uow.webhooks.get(subscription_id), subscription_id)
        await uow.webhooks.remove(sub.id)
        await uow.events.record("webhook_removed", "webhook", sub.id, {"url": sub.url})
        await uow.commit()
    return sub


async def deliveries(
    uow: ReadUnitOfWork,
    subscription_id: int,
    page: PageRequest,
    *,
    status: DeliveryStatus | None = None,
) -> Page[Delivery]:
    """A page of a subscription's delivery log, newest first.

    Raises:
        NotFoundError: no such subscription in this account.
    """
    async with uow:
        _found(await uow.webhooks.get(subscription_id), subscription_id)
        return await uow.webhooks.deliveries(subscription_id, page, status=status)


def _found(sub: Subscription | None, subscription_id: int) -> Subscription:
    if sub is None:
        raise NotFoundError(f"webhook {subscription_id} not found", field="webhook_id")
    return sub
