"""Routing corrections every dialect's app needs from Starlette's router."""

import re
from collections.abc import Iterable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount, Route


def accept_newlines(app: Starlette) -> None:
    """Let the mounts of ``app`` hand paths holding an encoded newline to their dialect.

    Starlette matches a mount's tail with ``.*``, which stops at a newline: a path such as
    ``/inventory/products/a%0Ab`` fell through to the root app's bare ``{"detail": ...}``
    404 instead of reaching the dialect, which answers in its own envelope. Call it after
    the mounts are added.
    """
    for route in app.router.routes:
        if isinstance(route, Mount):
            route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)


class MethodIndex:
    """Which methods answer each path of a dialect, for the ``Allow`` header of a 405.

    Starlette's own 405 names only the first route it matched, and a dialect declares one
    route per method (``GET /orders``, ``POST /orders``, ``PUT /orders``).
    """

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = [
            (route.path_regex, frozenset(route.methods))
            for route in routes
            if isinstance(route, Route) and route.methods
        ]

    def allow(self, request: Request) -> str:
        """The methods the request's path answers, as an ``Allow`` header value."""
        path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
        allowed = {m for regex, methods in self._routes if regex.match(path) for m in methods}
        return ", ".join(sorted(allowed))
