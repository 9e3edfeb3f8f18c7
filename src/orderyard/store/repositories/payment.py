"""Payments of orders and their transactions: written with the order, read with it."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from orderyard.domain.payment import Card, NewPayment, Payment, PaymentMethod, TransactionKind
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import payment_transactions, payments
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
