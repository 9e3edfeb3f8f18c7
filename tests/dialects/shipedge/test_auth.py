import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork

INVALID = "The Key is invalid or doesn't have access to this API resource"


async def test_ping_answers_pong_with_valid_credentials(client: httpx.AsyncClient) -> None:
    response = await client.post("/ping")

    assert response.status_code == 200
    assert response.json() == {"data": {"status": "Successful", "result": "pong!"}}


@pytest.mark.parametrize(
    ("_case", "headers", "field"),
    [
        ("no AccountID", {"Key": "k"}, "AccountID"),
        ("no Key", {"AccountID": "1"}, "Key"),
        ("non-numeric AccountID", {"AccountID": "abc", "Key": "k"}, "AccountID"),
    ],
)
async def test_missing_or_malformed_headers_answer_400(
    client: httpx.AsyncClient, _case: str, headers: dict[str, str], field: str
) -> None:
    client.headers.clear()

    response = await client.post("/ping", headers=headers)

    assert response.status_code == 400
    body = response.json()["response"]
    assert body["success"] is False
    assert body["errors"][0]["field"] == field


async def test_wrong_key_answers_401_with_the_vendor_message(
    client: httpx.AsyncClient, account: NewAccount
) -> None:
    response = await client.post("/ping", headers={"Key": "not-the-key"})

    assert response.status_code == 401
    assert response.json()["response"]["message"] == INVALID
    assert response.json()["response"]["success"] is False


async def test_unknown_account_answers_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/ping", headers={"AccountID": "999999"})

    assert response.status_code == 401


async def test_inactive_account_answers_401(
    client: httpx.AsyncClient, engines: Engines, account: NewAccount
) -> None:
    await account_service.set_active(
        SystemUnitOfWork(engines.write), account.account_id, active=False
    )

    response = await client.post("/ping")

    assert response.status_code == 401
    assert response.json()["response"]["message"] == INVALID


async def test_a_rotated_key_stops_working(
    client: httpx.AsyncClient, engines: Engines, account: NewAccount
) -> None:
    rotated = await account_service.rotate_key(SystemUnitOfWork(engines.write), account.account_id)

    old = await client.post("/ping")
    new = await client.post("/ping", headers={"Key": rotated.key})

    assert (old.status_code, new.status_code) == (401, 200)


async def test_with_the_key_cache_off_a_used_key_stops_at_rotation(
    db_url: str, engines: Engines, account: NewAccount
) -> None:
    settings = Settings(database=DatabaseSettings(url=db_url, pool_size=2), auth_cache_seconds=0)
    app = create_app(settings)
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=f"http://orderyard.test{SHIPEDGE_ROOT}",
        headers=headers,
    ) as http:
        before = await http.post("/ping")
        await account_service.rotate_key(SystemUnitOfWork(engines.write), account.account_id)
        after = await http.post("/ping")
    await app.state.orderyard.engines.dispose()

    assert (before.status_code, after.status_code) == (200, 401)


async def test_openapi_requires_both_credential_headers_together(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    assert document["paths"]["/orders"]["post"]["security"] == [{"AccountID": [], "Key": []}]
    assert set(document["components"]["securitySchemes"]) == {"AccountID", "Key"}


async def test_unknown_path_answers_404_in_the_envelope(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere")

    assert response.status_code == 404
    assert response.json()["response"]["success"] is False


async def test_swagger_ui_and_openapi_are_served(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    spec = await client.get("/openapi.json")

    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert "/orders" in spec.json()["paths"]


async def test_a_json_body_labelled_as_a_form_is_read_as_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/orders/cancel",
        content=b'{"order_id": 5}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 404
    assert "order 5 not found" in response.json()["response"]["message"]


async def test_a_body_that_is_not_json_answers_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/orders/cancel", content=b"order_id=5")

    assert response.status_code == 400
    assert "JSON" in response.json()["response"]["message"]


async def test_a_key_sent_with_another_account_s_accountid_answers_401_and_is_never_valid_for_it(
    client: httpx.AsyncClient, engines: Engines, account: NewAccount
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    own = await client.post("/ping")
    crossed = [
        await client.post("/ping", headers={"AccountID": str(other.account_id)}) for _ in range(2)
    ]
    others_own = await client.post(
        "/ping", headers={"AccountID": str(other.account_id), "Key": other.key}
    )

    assert [own.status_code, *(r.status_code for r in crossed), others_own.status_code] == [
        200,
        401,
        401,
        200,
    ]
    assert [r.json() for r in crossed] == [
        {
            "response": {
                "success": False,
                "message": INVALID,
                "errors": [{"field": None, "message": INVALID, "index": None}],
            }
        }
    ] * 2


async def test_every_refused_key_answers_the_same_bytes(
    client: httpx.AsyncClient, engines: Engines
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    idle = await account_service.create_account(SystemUnitOfWork(engines.write), "Idle")
    await account_service.set_active(SystemUnitOfWork(engines.write), idle.account_id, active=False)

    refused = [
        await client.post("/ping", headers={"Key": "not-the-key"}),
        await client.post("/ping", headers={"AccountID": "999999"}),
        await client.post("/ping", headers={"AccountID": str(other.account_id)}),
        await client.post("/ping", headers={"AccountID": str(idle.account_id), "Key": idle.key}),
    ]

    assert [r.status_code for r in refused] == [401] * 4
    assert {r.content for r in refused} == {refused[0].content}
