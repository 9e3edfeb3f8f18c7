from typing import Any

from orderyard.http.openapi import declare_the_edge


def document() -> dict[str, Any]:
    unsent = {"422": {"description": "Validation Error"}}
    return {
        "paths": {
            "/things": {
                "get": {"responses": {"200": {}, "400": {}, **unsent}},
                "post": {"responses": {"200": {}, "400": {}, **unsent}},
            }
        },
        "components": {
            "schemas": {"HTTPValidationError": {}, "ValidationError": {}, "Problem": {}}
        },
    }


def test_the_unsent_422_goes_and_body_methods_may_answer_413_in_the_dialects_format() -> None:
    schema = document()

    declare_the_edge(schema, error_media="application/problem+json", error_schema="Problem")

    things = schema["paths"]["/things"]
    assert set(things["get"]["responses"]) == {"200", "400"}
    assert set(things["post"]["responses"]) == {"200", "400", "413"}
    assert things["post"]["responses"]["413"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert set(schema["components"]["schemas"]) == {"Problem"}


def test_an_authenticated_operation_may_answer_429_with_retry_after() -> None:
    schema = document()
    schema["paths"]["/things"]["post"]["security"] = [{"Key": []}]

    declare_the_edge(schema, error_media="application/problem+json", error_schema="Problem")

    things = schema["paths"]["/things"]
    assert "429" not in things["get"]["responses"]  # no security: never rate limited
    assert things["post"]["responses"]["429"] == {
        "description": "The key's or the account's rate limit is used up.",
        "headers": {
            "Retry-After": {
                "description": "Whole seconds until the request may be sent again.",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
