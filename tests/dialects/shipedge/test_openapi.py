"""The served OpenAPI document equals the reviewed snapshot (``make snapshot`` rewrites it)."""

import json
from pathlib import Path

from orderyard.dialects import shipedge

SNAPSHOT = Path(__file__).parent / "openapi.json"


def test_the_openapi_document_matches_the_snapshot() -> None:
    current = json.loads(json.dumps(shipedge.create_app().openapi(), sort_keys=True))

    assert current == json.loads(SNAPSHOT.read_text()), "run `make snapshot` and review the diff"
