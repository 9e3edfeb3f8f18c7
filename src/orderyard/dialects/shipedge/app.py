"""The ShipEdge sub-application: its own OpenAPI document, Swagger UI and error envelope."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from orderyard.dialects.shipedge import errors
from orderyard.dialects.shipedge.json_bodies import JsonBodies
from orderyard.dialects.shipedge.routes import ROUTERS

DESCRIPTION = """\
ShipEdge REST API v4 (OMS), served by Orderyard. Send `AccountID` and `Key` headers on every
request. Successful responses are `{"data": ...}`; errors are
`{"response": {"success": false, "message": ...}}`.
"""


def create_app() -> FastAPI:
    """Build the ShipEdge sub-app (mounted at ``/apirest/v4/oms`` by the root app)."""
    app = FastAPI(
        title="Orderyard — ShipEdge REST API v4 (OMS)",
        version="4",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.add_middleware(JsonBodies)
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with both credential headers required together.

    FastAPI lists each security dependency as its own requirement, which OpenAPI reads as
    "AccountID *or* Key"; ShipEdge needs both on every request, one requirement object.
    """
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                requirements = operation.get("security")
                if requirements:
                    operation["security"] = [{k: v for r in requirements for k, v in r.items()}]
        app.openapi_schema = schema
    return app.openapi_schema
