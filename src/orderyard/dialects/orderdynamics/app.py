"""The OrderDynamics app: the vendor's paths at the server's root, in any case.

Paths are declared as the seed writes them (``/v1/inventorylocations``,
``/StatusManagement/v1``) and matched case-insensitively, with or without the trailing slash
the seed often shows (``/v1/inventorylocations/?locationInternalName=...``). Query
parameter names and JSON property names match in any case too (``query_names.py``,
``wire.py``), as on the vendor's ASP.NET platform.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.routing import BaseRoute, Route

from orderyard.dialects.orderdynamics import errors
from orderyard.dialects.orderdynamics.auth import (
    QUERY_KEY,
    GatewayRefusalError,
    account_of,
    declare_security,
    gateway_refusal,
    writes,
)
from orderyard.dialects.orderdynamics.query_names import (
    QueryNamesAnyCase,
    canonical_query_names,
)
from orderyard.dialects.orderdynamics.routes import ROUTERS, bulk, images
from orderyard.dialects.orderdynamics.schemas import media
from orderyard.dialects.orderdynamics.schemas.bulk import BulkOnhandIn
from orderyard.dialects.orderdynamics.schemas.problem import GatewayErrorOut, ProblemOut
from orderyard.http.guard import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_BULK_BODY_BYTES,
    RequestGuard,
)
from orderyard.http.idempotency import IdempotencyKeys
from orderyard.http.metrics import RouteTemplates
from orderyard.http.openapi import declare_idempotency, declare_the_edge
from orderyard.http.retry import RetryAborted
from orderyard.http.route_index import RouteIndex, loosened
from orderyard.http.routing import MethodIndex
from orderyard.http.trace import TraceIds
from orderyard.kit.storage import DEFAULT_MAX_FILE_BYTES

DESCRIPTION = """\
The OrderDynamics OMS APIs, served by Orderyard. Send an account's API key in the
`Ocp-Apim-Subscription-Key` header (or the `subscription-key` query parameter), or a staff
member's token as `Authorization: Bearer <token>` (it acts with the member's role). Responses
are PascalCase JSON; errors are RFC 9457 problem details (`application/problem+json`), and
every response carries `X-Trace-Id`. Paths, query parameter names and JSON property names
match in any case.
"""


def create_app(
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_bulk_body_bytes: int = DEFAULT_MAX_BULK_BODY_BYTES,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> FastAPI:
    """Build the OrderDynamics app (mounted at the server's root, after the other dialects).

    ``max_bulk_body_bytes`` is the limit of the routes that queue a bulk job (``BulkOnhand``);
    ``max_file_bytes`` sets that of the upload routes (``routes/images.upload_limits``).
    """
    app = FastAPIOffline(
        title="Orderyard — OrderDynamics OMS APIs",
        version="v1",
        description=DESCRIPTION,
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
        static_url="/v1/docs/assets",
        redirect_slashes=False,
    )
    routes = [loosened(route) for router in ROUTERS for route in _plain(router.routes)]
    app.router.routes.append(RouteIndex(routes))
    app.add_middleware(RouteTemplates)  # innermost: sees the route the router chose
    app.add_middleware(RetryAborted)  # inside the idempotency keys: a retry keeps the claim
    app.add_middleware(
        IdempotencyKeys, account_of=account_of, refuse=errors.refusal, conflict_status=409
    )
    app.add_middleware(QueryNamesAnyCase, names=canonical_query_names(routes, QUERY_KEY.model.name))
    app.add_middleware(
        RequestGuard,
        max_body_bytes=max_body_bytes,
        refuse=errors.refusal,
        larger=(*bulk.larger_bodies(max_bulk_body_bytes), *images.upload_limits(max_file_bytes)),
    )
    app.add_middleware(TraceIds)
    errors.install(app, MethodIndex(routes))

    async def _refused(_: Any, exc: Exception) -> Any:
        assert isinstance(exc, GatewayRefusalError)  # noqa: S101 - registered for it only
        return gateway_refusal(exc)

    app.add_exception_handler(GatewayRefusalError, _refused)
    app.openapi = lambda: _openapi(app, routes)  # type: ignore[method-assign]
    return app


def _plain(routes: list[BaseRoute]) -> list[Route]:
    """The router's routes, for the app's index.

    They go to the index rather than through ``include_router``, whose copies are rebuilt from
    the path and would lose the looser pattern.
    """
    assert all(isinstance(route, Route) for route in routes)  # noqa: S101 - plain routes only
    return [route for route in routes if isinstance(route, Route)]


def _openapi(app: FastAPI, routes: list[Route]) -> dict[str, Any]:
    """FastAPI's document of ``routes`` with the problem and gateway bodies it names."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=routes
        )
        declare_security(schema)  # first: the edge's 429 goes to operations with credentials
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(media.FORMS)
        for model in (ProblemOut, GatewayErrorOut, BulkOnhandIn, *media.DOCUMENTED):
            found = model.model_json_schema(
                ref_template="#/components/schemas/{model}", by_alias=True
            )
            components.update(found.pop("$defs", {}))
            components[model.__name__] = found
        declare_the_edge(schema, error_media=errors.PROBLEM, error_schema=ProblemOut.__name__)
        declare_idempotency(
            schema, conflict=409, error_media=errors.PROBLEM, error_schema=ProblemOut.__name__
        )
        _writes_may_be_forbidden(schema, routes)
        app.openapi_schema = schema
    return app.openapi_schema


def _writes_may_be_forbidden(schema: dict[str, Any], routes: list[Route]) -> None:
    """Every write operation may answer 403: a read-only staff member's token (``auth.py``)."""
    paths = schema.get("paths", {})
    for route in routes:
        if not isinstance(route, APIRoute) or route.path not in paths:
            continue
        for method in route.methods or ():
            operation = paths[route.path].get(method.lower())
            if operation is not None and writes(route, method):
                operation["responses"].setdefault("403", errors.FORBIDDEN)
