"""``orderyard serve --demo`` registers what the seed's examples name, once."""

from typing import Any

import pytest

from orderyard.cli import serve
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import catalog as catalog_service
from orderyard.services import location as location_service
from orderyard.services.location import Registry
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.cli.runner import ainvoke

pytestmark = pytest.mark.usefixtures("cli_database")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *a, **kw: calls.append(kw))
    return calls


async def _names(engines: Engines, registry: Registry) -> list[str]:
    uow = UnitOfWork(engines.write, AccountId(1), actor="test")
    found = await location_service.list_names(uow, registry, PageRequest(page=1, per_page=100))
    return [record.name for record in found.items]


async def test_the_first_start_registers_the_examples_names(
    engines: Engines, started: list[dict[str, Any]]
) -> None:
    code, output = await ainvoke("serve", "--demo", "--port", "8123")

    assert code == 0, output
    assert "AccountID: 1\n  Key: " in output
    assert [(call["host"], call["port"]) for call in started] == [("127.0.0.1", 8123)]
    uow = UnitOfWork(engines.write, AccountId(1), actor="test")
    assert [loc.code for loc in await location_service.list_locations(uow)] == ["DC-CODE"]
    assert await _names(engines, Registry.suppliers) == ["Supplier Name"]
    assert await _names(engines, Registry.channels) == ["My Shop"]
    assert await _names(engines, Registry.shipping_methods) == ["Pick"]
    products = await catalog_service.list_items(
        ReadUnitOfWork(engines.read, AccountId(1)), PageRequest(page=1, per_page=100)
    )
    assert sorted(p.item.sku for p in products.items) == ["INTERNAL-SKU", "SKU-1", "SKU-2"]


async def test_a_later_start_creates_nothing_and_names_the_account(
    engines: Engines, started: list[dict[str, Any]]
) -> None:
    await ainvoke("serve", "--demo")

    code, output = await ainvoke("serve", "--demo")

    assert code == 0, output
    assert output.startswith("Demo account exists: AccountID 1.")
    assert await _names(engines, Registry.suppliers) == ["Supplier Name"]
    assert len(started) == 2
