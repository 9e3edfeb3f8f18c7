"""Query parameter names match in any case, as the vendor's platform matches them.

``/v1/orders/cancel?internalorderid=1`` works like ``?internalOrderId=1``. The middleware
renames each query key to the spelling the dialect declares (the documented query
parameters of its routes, and the query API key), leaving the values byte for byte as sent. Keys
it does not know pass unchanged, and a request whose keys are already canonical is not
rewritten.
"""

from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote

from fastapi import params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send


def canonical_query_names(routes: Iterable[BaseRoute], *keys: str) -> dict[str, str]:
    """``{lower-case name: declared name}`` of ``routes``' query parameters and API ``keys``.

    The same names as the OpenAPI document's query parameters and query security schemes
    (``test_conventions.py`` compares them), read from the routes: building the document
    takes half a second, which the first request with a query string used to pay.
    """
    names: dict[str, str] = {key.lower(): key for key in keys}
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for field in get_flat_params(route.dependant):
            info = field.field_info
            if isinstance(info, params.Query) and info.include_in_schema:
                names.setdefault(field.alias.lower(), field.alias)
    return names


class QueryNamesAnyCase:
    """ASGI middleware: rename query keys to their declared spelling."""

    def __init__(self, app: ASGIApp, *, names: Mapping[str, str]) -> None:
        self.app = app
        self._table = names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with its query keys in their declared spelling."""
        query: bytes = scope.get("query_string", b"")
        if scope["type"] == "http" and query:
            renamed = rename_keys(query, self._table)
            if renamed is not query:
                scope = {**scope, "query_string": renamed}
        await self.app(scope, receive, send)


def rename_keys(query: bytes, table: Mapping[str, str]) -> bytes:
    """``query`` with each known key in its declared spelling (the same object if none moved)."""
    parts = query.split(b"&")
    changed = False
    for index, part in enumerate(parts):
        key, separator, value = part.partition(b"=")
        name = unquote(key.decode("latin-1").replace("+", " "))
        declared = table.get(name.lower())
        if declared is not None and declared != name:
            parts[index] = quote(declared).encode() + separator + value
            changed = True
    return b"&".join(parts) if changed else query
