"""Units of work: one business transaction each, opened and committed by a service.

``async with uow: ...; await uow.commit()`` — anything that leaves the block without the commit
rolls back, so a request that fails changes nothing (DESIGN.md).
"""

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store import keyed_writes, lending
from orderyard.store.queries.attribute import AttributeQueries
from orderyard.store.queries.catalog import CatalogQueries
from orderyard.store.queries.customer import CustomerQueries
from orderyard.store.queries.dashboard import DashboardQueries
from orderyard.store.queries.events import EventQueries
from orderyard.store.queries.invoice import InvoiceQueries
from orderyard.store.queries.manufacture import ManufactureQueries
from orderyard.store.queries.operations import OperationsQueries
from orderyard.store.queries.order import OrderQueries
from orderyard.store.queries.preorder import PreorderQueries
from orderyard.store.queries.products import ProductQueries
from orderyard.store.queries.replenishment import ReplenishmentQueries
from orderyard.store.queries.returns import ReturnQueries
from orderyard.store.queries.shipment import ShipmentQueries
from orderyard.store.queries.stock import StockQueries
from orderyard.store.queries.stock_views import StockViewQueries
from orderyard.store.replica import UNREACHABLE, Replica
from orderyard.store.repositories.account import AccountRepository
from orderyard.store.repositories.attribute import AttributeRepository
from orderyard.store.repositories.catalog import CatalogRepository
from orderyard.store.repositories.console_sessions import ConsoleSessions, SessionRepository
from orderyard.store.repositories.custom_field import CustomFieldRepository
from orderyard.store.repositories.customer import CustomerRepository
from orderyard.store.repositories.email_queue import EmailQueue
from orderyard.store.repositories.emails import EmailRepository
from orderyard.store.repositories.event import EventRepository
from orderyard.store.repositories.idempotency import (
    ExpiredKeys,
    IdempotencyRepository,
    KeptAnswers,
)
from orderyard.store.repositories.invoice import InvoiceRepository
from orderyard.store.repositories.jobs import JobQueue, JobRepository
from orderyard.store.repositories.location import LocationRepository, RegistryRepository
from orderyard.store.repositories.manufacture import ManufactureRepository
from orderyard.store.repositories.media import MediaRepository
from orderyard.store.repositories.order import OrderRepository
from orderyard.store.repositories.payment import PaymentRepository
from orderyard.store.repositories.personal_data import PersonalDataRepository
from orderyard.store.repositories.placement import PlacementRepository
from orderyard.store.repositories.pools import PoolRepository
from orderyard.store.repositories.preorder import PreorderRepository
from orderyard.store.repositories.products import ProductRepository
from orderyard.store.repositories.replenishment import ReplenishmentRepository
from orderyard.store.repositories.reservations import ReservationRepository
from orderyard.store.repositories.returns import ReturnRepository
from orderyard.store.repositories.serial import SerialRepository
from orderyard.store.repositories.shipment import ShipmentRepository
from orderyard.store.repositories.shipping_rates import ShippingRateRepository
from orderyard.store.repositories.staff import StaffRepository, StaffTokens
from orderyard.store.repositories.stock import StockRepository
from orderyard.store.repositories.tax import TaxRepository
from orderyard.store.repositories.ticket import TicketRepository
from orderyard.store.repositories.webhook_queue import WebhookQueue
from orderyard.store.repositories.webhooks import WebhookRepository
from orderyard.store.tables import channels, package_types, shipping_methods, suppliers
from orderyard.store.transaction import Transaction

__all__ = [
    "KeyUnitOfWork",
    "ReadUnitOfWork",
    "SystemUnitOfWork",
    "Transaction",
    "UnitOfWork",
]


