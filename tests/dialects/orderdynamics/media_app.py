"""The whole server with its blob store in a test's directory and a small file limit."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from orderyard.app import create_app
from orderyard.settings import DatabaseSettings, Settings, StorageSettings
from tests.dialects.event_walk import witnessed

LIMIT = 256 * 1024
"""The file size limit of the tests' server (``ORDERYARD_STORAGE__MAX_FILE_BYTES``)."""
BASE = "http://orderyard.test"


@asynccontextmanager
async def media_client(db_url: str, directory: Path, key: str) -> AsyncIterator[httpx.AsyncClient]:
    """An OrderDynamics client of a server keeping files under ``directory``."""
    storage = StorageSettings(directory=directory, max_file_bytes=LIMIT)
    app = create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=5), storage=storage))
    async with (
        witnessed(app) as witness,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=witness),
            base_url=BASE,
            headers={"Ocp-Apim-Subscription-Key": key},
        ) as http,
    ):
        yield http
    await app.state.orderyard.engines.dispose()
