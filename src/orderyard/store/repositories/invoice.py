"""Invoices, credit memos and the ledger of an order's money: written and read here.

The ledger (``payment_transactions``) is only ever inserted into. An invoice's payment state
moves by conditional UPDATEs (``claim``, ``conclude``): the row changes only if it is still in
the state the caller saw, so two callers never both claim one gateway call.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from orderyard.domain.invoice import (
    Draft,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    PaymentState,
)
from orderyard.domain.ledger import Transaction
from orderyard.domain.payment import TransactionKind
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.scope import same_account
from orderyard.store.tables import (
    invoice_lines,
    invoices,
    order_lines,
    orders,
    payment_transactions,
    shipment_lines,
    shipments,
)

LedgerEntry = tuple[TransactionKind, Decimal, int | None, int | None, str]
"""(kind, amount, payment id, invoice id, reference) of an entry to append."""


def _transaction(m: Mapping[Any, Any]) -> Transaction:
    return Transaction(
        id=m["id"],
        order_id=m["order_id"],
        kind=TransactionKind(m["kind"]),
        amount=m["amount"],
        currency=m["currency"],
        reference=m["reference"],
        created_at=m["created_at"],
        payment_id=m["payment_id"],
        invoice_id=m["invoice_id"],
    )


def _invoice(m: Mapping[Any, Any], lines: Sequence[InvoiceLine]) -> Invoice:
    return Invoice(
        id=m["id"],
        order_id=m["order_id"],
        order_number=m["order_number"],
        kind=InvoiceKind(m["kind"]),
        status=InvoiceStatus(m["status"]),
        payment_state=PaymentState(m["payment_state"]),
        amount=m["amount"],
        currency=m["currency"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        shipment_id=m["shipment_id"],
        credited_invoice_id=m["credited_invoice_id"],
        attempts=m["attempts"],
        failure=m["failure"],
        lines=tuple(lines),
    )


INVOICE_COLUMNS = (*invoices.c, orders.c.order_number)
LINE_COLUMNS = (
    invoice_lines.c.id,
    invoice_lines.c.invoice_id,
    invoice_lines.c.order_line_id,
    order_lines.c.line_no,
    order_lines.c.sku,
    invoice_lines.c.quantity,
    invoice_lines.c.amount,
    invoice_lines.c.tax_amount,
    invoice_lines.c.discount_amount,
)


class InvoiceRepository(TenantRepository):
    """An account's invoices, memos and ledger entries."""

    def _mine(self) -> Any:
        return and_(
            invoices.c.account_id == self.account_id,
            same_account(orders, invoices),
            orders.c.id == invoices.c.order_id,
        )

    async def ledger(self, order_id: int, *, invoice_id: int | None = None) -> list[Transaction]:
        """The order's ledger, oldest first (only one invoice's entries if given)."""
        statement = select(payment_transactions).where(
            payment_transactions.c.account_id == self.account_id,
            payment_transactions.c.order_id == order_id,
        )
        if invoice_id is not None:
            statement = statement.where(payment_transactions.c.invoice_id == invoice_id)
        rows = await self.conn.execute(statement.order_by(payment_transactions.c.id))
        return [_transaction(row._mapping) for row in rows]

    async def append(
        self, order_id: int, currency: str, entries: Sequence[LedgerEntry], *, at: datetime
    ) -> None:
        """Append entries to the order's ledger (one statement)."""
        if not entries:
            return
        await self.conn.execute(
            insert(payment_transactions),
            [
                {
                    "account_id": self.account_id,
                    "order_id": order_id,
                    "kind": kind.value,
                    "amount": amount,
                    "currency": currency,
                    "payment_id": payment_id,
                    "invoice_id": invoice_id,
                    "reference": reference,
                    "created_at": at,
                }
                for kind, amount, payment_id, invoice_id, reference in entries
            ],
        )

    async def billed_units(
        self, order_id: int, kind: InvoiceKind, *, invoice_id: int | None = None
    ) -> dict[int, int]:
        """Units of each order line on the order's invoices (or memos) of ``kind``."""
        statement = (
            select(invoice_lines.c.order_line_id, func.sum(invoice_lines.c.quantity))
            .join(invoices, invoices.c.id == invoice_lines.c.invoice_id)
            .where(
                invoice_lines.c.account_id == self.account_id,
                invoices.c.account_id == self.account_id,
                invoices.c.order_id == order_id,
                invoices.c.kind == kind.value,
            )
            .group_by(invoice_lines.c.order_line_id)
        )
        if invoice_id is not None:
            column = invoices.c.id if kind is InvoiceKind.sales else invoices.c.credited_invoice_id
            statement = statement.where(column == invoice_id)
        return {line_id: int(units) for line_id, units in await self.conn.execute(statement)}

    async def add(
        self,
        order_id: int,
        kind: InvoiceKind,
        draft: Draft,
        *,
        state: PaymentState,
        at: datetime,
        shipment_id: int | None = None,
        credited_invoice_id: int | None = None,
    ) -> int:
        """Write an invoice or memo (open) and its lines; answer its id."""
        invoice_id: int = (
            await self.conn.execute(
                insert(invoices).returning(invoices.c.id),
                {
                    "account_id": self.account_id,
                    "order_id": order_id,
                    "kind": kind.value,
                    "status": InvoiceStatus.open.value,
                    "payment_state": state.value,
                    "amount": draft.amount,
                    "currency": draft.currency,
                    "shipment_id": shipment_id,
                    "credited_invoice_id": credited_invoice_id,
                    "created_at": at,
                    "updated_at": at,
                },
            )
        ).scalar_one()
        await self.conn.execute(
            insert(invoice_lines),
            [
                {
                    "account_id": self.account_id,
                    "invoice_id": invoice_id,
                    "order_line_id": share.order_line_id,
                    "quantity": share.quantity,
                    "amount": share.amount,
                    "tax_amount": share.tax,
                    "discount_amount": share.discount,
                }
                for share in draft.shares
            ],
        )
        return invoice_id

    async def claim(self, invoice_id: int, *, stale_before: datetime, at: datetime) -> int | None:
        """Claim the next gateway call of an open invoice; answer the attempt, or None.

        Claimable: never called yet or failed, or pending since before ``stale_before`` (its
        caller died). One conditional UPDATE: of two racing claims, one gets the row.
        """
        claimable = or_(
            invoices.c.payment_state.in_([PaymentState.none.value, PaymentState.failed.value]),
            and_(
                invoices.c.payment_state == PaymentState.pending.value,
                invoices.c.attempt_started_at < stale_before,
            ),
        )
        result = await self.conn.execute(
            update(invoices)
            .where(
                invoices.c.account_id == self.account_id,
                invoices.c.id == invoice_id,
                invoices.c.status == InvoiceStatus.open.value,
                claimable,
            )
            .values(
                payment_state=PaymentState.pending.value,
                attempts=invoices.c.attempts + 1,
                attempt_started_at=at,
                updated_at=at,
            )
            .returning(invoices.c.attempts)
        )
        attempt: int | None = result.scalar_one_or_none()
        return attempt

    async def conclude(
        self,
        invoice_id: int,
        attempt: int,
        *,
        status: InvoiceStatus,
        state: PaymentState,
        failure: str,
        at: datetime,
    ) -> bool:
        """Record the outcome of attempt ``attempt``, if it is still the invoice's pending one."""
        result = await self.conn.execute(
            update(invoices)
            .where(
                invoices.c.account_id == self.account_id,
                invoices.c.id == invoice_id,
                invoices.c.payment_state == PaymentState.pending.value,
                invoices.c.attempts == attempt,
            )
            .values(status=status.value, payment_state=state.value, failure=failure, updated_at=at)
            .returning(invoices.c.id)
        )
        return result.scalar_one_or_none() is not None

    async def set_status(self, invoice_id: int, status: InvoiceStatus, *, at: datetime) -> None:
        """Mark an invoice paid (or open) without a gateway call (an offline payment)."""
        await self.conn.execute(
            update(invoices)
            .where(invoices.c.account_id == self.account_id, invoices.c.id == invoice_id)
            .values(status=status.value, updated_at=at)
        )

    async def get_many(self, ids: Sequence[int], *, for_update: bool = False) -> list[Invoice]:
        """The invoices with their lines, by id order (those of other accounts: absent)."""
        if not ids:
            return []
        statement = (
            select(*INVOICE_COLUMNS)
            .where(self._mine(), invoices.c.id.in_(sorted(set(ids))))
            .order_by(invoices.c.id)
        )
        if for_update:
            statement = statement.with_for_update(of=invoices)
        heads = [row._mapping for row in await self.conn.execute(statement)]
        lines = await self._lines([head["id"] for head in heads])
        return [_invoice(head, lines.get(head["id"], [])) for head in heads]

    async def get(self, invoice_id: int, *, for_update: bool = False) -> Invoice | None:
        """One invoice or memo with its lines."""
        found = await self.get_many([invoice_id], for_update=for_update)
        return found[0] if found else None

    async def _lines(self, invoice_ids: Sequence[int]) -> dict[int, list[InvoiceLine]]:
        if not invoice_ids:
            return {}
        rows = await self.conn.execute(
            select(*LINE_COLUMNS)
            .join(
                order_lines,
                same_account(order_lines, invoice_lines)
                & (order_lines.c.id == invoice_lines.c.order_line_id),
            )
            .where(
                invoice_lines.c.account_id == self.account_id,
                invoice_lines.c.invoice_id.in_(invoice_ids),
            )
            .order_by(invoice_lines.c.invoice_id, invoice_lines.c.id)
        )
        found: dict[int, list[InvoiceLine]] = {}
        for row in rows:
            m = row._mapping
            found.setdefault(m["invoice_id"], []).append(
                InvoiceLine(
                    m["id"],
                    m["order_line_id"],
                    m["line_no"],
                    m["sku"],
                    m["quantity"],
                    m["amount"],
                    m["tax_amount"],
                    m["discount_amount"],
                )
            )
        return found

    async def of_order(self, order_id: int, kind: InvoiceKind | None = None) -> list[Invoice]:
        """The order's invoices (and memos), oldest first."""
        statement = select(invoices.c.id).where(
            invoices.c.account_id == self.account_id, invoices.c.order_id == order_id
        )
        if kind is not None:
            statement = statement.where(invoices.c.kind == kind.value)
        ids = list((await self.conn.execute(statement)).scalars())
        return await self.get_many(ids)

    async def shipped_units(self, shipment_id: int) -> tuple[int, dict[int, int]] | None:
        """A shipped shipment's order and its units per order line (None: not shipped/ours)."""
        head = (
            await self.conn.execute(
                select(shipments.c.order_id, shipments.c.status).where(
                    shipments.c.account_id == self.account_id, shipments.c.id == shipment_id
                )
            )
        ).first()
        if head is None:
            return None
        rows = await self.conn.execute(
            select(shipment_lines.c.order_line_id, shipment_lines.c.quantity).where(
                shipment_lines.c.account_id == self.account_id,
                shipment_lines.c.shipment_id == shipment_id,
            )
        )
        units: dict[int, int] = {}
        for line_id, quantity in rows:
            units[line_id] = units.get(line_id, 0) + quantity
        return (head.order_id, units if head.status in ("shipped", "delivered") else {})

    async def invoiced_shipments(self, order_id: int) -> set[int]:
        """The shipments of the order that an invoice names already."""
        rows = await self.conn.execute(
            select(invoices.c.shipment_id).where(
                invoices.c.account_id == self.account_id,
                invoices.c.order_id == order_id,
                invoices.c.shipment_id.is_not(None),
            )
        )
        return {shipment_id for (shipment_id,) in rows}

    async def in_flight(self, order_id: int, *, stale_before: datetime) -> list[int]:
        """The order's invoices and memos whose gateway call is pending and not stale."""
        rows = await self.conn.execute(
            select(invoices.c.id).where(
                invoices.c.account_id == self.account_id,
                invoices.c.order_id == order_id,
                invoices.c.payment_state == PaymentState.pending.value,
                invoices.c.attempt_started_at >= stale_before,
            )
        )
        return list(rows.scalars())

    async def note(
        self,
        invoice_id: int,
        *,
        status: InvoiceStatus,
        state: PaymentState,
        failure: str,
        at: datetime,
    ) -> None:
        """Set an invoice's status and payment state outside a claimed call."""
        await self.conn.execute(
            update(invoices)
            .where(invoices.c.account_id == self.account_id, invoices.c.id == invoice_id)
            .values(status=status.value, payment_state=state.value, failure=failure, updated_at=at)
        )
