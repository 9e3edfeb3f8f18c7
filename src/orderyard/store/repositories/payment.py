"""Payments of orders and their transactions: written with the order, read with it."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update

from orderyard.domain.customer import CustomerLink
from orderyard.domain.payment import Card, NewPayment, Payment, PaymentMethod, TransactionKind
from orderyard.domain.values import Page, PageRequest
from orderyard.store.customer_link import linked_orders
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import orders, payment_transactions, payments
from orderyard.store.types import as_stored


def _payment_row(
    account_id: int, order_id: int, payment: NewPayment, at: datetime
) -> dict[str, Any]:
    card = payment.card
    return {
        "account_id": account_id,
        "order_id": order_id,
        "method": payment.method.value,
        "amount": payment.amount,
        "currency": payment.currency,
        "reference": payment.reference,
        "gateway": payment.gateway,
        "card_token": card.token if card else None,
        "card_brand": card.brand if card else "",
        "card_last_four": card.last_four if card else "",
        "card_expiry_month": card.expiry_month if card else None,
        "card_expiry_year": card.expiry_year if card else None,
        "created_at": at,
    }


def _payment(m: Mapping[Any, Any]) -> Payment:
    token = m["card_token"]
    card = (
        None
        if token is None
        else Card(
            token,
            m["card_brand"],
            m["card_last_four"],
            m["card_expiry_month"],
            m["card_expiry_year"],
        )
    )
    return Payment(
        id=m["id"],
        order_id=m["order_id"],
        method=PaymentMethod(m["method"]),
        amount=m["amount"],
        currency=m["currency"],
        reference=m["reference"],
        gateway=m["gateway"],
        card=card,
        created_at=m["created_at"],
    )


class PaymentRepository(TenantRepository):
    """Writes an order's payments with the authorization of each; reads them by order."""

    async def add(self, order_id: int, new: Sequence[NewPayment], *, at: datetime) -> list[Payment]:
        """Write the payments and one authorization transaction each; answer them as kept.

        Two statements whatever their number (rows in one ``INSERT ... RETURNING`` each).
        """
        rows = [_payment_row(self.account_id, order_id, payment, at) for payment in new]
        result = await self.conn.execute(insert(payments).returning(payments.c.id), rows)
        ids = list(result.scalars())
        await self.conn.execute(
            insert(payment_transactions),
            [
                {
                    "account_id": self.account_id,
                    "order_id": order_id,
                    "payment_id": payment_id,
                    "kind": TransactionKind.authorization.value,
                    "amount": row["amount"],
                    "currency": row["currency"],
                    "reference": row["reference"],
                    "created_at": at,
                }
                for payment_id, row in zip(ids, rows, strict=True)
            ],
        )
        return [
            _payment({**row, "id": pid, "amount": as_stored(row["amount"])})
            for pid, row in zip(ids, rows, strict=True)
        ]

    async def of_orders(self, order_ids: Sequence[int]) -> dict[int, list[Payment]]:
        """The payments of each order (oldest first), by order id: one statement."""
        if not order_ids:
            return {}
        rows = await self.conn.execute(
            select(payments)
            .where(
                payments.c.account_id == self.account_id,
                payments.c.order_id.in_(sorted(set(order_ids))),
            )
            .order_by(payments.c.order_id, payments.c.id)
        )
        found: dict[int, list[Payment]] = {}
        for row in rows:
            payment = _payment(row._mapping)
            found.setdefault(payment.order_id, []).append(payment)
        return found

    async def add_offline(
        self, order_id: int, amount: Decimal, currency: str, reference: str, *, at: datetime
    ) -> Payment:
        """Write money received outside any gateway: an offline payment and its entry.

        The order's ``payment_count`` grows with it, so the order's reads show it.
        """
        new = NewPayment(PaymentMethod.offline, amount, currency, reference)
        row = _payment_row(self.account_id, order_id, new, at)
        payment_id = (
            await self.conn.execute(insert(payments).returning(payments.c.id), row)
        ).scalar_one()
        await self.conn.execute(
            insert(payment_transactions),
            {
                "account_id": self.account_id,
                "order_id": order_id,
                "payment_id": payment_id,
                "kind": TransactionKind.offline_accepted.value,
                "amount": amount,
                "currency": currency,
                "reference": reference,
                "created_at": at,
            },
        )
        await self.conn.execute(
            update(orders)
            .where(orders.c.account_id == self.account_id, orders.c.id == order_id)
            .values(payment_count=orders.c.payment_count + 1)
        )
        return _payment({**row, "id": payment_id, "amount": as_stored(amount)})

    async def cards_of(self, link: CustomerLink, page: PageRequest) -> Page[Payment]:
        """The card payments (token kept) of a customer's orders, one per token, newest first."""
        if not link.links_anything:
            return Page([], 0, page)
        mine = (
            select(func.max(payments.c.id).label("id"))
            .join(orders, orders.c.id == payments.c.order_id)
            .where(
                payments.c.account_id == self.account_id,
                orders.c.account_id == self.account_id,
                linked_orders(link),
                payments.c.card_token.is_not(None),
                payments.c.card_token != "",
            )
            .group_by(payments.c.card_token)
            .subquery()
        )
        total = (await self.conn.execute(select(func.count()).select_from(mine))).scalar_one()
        rows = await self.conn.execute(
            select(payments)
            .where(payments.c.account_id == self.account_id, payments.c.id.in_(select(mine.c.id)))
            .order_by(payments.c.id.desc())
            .limit(page.per_page)
            .offset(page.offset)
        )
        return Page([_payment(row._mapping) for row in rows], total, page)

    async def forget_card(self, payment_id: int) -> Payment | None:
        """Delete a card's token from every payment that holds it; brand and last four stay.

        Answers the payment named (None: not this account's, or no card kept).
        """
        row = (
            await self.conn.execute(
                select(payments).where(
                    payments.c.account_id == self.account_id,
                    payments.c.id == payment_id,
                    payments.c.card_token.is_not(None),
                    payments.c.card_token != "",
                )
            )
        ).first()
        if row is None:
            return None
        await self.conn.execute(
            update(payments)
            .where(
                payments.c.account_id == self.account_id,
                payments.c.card_token == row.card_token,
            )
            .values(card_token="")
        )
        return _payment({**row._mapping, "card_token": ""})