class UnitOfWork(Transaction):
    """A write transaction scoped to one account: its repositories see nothing else."""

    def __init__(
        self,
        engine: AsyncEngine,
        account_id: AccountId,
        *,
        actor: str = "api",
        autocommit: bool = False,
    ) -> None:
        super().__init__(engine, autocommit=autocommit)
        self.account_id = account_id
        self.actor = actor

    def autocommitting(self) -> "UnitOfWork":
        """The same unit of work, unopened, whose statements commit alone until ``transaction()``.

        On PostgreSQL; elsewhere it is one transaction as usual.
        """
        return UnitOfWork(self._engine, self.account_id, actor=self.actor, autocommit=True)

    def sharing_one_connection(self) -> AbstractAsyncContextManager[None]:
        """Units of work opened in this block share one connection (``store/lending.py``)."""
        return lending.lending(self._engine)

    def for_keys(self) -> "KeyUnitOfWork":
        """An autocommitting unit of the account's idempotency keys alone (bookkeeping)."""
        return KeyUnitOfWork(self._engine, self.account_id)

    async def __aenter__(self) -> Self:
        conn = await self._open()
        account = self.account_id
        self.accounts = AccountRepository(conn)
        self.locations = LocationRepository(conn, account)
        self.suppliers = RegistryRepository(conn, account, suppliers)
        self.package_types = RegistryRepository(conn, account, package_types)
        self.shipping_methods = RegistryRepository(conn, account, shipping_methods)
        self.channels = RegistryRepository(conn, account, channels)
        self.catalog = CatalogRepository(conn, account)
        self.products = ProductRepository(conn, account)
        self.stock = StockRepository(conn, account)
        self.reservations = ReservationRepository(conn, account)
        self.orders = OrderRepository(conn, account)
        self.payments = PaymentRepository(conn, account)
        self.invoices = InvoiceRepository(conn, account)
        self.shipments = ShipmentRepository(conn, account)
        self.returns = ReturnRepository(conn, account)
        self.replenishments = ReplenishmentRepository(conn, account)
        self.manufacture_orders = ManufactureRepository(conn, account)
        self.serials = SerialRepository(conn, account)
        self.attributes = AttributeRepository(conn, account)
        self.jobs = JobRepository(conn, account)
        self.webhooks = WebhookRepository(conn, account)
        self.emails = EmailRepository(conn, account)
        self.custom_fields = CustomFieldRepository(conn, account)
        self.pools = PoolRepository(conn, account)
        self.taxes = TaxRepository(conn, account)
        self.shipping_rates = ShippingRateRepository(conn, account)
        self.customers = CustomerRepository(conn, account)
        self.personal_data = PersonalDataRepository(conn, account)
        self.staff = StaffRepository(conn, account)
        self.console_sessions = SessionRepository(conn, account)
        self.media = MediaRepository(conn, account)
        self.tickets = TicketRepository(conn, account)
        self.preorders = PreorderRepository(conn, account)
        self.idempotency = IdempotencyRepository(conn, account)
        self.events = EventRepository(conn, account)
        self.events.actor = self.actor
        self.placements = PlacementRepository(
            conn, account, orders=self.orders, stock=self.stock, events=self.events
        )
        return self

    def savepoint(self) -> AbstractAsyncContextManager[object]:
        """A nested transaction: leaving it by an exception undoes only what it did."""
        return self.conn.begin_nested()

    async def commit(self) -> None:
        """Commit everything done in this unit of work, with the running request's key.

        The key (``store/keyed_writes.py``) commits with the write or not at all. While the
        unit autocommits, its one write claimed the key itself (``PlacementRepository``).

        Raises:
            KeyTakenError: another request with the key wrote first; nothing of this unit is
                committed.
        """
        keyed = None if self.autocommits else keyed_writes.unclaimed(self.account_id)
        if keyed is not None:
            # leaving the block on KeyTakenError rolls the write back
            await self.idempotency.add_written(keyed, now=utcnow())
        await super().commit()
        if keyed is not None:
            keyed.carried_out = True


class KeyUnitOfWork(Transaction):
    """The idempotency keys' own unit of work, autocommitting: a lookup, an answer, a release.

    Apart from ``UnitOfWork`` for two reasons: building the thirty-odd repositories of a full
    unit for one statement was a tenth of a keyed request's Python calls; and its commits are
    the key's, never the request's write, so they claim nothing (``keyed_writes``).
    """

    def __init__(self, engine: AsyncEngine, account_id: AccountId) -> None:
        super().__init__(engine, autocommit=True)
        self.account_id = account_id

    async def __aenter__(self) -> Self:
        self.idempotency = IdempotencyRepository(await self._open(), self.account_id)
        return self


