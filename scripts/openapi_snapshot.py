"""Print a dialect's OpenAPI document (``make snapshot`` stores each for review).

    python scripts/openapi_snapshot.py shipedge
    python scripts/openapi_snapshot.py orderdynamics
"""

import json
import sys

from orderyard.dialects import orderdynamics, shipedge

DIALECTS = {"shipedge": shipedge.create_app, "orderdynamics": orderdynamics.create_app}


def snapshot(dialect: str = "shipedge") -> str:
    """The dialect's OpenAPI document as stable, indented JSON."""
    return json.dumps(DIALECTS[dialect]().openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(snapshot(*sys.argv[1:2]), end="")
