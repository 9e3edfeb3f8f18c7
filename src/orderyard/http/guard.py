"""The edge every dialect shares: what no route may see, and errors that keep the connection.

``RequestGuard`` wraps a dialect's app and answers, in that dialect's own error format:

- **413** for a body over the configured limit, before it is read whole: at once when
  ``Content-Length`` says so, else as soon as the streamed chunks pass it.
- **400** for a NUL character (or a lone UTF-16 surrogate, which no UTF-8 database can
  store) anywhere in the path, the query or a JSON body, naming the field. PostgreSQL refuses
  NUL in text and SQLite would store it, so the two databases would disagree; refusing it
  here covers every string field of every route, present and future, at the cost of one
  byte search per body (the JSON is only decoded again when that search finds an escape).
- **400** for something that looks like a full card number (13 to 19 digits in a row, single
  spaces or dashes between them, with a card's prefix and length, passing the Luhn check,
  and not a GS1 barcode: ``domain.card_numbers``) anywhere in the
  query or the body (JSON, string or number; a form field; a multipart part), naming the
  field and never repeating the number, so that no route, log line or table can ever receive
  one. One scan of the raw bytes per body; the body is only decoded to name the field when
  that scan finds a candidate. A multipart body is scanned without its boundaries: the
  client draws them at random (httpx and Firefox: 32 hex digits), and about one in 500 such
  boundaries holds a run that passes Luhn, which refused an upload carrying no number at all.
- **500** for an unexpected exception, without re-raising it. Starlette's own last-resort
  handler re-raises after answering, and uvicorn then drops the connection without
  ``Connection: close``, so a client's next request on its keep-alive connection failed too.

Cost, driving the guard alone in a loop (``python -m bench.guard``): 9.5 us of CPU per
one-line order body guarded against 0.4 us bare, against about 2 ms for the order itself
(bench.cpu). It was 21 us: the card scan tried a match at every byte (``CARD_RUN`` says how
it no longer does) and the 413 answer was built for every body, not only for one too large.
"""

import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderyard.domain.card_numbers import CARD_RUN, looks_like_card_number
from orderyard.http.trace import current_trace_id

log = logging.getLogger(__name__)

Refusal = Callable[[int, str | None, str], Response]
"""How a dialect words an error: (status, field or None, message) -> its response."""

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
"""10 MiB: a bulk call of 100 orders of 100 lines each is about 1.5 MiB."""
DEFAULT_MAX_BULK_BODY_BYTES = 64 * 1024 * 1024
"""64 MiB: the routes that queue a bulk job (100,000 rows of up to about 250 bytes each)."""
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
"""The only ways a JSON text can spell NUL or a surrogate (raw control characters are
already invalid JSON)."""
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NUL_MESSAGE = "must not contain NUL characters or unpaired surrogates"
CARD_CANDIDATE = re.compile(CARD_RUN.encode())
"""A run of digits as long as a card number, in raw bytes (the domain's rule decides)."""
CARD_MESSAGE = "looks like a card number: send the gateway's token, never the number"
FORM = re.compile(rb"application/x-www-form-urlencoded\b", re.IGNORECASE)
MULTIPART_BOUNDARY = re.compile(
    rb'multipart/form-data\s*;.*?\bboundary="?([^";,\s]+)', re.IGNORECASE
)
PART_NAME = re.compile(rb'\bname="([^"]*)"', re.IGNORECASE)


class BodyTooLargeError(Exception):
    """The request body passed the limit."""


@dataclass(frozen=True, slots=True)
class LargerBodies:
    """A route that admits a larger body than the app's limit (a bulk upload)."""

    method: str
    path: re.Pattern[str]
    """Matched against the whole request path (the app matches its routes the same way)."""
    max_body_bytes: int


