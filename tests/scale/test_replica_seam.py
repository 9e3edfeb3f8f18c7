"""The replica's setting and its degraded paths that need no standby running."""

import pytest
from pydantic import ValidationError

from orderyard.domain.values import PageRequest
from orderyard.services.account import NewAccount
from orderyard.services.order import OrderFilter, list_orders
from orderyard.settings import DatabaseSettings
from orderyard.store.engine import Engines
from orderyard.store.replica import Replica, create_replica_engine
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.http.servers import free_port


def test_the_replica_url_is_normalised_like_the_primarys() -> None:
    settings = DatabaseSettings(
        url="postgresql://app@db:5432/orders", replica_url="postgres://app@standby:5432/orders"
    )

    assert settings.replica_url == "postgresql+asyncpg://app@standby:5432/orders"
    assert settings.replica_max_lag_seconds == 5.0
    assert settings.replica_check_seconds == 1.0


def test_a_replica_beside_sqlite_is_refused_naming_both_settings() -> None:
    with pytest.raises(ValidationError) as refused:
        DatabaseSettings(url="sqlite:///./o.db", replica_url="postgresql://app@standby/orders")

    message = str(refused.value)
    assert "ORDERYARD_DATABASE__REPLICA_URL needs PostgreSQL" in message
    assert "ORDERYARD_DATABASE__URL is SQLite" in message


def test_a_negative_lag_allowance_is_refused() -> None:
    with pytest.raises(ValidationError):
        DatabaseSettings(replica_max_lag_seconds=-1)


@pytest.mark.postgres
async def test_a_replica_that_refuses_connections_leaves_the_list_to_the_primary(
    engines: Engines, account: NewAccount, make: Factory
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    await make.order(("SKU-1", 1), number="ON-PRIMARY")
    nowhere = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/replica_none"
    down = Replica(create_replica_engine(nowhere, pool_size=1), max_lag_seconds=5)
    read = ReadUnitOfWork(engines.read, account.account_id, replica=down)

    found = await list_orders(read, OrderFilter(), PageRequest(1, 10))

    assert [order.order_number for order in found.items] == ["ON-PRIMARY"]
    assert not down.state.usable
    assert down.state.reason.startswith("unreachable"), down.state
    await down.dispose()


async def test_without_a_replica_a_lag_tolerant_read_is_the_primarys(
    engines: Engines, account: NewAccount, make: Factory
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    await make.order(("SKU-1", 1), number="ONLY")
    tolerant = ReadUnitOfWork(engines.read, account.account_id).tolerating_lag()

    async with tolerant:
        assert not tolerant.on_replica
    found = await list_orders(tolerant, OrderFilter(), PageRequest(1, 10))

    assert [order.order_number for order in found.items] == ["ONLY"]
