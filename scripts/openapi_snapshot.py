"""Print the ShipEdge sub-app's OpenAPI document (``make snapshot`` stores it for review)."""

import json

from orderyard.dialects import shipedge


def snapshot() -> str:
    """The ShipEdge OpenAPI document as stable, indented JSON."""
    return json.dumps(shipedge.create_app().openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(snapshot(), end="")
