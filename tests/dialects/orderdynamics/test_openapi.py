"""The served OpenAPI document equals the reviewed snapshot (``make snapshot`` rewrites it)."""

import json
from pathlib import Path

import httpx

from orderyard.dialects import orderdynamics

SNAPSHOT = Path(__file__).parent / "openapi.json"


def test_the_openapi_document_matches_the_snapshot() -> None:
    current = json.loads(json.dumps(orderdynamics.create_app().openapi(), sort_keys=True))

    assert current == json.loads(SNAPSHOT.read_text()), "run `make snapshot` and review the diff"


def test_errors_are_documented_as_problems_and_the_401_as_the_gateways_body() -> None:
    document = orderdynamics.create_app().openapi()

    for item in document["paths"].values():
        for operation in item.values():
            responses = operation["responses"]
            assert "422" not in responses
            assert set(responses["400"]["content"]) == {"application/problem+json"}
            schema = responses["401"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/GatewayErrorOut"}


async def test_the_document_and_swagger_ui_are_served_at_v1(
    app_client: httpx.AsyncClient,
) -> None:
    document = await app_client.get("/v1/openapi.json")
    page = await app_client.get("/v1/docs")
    script = await app_client.get("/v1/docs/assets/swagger-ui-bundle.js")
    shipedge = await app_client.get("/apirest/v4/oms/openapi.json")

    assert document.json()["info"]["title"] == "Orderyard — OrderDynamics OMS APIs"
    assert "/v1/docs/assets/swagger-ui-bundle.js" in page.text
    assert script.status_code == 200
    assert shipedge.json()["info"]["title"].startswith("Orderyard — ShipEdge")
