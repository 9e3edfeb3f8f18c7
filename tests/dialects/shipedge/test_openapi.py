"""The served OpenAPI document equals the reviewed snapshot (``make snapshot`` rewrites it)."""

import json
import re
from pathlib import Path
from typing import Any

import httpx

from orderyard.dialects import shipedge

SNAPSHOT = Path(__file__).parent / "openapi.json"


def test_the_openapi_document_matches_the_snapshot() -> None:
    current = json.loads(json.dumps(shipedge.create_app().openapi(), sort_keys=True))

    assert current == json.loads(SNAPSHOT.read_text()), "run `make snapshot` and review the diff"


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = shipedge.create_app().openapi()
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_documents_the_400_it_sends_and_never_a_422() -> None:
    for path, method, operation in operations():
        assert "400" in operation["responses"], (method, path)
        assert "422" not in operation["responses"], (method, path)


def test_every_integer_parameter_is_bounded_by_its_column() -> None:
    for path, method, operation in operations():
        for parameter in operation.get("parameters", []):
            schemas = parameter["schema"].get("anyOf", [parameter["schema"]])
            for schema in schemas:
                if schema.get("type") == "integer" and "enum" not in parameter["schema"]:
                    assert "maximum" in schema, (method, path, parameter["name"])


def test_the_enumerated_parameters_list_their_values() -> None:
    enums = {
        (path, parameter["name"]): parameter["schema"].get("enum")
        or next((s["enum"] for s in parameter["schema"].get("anyOf", []) if "enum" in s), None)
        for path, _, operation in operations()
        for parameter in operation.get("parameters", [])
    }

    assert enums[("/orders", "status_id")] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert enums[("/attributes/{owner_type}/{owner_id}", "owner_type")] == [
        "order",
        "product",
        "serial",
    ]
    assert enums[("/orders/{order}", "identify_by")] == [
        "order_id",
        "order_number",
        "order_reference",
        "order_api",
    ]


async def test_swagger_ui_is_served_without_the_internet() -> None:
    app = shipedge.create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://orderyard.test") as http:
        page = (await http.get("/docs")).text
        scripts = re.findall(r'<script src="([^"]+)"', page)
        styles = re.findall(r'<link type="text/css" rel="stylesheet" href="([^"]+)"', page)
        assets = [await http.get(url) for url in [*scripts, *styles]]

    assert scripts, page
    assert all(url.startswith("/docs/assets/") for url in [*scripts, *styles])
    assert [a.status_code for a in assets] == [200] * len(assets)
    assert "swagger" in assets[0].text[:2000].lower() or len(assets[0].content) > 100_000
