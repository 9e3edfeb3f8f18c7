"""HTTP metrics: requests by route template and status, and their latency.

``HttpMetrics`` wraps the root app (pure ASGI: no request object, no task). It leaves a
one-element slot in the scope; ``RouteTemplates``, the innermost middleware of each dialect,
writes the template of the route the router chose into it (a dialect middleware may copy the
scope, never the slot). The label is the dialect's mount plus the template
(``/apirest/v4/oms/orders/{order_id}``), so the number of series is bounded by the routes;
a request no route took (an unknown path, a body refused before routing) is ``other``.

Each ``(method, route, status)`` keeps its counter and histogram child, so a request costs
two dictionary lookups, one ``inc`` and one ``observe``.
"""

import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SLOT = "orderyard.route"
OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUESTS = Counter(
    "orderyard_http_requests", "HTTP requests answered.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "orderyard_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class RouteTemplates:
    """Innermost middleware of a dialect: names the chosen route in ``HttpMetrics``' slot."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the router, then record the template of the route it matched (if any)."""
        try:
            await self.app(scope, receive, send)
        finally:
            slot: list[str] | None = scope.get(SLOT)
            route = scope.get("route")
            if slot is not None and route is not None:
                slot.append(scope.get("root_path", "") + route.path)


class HttpMetrics:
    """Root middleware: counts every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp, *, own_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.own_paths = own_paths
        """The root app's own routes (``/metrics``...), labelled by their path."""
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, then count it (a failed one as 500 if nothing was sent)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        slot: list[str] = []
        scope[SLOT] = slot
        status = 500

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            self._count(scope, slot, status, time.perf_counter() - started)

    def _count(self, scope: Scope, slot: list[str], status: int, seconds: float) -> None:
        method = scope["method"] if scope["method"] in METHODS else OTHER
        route = slot[-1] if slot else scope["path"] if scope["path"] in self.own_paths else OTHER
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
