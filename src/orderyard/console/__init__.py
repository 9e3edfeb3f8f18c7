"""The web console: server-rendered pages where staff see and run the account's orders.

A client of the core like a dialect (it calls services, never SQL), mounted by the root app
at ``/console`` and served by the same process. Pages are Jinja2 templates with htmx for
progressive enhancement; every asset is served from ``static/`` (``static/vendor/README.md``
lists the vendored ones with their versions and licenses), so no page loads anything from
another host. docs/console.md describes the routes, roles, sessions and CSRF protection.
"""

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from orderyard.console import web
from orderyard.console.config import ConsoleConfig
from orderyard.console.routes import account, order_actions, orders, sign_in
from orderyard.http.guard import DEFAULT_MAX_BODY_BYTES, RequestGuard
from orderyard.http.trace import TraceIds

STATIC = Path(__file__).parent / "static"
FORM_BODY_BYTES = 256 * 1024
"""The console's forms are small; a larger body is refused before it is read."""


def create_app(config: ConsoleConfig, *, max_body_bytes: int = FORM_BODY_BYTES) -> FastAPI:
    """Build the console sub-app (mounted at ``/console`` by the root app)."""
    app = FastAPI(
        title="Orderyard console",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
    )
    app.state.console = config
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (sign_in.router, account.router, orders.router, order_actions.router):
        app.include_router(router)
    web.install(app)
    app.add_middleware(
        RequestGuard,
        max_body_bytes=min(max_body_bytes, DEFAULT_MAX_BODY_BYTES),
        refuse=web.refusal,
    )
    app.add_middleware(TraceIds)
    return app


async def enter(request: Request) -> Response:
    """``/console`` without its slash: the root app sends it to the console's home."""
    return RedirectResponse(f"{request.url.path}/", status_code=307)