class AnswerUnitOfWork(Transaction):
    """The idempotency keys' answers of every account, kept together (autocommitting)."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, autocommit=True)

    async def __aenter__(self) -> Self:
        self.answers = KeptAnswers(await self._open())
        return self


@dataclass(frozen=True, slots=True)
class Registries:
    """The registries a new account is seeded with."""

    shipping_methods: RegistryRepository
    channels: RegistryRepository


class SystemUnitOfWork(Transaction):
    """A transaction without a tenant: account creation and key checks only."""

    async def __aenter__(self) -> Self:
        conn = await self._open()
        self.accounts = AccountRepository(conn)
        self.job_queue = JobQueue(conn)
        self.staff_tokens = StaffTokens(conn)
        self.console_sessions = ConsoleSessions(conn)
        self.webhook_queue = WebhookQueue(conn)
        self.email_queue = EmailQueue(conn)
        self.expired_keys = ExpiredKeys(conn)
        self.operations = OperationsQueries(conn)
        return self

    def registries_for(self, account_id: AccountId) -> Registries:
        """The registries of one account, on this transaction (to seed a new account)."""
        return Registries(
            RegistryRepository(self.conn, account_id, shipping_methods),
            RegistryRepository(self.conn, account_id, channels),
        )


class ReadUnitOfWork(Transaction):
    """A read-only transaction scoped to one account, on the read engine.

    On PostgreSQL the read engine autocommits (``store/engine.py``), so no transaction is
    begun here: there it would be a no-op that costs two greenlet hops per request (begin, and
    the rollback on leaving), a tenth of a get order's CPU. A statement sent through SQLAlchemy
    begins one itself, which the exit rolls back as usual. SQLite reads begin at once, so that
    every statement of the read sees one snapshot.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        account_id: AccountId,
        *,
        replica: Replica | None = None,
        lag_tolerant: bool = False,
    ) -> None:
        super().__init__(engine)
        self.account_id = account_id
        self._replica = replica
        self._lag_tolerant = lag_tolerant
        self.on_replica = False
        """Whether the open unit reads the replica (``tolerating_lag``) rather than the primary."""

    def tolerating_lag(self) -> "ReadUnitOfWork":
        """The same read, unopened, which the read replica may serve (``store/replica.py``).

        For reads that may show the data as it was a few seconds ago (lists, searches,
        statistics): never for a read that must see its caller's own write, nor inside a
        write. Without a replica, or while it is down or lags, it reads the primary.
        """
        return ReadUnitOfWork(
            self._engine, self.account_id, replica=self._replica, lag_tolerant=True
        )

    async def __aenter__(self) -> Self:
        conn = await self._open_read()
        self.orders = OrderQueries(conn, self.account_id)
        self.preorders = PreorderQueries(conn, self.account_id)
        self.payments = PaymentRepository(conn, self.account_id)
        self.invoices = InvoiceQueries(conn, self.account_id)
        self.catalog = CatalogQueries(conn, self.account_id)
        self.products = ProductQueries(conn, self.account_id)
        self.stock = StockQueries(conn, self.account_id)
        self.locations = LocationRepository(conn, self.account_id)
        self.returns = ReturnQueries(conn, self.account_id)
        self.replenishments = ReplenishmentQueries(conn, self.account_id)
        self.manufacture_orders = ManufactureQueries(conn, self.account_id)
        self.attributes = AttributeQueries(conn, self.account_id)
        self.jobs = JobRepository(conn, self.account_id)
        self.webhooks = WebhookRepository(conn, self.account_id)
        self.emails = EmailRepository(conn, self.account_id)
        self.custom_fields = CustomFieldRepository(conn, self.account_id)
        self.pools = PoolRepository(conn, self.account_id)
        self.taxes = TaxRepository(conn, self.account_id)
        self.shipping_rates = ShippingRateRepository(conn, self.account_id)
        self.shipments = ShipmentQueries(conn, self.account_id)
        self.customers = CustomerQueries(conn, self.account_id)
        self.staff = StaffRepository(conn, self.account_id)
        self.media = MediaRepository(conn, self.account_id)
        self.tickets = TicketRepository(conn, self.account_id)
        self.events = EventQueries(conn, self.account_id)
        self.stock_views = StockViewQueries(conn, self.account_id)
        self.dashboard = DashboardQueries(conn, self.account_id)
        return self

    async def _open_read(self) -> AsyncConnection:
        """Open on the replica when this read tolerates lag and the replica may serve it.

        A replica that cannot be reached at checkout is reported to ``Replica`` (its reads go
        to the primary until its next check) and this read opens on the primary instead.
        """
        self.on_replica = False
        replica = self._replica if self._lag_tolerant else None
        engine = None if replica is None else await replica.engine_for_reads()
        if replica is not None and engine is not None:
            try:
                conn = await self._open(begin=False, engine=engine)
            except UNREACHABLE as error:
                replica.failed(error)
            else:
                self.on_replica = True
                replica.count_read(on_replica=True)
                return conn
        if replica is not None:
            replica.count_read(on_replica=False)
        return await self._open(begin=self._engine.dialect.name != "postgresql")
