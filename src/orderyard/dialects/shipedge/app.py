"""The ShipEdge sub-application: its own OpenAPI document, Swagger UI and error envelope."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline

from orderyard.dialects.shipedge import errors
from orderyard.dialects.shipedge.auth import account_of
from orderyard.dialects.shipedge.envelope import ErrorEnvelope
from orderyard.dialects.shipedge.json_bodies import JsonBodies
from orderyard.dialects.shipedge.routes import ROUTERS
from orderyard.http.guard import DEFAULT_MAX_BODY_BYTES, RequestGuard
from orderyard.http.idempotency import IdempotencyKeys
from orderyard.http.metrics import RouteTemplates
from orderyard.http.openapi import declare_idempotency, declare_the_edge, operations
from orderyard.http.retry import RetryAborted
from orderyard.http.routing import MethodIndex
from orderyard.http.trace import TraceIds

DESCRIPTION = """\
ShipEdge REST API v4 (OMS), served by Orderyard. Send `AccountID` and `Key` headers on every
request. Successful responses are `{"data": ...}`; errors are
`{"response": {"success": false, "message": ...}}`.
"""


def create_app(*, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> FastAPI:
    """Build the ShipEdge sub-app (mounted at ``/apirest/v4/oms`` by the root app).

    Swagger UI's scripts are served by the app itself (``/docs/assets``), so the page works
    on a machine without internet. Trailing slashes are not redirected: the redirect would
    name an absolute ``http://`` URL that is wrong behind a TLS proxy, so ``/orders/`` is a
    404 in the envelope like any other unknown path.
    """
    app = FastAPIOffline(
        title="Orderyard — ShipEdge REST API v4 (OMS)",
        version="4",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        static_url="/docs/assets",
        redirect_slashes=False,
    )
    app.add_middleware(RouteTemplates)  # innermost: sees the route the router chose
    app.add_middleware(RetryAborted)  # inside the idempotency keys: a retry keeps the claim
    app.add_middleware(JsonBodies)
    app.add_middleware(
        IdempotencyKeys, account_of=account_of, refuse=errors.refusal, conflict_status=400
    )
    app.add_middleware(RequestGuard, max_body_bytes=max_body_bytes, refuse=errors.refusal)
    app.add_middleware(TraceIds)
    errors.install(app, MethodIndex(route for router in ROUTERS for route in router.routes))
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, corrected to say what the dialect really answers.

    Both credential headers are required together: FastAPI lists each security dependency as
    its own requirement, which OpenAPI reads as "AccountID *or* Key". The edge's statuses
    are declared by ``http.openapi.declare_the_edge``.
    """
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        for _, operation in operations(schema):
            requirements = operation.get("security")
            if requirements:
                operation["security"] = [{k: v for r in requirements for k, v in r.items()}]
        declare_the_edge(
            schema, error_media="application/json", error_schema=ErrorEnvelope.__name__
        )
        declare_idempotency(
            schema,
            conflict=400,
            error_media="application/json",
            error_schema=ErrorEnvelope.__name__,
        )
        app.openapi_schema = schema
    return app.openapi_schema
