"""Corrections every dialect's OpenAPI document needs, so it says what the edge really sends."""

from typing import Any

from orderyard.domain.idempotency import MAX_KEY_LENGTH
from orderyard.http.guard import BODY_METHODS
from orderyard.http.idempotency import KEYED_METHODS, NAME
from orderyard.http.ratelimit import RETRY_AFTER

RETRY_AFTER_HEADER = {
    "description": "Whole seconds until the request may be sent again.",
    "schema": {"type": "integer", "minimum": 1},
}

Operation = dict[str, Any]


def operations(schema: dict[str, Any]) -> list[tuple[str, Operation]]:
    """Every ``(method, operation)`` of the document."""
    return [
        (method, operation)
        for path in schema.get("paths", {}).values()
        for method, operation in path.items()
    ]


def declare_the_edge(schema: dict[str, Any], *, error_media: str, error_schema: str) -> None:
    """Replace FastAPI's 422 by what the edge sends, in the dialect's error format.

    FastAPI declares a 422 on every operation with parameters, but every dialect answers
    validation failures with its own 400, which its routes declare. ``http.guard`` may answer
    413 to any method that carries a body. ``error_schema`` names the dialect's error body
    among the document's components; ``error_media`` is its media type.
    """
    reference = {"$ref": f"#/components/schemas/{error_schema}"}
    for method, operation in operations(schema):
        responses = operation["responses"]
        responses.pop("422", None)
        if method.upper() in BODY_METHODS:
            responses["413"] = {
                "description": "The body is larger than the server's limit.",
                "content": {error_media: {"schema": reference}},
            }
        if operation.get("security"):
            responses["429"] = {
                "description": "The key's or the account's rate limit is used up.",
                "headers": {RETRY_AFTER: RETRY_AFTER_HEADER},
                "content": {error_media: {"schema": reference}},
            }
    for unused in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(unused, None)


IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": NAME,
    "in": "header",
    "required": False,
    "description": (
        "Any unique value (a UUID): a retry with the same key and request is answered the"
        " first answer (with `Idempotent-Replayed: true`) instead of running again. Kept 24"
        " hours per account, method and path; server errors (5xx) are not kept."
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]+$",
    },
}


def declare_idempotency(
    schema: dict[str, Any], *, conflict: int, error_media: str, error_schema: str
) -> None:
    """Every POST, PUT and PATCH takes ``Idempotency-Key`` (``http.idempotency``).

    ``conflict`` is the dialect's status for a key reused with another request, whose first
    request has written but not yet answered, or whose first answer was lost.
    """
    reference = {"$ref": f"#/components/schemas/{error_schema}"}
    for method, operation in operations(schema):
        if method.upper() not in KEYED_METHODS:
            continue
        operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
        operation["responses"].setdefault(
            str(conflict),
            {
                "description": "The Idempotency-Key was used with another request; or its"
                " first request has written and not yet answered (retry later); or that"
                " request was carried out and its answer lost (read the result).",
                "content": {error_media: {"schema": reference}},
            },
        )
