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
