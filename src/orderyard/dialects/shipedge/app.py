"""The ShipEdge sub-application: its own OpenAPI document, Swagger UI and error envelope."""

from fastapi import FastAPI

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
    return app
