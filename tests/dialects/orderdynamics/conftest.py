"""What OrderDynamics HTTP tests share: a client authenticated by the account's key."""

from collections.abc import AsyncIterator

import httpx
import pytest

from orderyard.app import create_app
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.event_walk import witnessed


@pytest.fixture
async def app_client(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The whole server (both dialects), unauthenticated."""
    app = create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=5)))
    async with (
        witnessed(app) as witness,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=witness), base_url="http://orderyard.test"
        ) as http,
    ):
        yield http
    await app.state.orderyard.engines.dispose()


@pytest.fixture
async def od(app_client: httpx.AsyncClient, account: NewAccount) -> httpx.AsyncClient:
    """An OrderDynamics client sending the account's key as the subscription key."""
    app_client.headers["Ocp-Apim-Subscription-Key"] = account.key
    return app_client


@pytest.fixture
async def other_key(engines: Engines) -> str:
    """The key of a second account."""
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    return other.key
