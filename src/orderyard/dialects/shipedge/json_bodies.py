"""Read every request body as JSON, whatever ``Content-Type`` the client sent.

The ShipEdge API speaks only JSON, and its documented curl examples send bodies without a JSON
content type (``curl -d`` labels them ``application/x-www-form-urlencoded``). FastAPI parses a
body only when it is labelled JSON, so this middleware relabels it; a body that is not JSON
then fails validation with a JSON decoding error that says so.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

JSON = b"application/json"


class JsonBodies:
    """ASGI middleware: label request bodies as JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Relabel the body of a POST, PUT or PATCH as JSON."""
        if scope["type"] == "http" and scope["method"] in {"POST", "PUT", "PATCH"}:
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            scope = {**scope, "headers": [*headers, (b"content-type", JSON)]}
        await self.app(scope, receive, send)
