"""Query parameter names match in any case, as the vendor's platform matches them.

``/v1/orders/cancel?internalorderid=1`` works like ``?internalOrderId=1``. The middleware
renames each query key to the spelling the dialect declares (its OpenAPI document's query
parameters and query security schemes), leaving the values byte for byte as sent. Keys it
does not know pass unchanged, and a request whose keys are already canonical is not
rewritten.
"""

from collections.abc import Callable, Mapping
from urllib.parse import quote, unquote

from starlette.types import ASGIApp, Receive, Scope, Send

from orderyard.http.openapi import operations


def canonical_query_names(document: dict[str, object]) -> dict[str, str]:
    """``{lower-case name: declared name}`` of every query parameter in ``document``."""
    names: dict[str, str] = {}
    for _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                names.setdefault(parameter["name"].lower(), parameter["name"])
    components = document.get("components", {})
    schemes = components.get("securitySchemes", {}) if isinstance(components, dict) else {}
    for scheme in schemes.values():
        if scheme.get("in") == "query":
            names.setdefault(scheme["name"].lower(), scheme["name"])
    return names


class QueryNamesAnyCase:
    """ASGI middleware: rename query keys to their declared spelling."""

    def __init__(self, app: ASGIApp, *, names: Callable[[], Mapping[str, str]]) -> None:
        self.app = app
        self._names = names
        self._table: Mapping[str, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with its query keys in their declared spelling."""
        query: bytes = scope.get("query_string", b"")
        if scope["type"] == "http" and query:
            if self._table is None:
                self._table = self._names()
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
