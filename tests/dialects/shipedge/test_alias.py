from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.services import location as location_service
from orderyard.services.location import Registry
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory


@pytest.fixture
async def catalog(make: Factory) -> int:
    """INTERNAL-SKU and OTHER-SKU exist, DC-CODE is registered; returns a channel's id."""
    await make.location("DC-CODE")
    await make.item("INTERNAL-SKU")
    await make.item("OTHER-SKU")
    return (await location_service.register_name(make.uow(), Registry.channels, "Web")).id


def alias(**fields: Any) -> dict[str, Any]:
    """The seed's example alias (``None`` drops a field)."""
    body = {"sku": "INTERNAL-SKU", "alias": "EXTERNAL-SKU", "distribution_center": "DC-CODE"}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


async def create(client: httpx.AsyncClient, *aliases: dict[str, Any]) -> httpx.Response:
    return await client.post("/inventory/aliases", json={"data": list(aliases)})


async def alias_count(client: httpx.AsyncClient) -> int:
    return int((await client.get("/inventory/aliases")).json()["metadata"]["total_records"])


async def test_the_seed_example_creates_the_alias(client: httpx.AsyncClient, catalog: int) -> None:
    response = await create(client, alias(channel_id=catalog))

    assert response.status_code == 200
    [result] = response.json()["data"]
    assert (result["alias"], result["sku"], result["success"]) == (
        "EXTERNAL-SKU",
        "INTERNAL-SKU",
        True,
    )
    got = (await client.get("/inventory/aliases/EXTERNAL-SKU")).json()["data"]
    assert {k: v for k, v in got.items() if k != "created_at"} == {
        "alias_id": result["alias_id"],
        "alias": "EXTERNAL-SKU",
        "sku": "INTERNAL-SKU",
        "product_id": got["product_id"],
        "channel_id": catalog,
        "distribution_center": "DC-CODE",
    }


@pytest.mark.parametrize(
    ("_case", "change", "field", "message"),
    [
        ("unknown sku", {"sku": "NOPE"}, "data[0].sku", "SKU 'NOPE' does not exist"),
        (
            "alias equal to a SKU",
            {"alias": "OTHER-SKU"},
            "data[0].alias",
            "alias 'OTHER-SKU' is already a SKU; an alias cannot shadow a product",
        ),
        (
            "unregistered channel",
            {"channel_id": 999},
            "data[0].channel_id",
            "channel id 999 is not registered",
        ),
        (
            "unregistered distribution center",
            {"distribution_center": "DC-9"},
            "data[0].distribution_center",
            "distribution center 'DC-9' is not registered",
        ),
    ],
)
async def test_a_refused_alias_is_named_and_not_written(
    client: httpx.AsyncClient,
    catalog: int,
    _case: str,
    change: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = await create(client, alias(**change))

    assert response.status_code == 400
    assert response.json()["response"]["errors"] == [
        {"field": field, "message": message, "index": 0}
    ]
    assert await alias_count(client) == 0


@pytest.mark.parametrize(
    ("_case", "change", "field"),
    [
        ("no alias", {"alias": None}, "data[0].alias"),
        ("no sku", {"sku": None}, "data[0].sku"),
        ("negative channel", {"channel_id": -1}, "data[0].channel_id"),
    ],
)
async def test_a_malformed_alias_answers_400(
    client: httpx.AsyncClient, catalog: int, _case: str, change: dict[str, Any], field: str
) -> None:
    response = await create(client, alias(**change))

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["field"] == field
    assert await alias_count(client) == 0


async def test_a_duplicate_alias_fails_only_that_item(
    client: httpx.AsyncClient, catalog: int
) -> None:
    response = await create(client, alias(), alias(sku="OTHER-SKU"))

    assert response.status_code == 200
    assert [(r["success"], r["field"], r["message"]) for r in response.json()["data"]] == [
        (True, None, None),
        (False, "data[1].alias", "alias 'EXTERNAL-SKU' already exists"),
    ]
    assert await alias_count(client) == 1


async def test_patch_retargets_and_clears(client: httpx.AsyncClient, catalog: int) -> None:
    await create(client, alias(channel_id=catalog))

    response = await client.patch(
        "/inventory/aliases",
        json={"data": [{"alias": "EXTERNAL-SKU", "sku": "OTHER-SKU", "channel_id": 0}]},
    )

    assert response.status_code == 200
    got = (await client.get("/inventory/aliases/EXTERNAL-SKU")).json()["data"]
    assert (got["sku"], got["channel_id"], got["distribution_center"]) == (
        "OTHER-SKU",
        None,
        "DC-CODE",
    )


async def test_patch_of_an_unknown_alias_is_reported(
    client: httpx.AsyncClient, catalog: int
) -> None:
    response = await client.patch(
        "/inventory/aliases", json={"data": [{"alias": "NOPE", "sku": "OTHER-SKU"}]}
    )

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0] == {
        "field": "data[0].alias",
        "message": "alias 'NOPE' not found",
        "index": 0,
    }


async def test_lists_with_filters_and_metadata(client: httpx.AsyncClient, catalog: int) -> None:
    await create(
        client,
        alias(alias="A", distribution_center=None),
        alias(alias="B", channel_id=catalog, distribution_center=None),
        alias(alias="C"),
    )

    everything = (await client.get("/inventory/aliases", params={"per_page": 2})).json()
    by_channel = (await client.get("/inventory/aliases", params={"channel_id": catalog})).json()
    by_dc = (
        await client.get("/inventory/aliases", params={"distribution_center": "DC-CODE"})
    ).json()

    assert [a["alias"] for a in everything["data"]] == ["A", "B"]
    assert everything["metadata"]["total_records"] == 3
    assert [a["alias"] for a in by_channel["data"]] == ["B"]
    assert [a["alias"] for a in by_dc["data"]] == ["C"]


@pytest.mark.parametrize(
    ("_case", "params", "field"),
    [
        ("unregistered channel", {"channel_id": 999}, "channel_id"),
        (
            "unregistered distribution center",
            {"distribution_center": "DC-9"},
            "distribution_center",
        ),
    ],
)
async def test_an_unregistered_list_filter_answers_400(
    client: httpx.AsyncClient, catalog: int, _case: str, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/inventory/aliases", params=params)

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["field"] == field


async def test_a_missing_or_foreign_alias_answers_404(
    client: httpx.AsyncClient, engines: Engines
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    theirs = Factory(engines, other.account_id)
    await theirs.item("THEIRS")
    await client.post(
        "/inventory/aliases",
        json={"data": [{"sku": "THEIRS", "alias": "T"}]},
        headers={"AccountID": str(other.account_id), "Key": other.key},
    )

    foreign = await client.get("/inventory/aliases/T")
    missing = await client.get("/inventory/aliases/NOPE")

    assert (foreign.status_code, missing.status_code) == (404, 404)


async def test_an_order_naming_the_alias_ships_the_internal_sku(
    client: httpx.AsyncClient, make: Factory, catalog: int
) -> None:
    await make.stock("DC-CODE", "INTERNAL-SKU", 5)
    await create(client, alias())

    created = await client.post("/orders", json={"data": [order_body("A-1", ("EXTERNAL-SKU", 2))]})

    order_id = created.json()["data"][0]["order_id"]
    [line] = (await client.get(f"/orders/{order_id}")).json()["data"]["items"]
    assert (line["sku"], line["requested_sku"], line["allocated"]) == (
        "INTERNAL-SKU",
        "EXTERNAL-SKU",
        2,
    )