class RequestGuard:
    """ASGI middleware: refuse unstorable input and oversized bodies; contain errors."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        refuse: Refusal,
        larger: Sequence[LargerBodies] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.refuse = refuse
        self.larger = tuple(larger)

    def limit(self, scope: Scope) -> int:
        """The body limit of the request's route: the app's, or a bulk route's own."""
        for route in self.larger:
            if scope["method"] == route.method and route.path.fullmatch(scope["path"]):
                return route.max_body_bytes
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then run the app with its exceptions contained."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._check_url(scope)
        if refusal is None and scope["method"] in BODY_METHODS:
            refusal, receive = await self._check_body(scope, receive)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self._contained(scope, receive, send)

    def _check_url(self, scope: Scope) -> Response | None:
        if "\x00" in scope["path"]:
            return self.refuse(400, "path", f"path: {NUL_MESSAGE}")
        query: bytes = scope["query_string"]
        if _has_card_number(_spaces_decoded(query)):
            field = _card_form_field(query, whole="query")
            return self.refuse(400, field, f"{field}: {CARD_MESSAGE}")
        if b"%00" not in query:
            return None
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                field = name.replace("\x00", "")
                return self.refuse(400, field or "query", f"{field or 'query'}: {NUL_MESSAGE}")
        return None

    async def _check_body(self, scope: Scope, receive: Receive) -> tuple[Response | None, Receive]:
        limit = self.limit(scope)
        if _declared_length(scope) > limit:
            return self._too_large(limit), receive
        try:
            body = await _read_body(receive, limit)
        except BodyTooLargeError:
            return self._too_large(limit), receive
        field = _unstorable_field(body) if SUSPECT_ESCAPE.search(body) else None
        if field is not None:
            return self.refuse(400, field, f"{field}: {NUL_MESSAGE}"), receive
        content_type = _header(scope, b"content-type")
        if _has_card_number(_as_scanned(body, content_type)):
            field = _card_field(body, content_type)
            return self.refuse(400, field, f"{field}: {CARD_MESSAGE}"), receive
        return None, _replay(body, receive)

    def _too_large(self, limit: int) -> Response:
        return self.refuse(413, "body", f"body: larger than the limit of {limit} bytes")

    async def _contained(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception(
                "unexpected error on %s %s (trace %s)",
                scope["method"],
                scope["path"],
                current_trace_id() or "-",
            )
            if started:  # half an answer is out: only closing the connection can say so
                raise
            await self.refuse(500, None, "Internal server error")(scope, receive, send)


def _header(scope: Scope, wanted: bytes) -> bytes:
    for name, value in scope["headers"]:
        if name == wanted:
            return bytes(value)
    return b""


def _declared_length(scope: Scope) -> int:
    value = _header(scope, b"content-length")
    return int(value) if value.isdigit() else 0


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    sent = False

    async def replaying_receive() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replaying_receive


def _unstorable_field(body: bytes) -> str | None:
    """The JSON path of the first string holding NUL or a lone surrogate, if any."""
    try:
        document = json.loads(body)
    except ValueError:
        return None  # not JSON: the route's own validation says so
    return _find_unstorable(document, "")


def _find_unstorable(node: Any, path: str) -> str | None:
    if isinstance(node, str):
        return (path or "body") if UNSTORABLE.search(node) else None
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            found = child if UNSTORABLE.search(key) else _find_unstorable(value, child)
            if found is not None:
                return found
    if isinstance(node, list):
        for index, value in enumerate(node):
            found = _find_unstorable(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _spaces_decoded(encoded: bytes) -> bytes:
    """A query or form as a card number typed with spaces appears in it (``+`` or ``%20``)."""
    return encoded.replace(b"+", b" ").replace(b"%20", b" ")


def _multipart_delimiter(content_type: bytes) -> bytes | None:
    """What separates a multipart body's parts (``--`` and the boundary); None if no such body."""
    found = MULTIPART_BOUNDARY.match(content_type)
    return None if found is None else b"--" + found.group(1)


def _as_scanned(body: bytes, content_type: bytes) -> bytes:
    """The body as a card number would be written in it.

    A form's spaces decoded; a multipart body without its boundaries (random text the client
    drew, never the sender's data).
    """
    if FORM.match(content_type):
        return _spaces_decoded(body)
    delimiter = _multipart_delimiter(content_type)
    return body if delimiter is None else body.replace(delimiter, b"\n")


def _has_card_number(raw: bytes) -> bool:
    return any(
        looks_like_card_number(match.group().decode("ascii"))
        for match in CARD_CANDIDATE.finditer(raw)
    )


def _card_field(body: bytes, content_type: bytes) -> str:
    """The field holding the card number: a JSON path, a form field's or a part's name."""
    if FORM.match(content_type):
        return _card_form_field(body, whole="body")
    delimiter = _multipart_delimiter(content_type)
    if delimiter is not None:
        return _card_part(body, delimiter)
    try:
        document = json.loads(body, parse_float=str, parse_int=str)
    except ValueError:
        return "body"
    return _find_card(document, "") or "body"


def _card_form_field(encoded: bytes, *, whole: str) -> str:
    """The name of the query's or form's first field holding a card number (else ``whole``)."""
    for name, value in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True):
        if looks_like_card_number(value) or looks_like_card_number(name):
            return name or whole
    return whole


def _card_part(body: bytes, delimiter: bytes) -> str:
    for part in body.split(delimiter):
        headers, _, content = part.partition(b"\r\n\r\n")
        if _has_card_number(headers) or _has_card_number(content):
            named = PART_NAME.search(headers)
            name = named.group(1).decode("utf-8", "replace") if named else ""
            return name or "body"
    return "body"


def _find_card(node: Any, path: str) -> str | None:
    if isinstance(node, str):
        return (path or "body") if looks_like_card_number(node) else None
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            found = child if looks_like_card_number(key) else _find_card(value, child)
            if found is not None:
                return found
    if isinstance(node, list):
        for index, value in enumerate(node):
            found = _find_card(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None
