"""Routes matched in any case, looked up by path before they are tried in order.

Starlette tries a request against each route in turn. OrderDynamics declares about 150
routes, almost all with fixed paths, and ``GET /v1/orders`` is the 50th: trying the 49 before
it cost about 200 Python calls a request, which made a get of an order through OrderDynamics
0.81-0.95 of its ShipEdge twin's rate, and 0.93-1.01 with the route moved first (wrk, one
connection, the two interleaved on one machine, 2026-12-06).

``RouteIndex`` stands in the router for all of a dialect's routes. A ``loosened`` route with
no parameter matches a path only if the path, lower-cased and without its trailing slashes,
is its own path so written (its pattern ignores case and one trailing slash); the index keeps
those routes by that key. A request is tried against the routes of its key and the routes
with parameters only, in their declared order, so it is answered by the route the scan would
have chosen. A path that is not ASCII (which case-insensitive matching may fold differently
from ``str.lower``) is tried against every route, as before.
"""

import re
from collections.abc import Iterable, Sequence

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route, compile_path
from starlette.types import Receive, Scope, Send

CHOSEN = "orderyard.route_index.chosen"
"""The scope key of the route the index matched, for ``handle``."""


def loosened(route: Route) -> Route:
    """``route``, matching its path in any case and with or without one trailing slash.

    The pattern is built from the declared path each time, so loosening a route shared by
    several apps (as the tests build them) gives it the same pattern every time.
    """
    declared, _, _ = compile_path(route.path)
    pattern = declared.pattern.removesuffix("$").rstrip("/") + "/?$"
    route.path_regex = re.compile(pattern, re.IGNORECASE)
    return route


def _key(path: str) -> str:
    return path.lower().rstrip("/")


class RouteIndex(BaseRoute):
    """The ``loosened`` routes of a dialect, tried by path and then in their declared order."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = list(routes)
        """Every route, in declared order (what the OpenAPI document and the checks read)."""
        with_parameters = [route for route in self.routes if route.param_convertors]
        self._by_path: dict[str, list[Route]] = {}
        for route in self.routes:
            if not route.param_convertors:
                key = _key(route.path)
                candidates = self._by_path.setdefault(key, [])
                candidates.append(route)
        for key, candidates in self._by_path.items():
            self._by_path[key] = sorted([*candidates, *with_parameters], key=self.routes.index)
        self._with_parameters = with_parameters

    def candidates(self, path: str) -> Sequence[Route]:
        """The routes that may match ``path``, in declared order."""
        if not path.isascii():
            return self.routes
        return self._by_path.get(_key(path), self._with_parameters)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """The first route that matches in full, else the first that matches the path only."""
        if scope["type"] != "http":
            return Match.NONE, {}
        path = get_route_path(scope)  # as the routes' own ``matches`` read it
        partial: tuple[Route, Scope] | None = None
        for route in self.candidates(path):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child_scope, CHOSEN: route}
            if match is Match.PARTIAL and partial is None:
                partial = (route, child_scope)
        if partial is None:
            return Match.NONE, {}
        route, child_scope = partial
        return Match.PARTIAL, {**child_scope, CHOSEN: route}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with the route ``matches`` chose."""
        route: Route = scope[CHOSEN]
        await route.handle(scope, receive, send)


def flattened(routes: Iterable[BaseRoute]) -> list[BaseRoute]:
    """``routes`` with each ``RouteIndex`` replaced by the routes it holds."""
    return [
        inner
        for route in routes
        for inner in (route.routes if isinstance(route, RouteIndex) else [route])
    ]
