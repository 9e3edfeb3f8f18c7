"""schemathesis over the OrderDynamics OpenAPI document, against the same real server.

The same checks as ShipEdge's run (``test_shipedge.py``), authenticated by the account's
subscription key.
"""

import pytest
import requests
from schemathesis.specs.openapi.schemas import OpenApiSchema

from orderyard.dialects import orderdynamics
from tests.fuzz.conftest import TOTALS
from tests.fuzz.harness import OperationRun, ServerLog
from tests.fuzz.server import Server

pytestmark = [pytest.mark.fuzz, pytest.mark.db]

OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, item in orderdynamics.create_app().openapi()["paths"].items()
    for method in item
)


def test_the_served_document_has_the_operations_fuzzed(od_fuzz_schema: OpenApiSchema) -> None:
    served = sorted(result.ok().label for result in od_fuzz_schema.get_all_operations())

    assert served == OPERATIONS


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_answer_of_the_operation_is_documented(
    label: str,
    od_fuzz_schema: OpenApiSchema,
    fuzz_server: Server,
    fuzz_session: requests.Session,
    server_log: ServerLog,
) -> None:
    method, path = label.split(" ", 1)
    run = OperationRun(
        operation=od_fuzz_schema[path][method],
        session=fuzz_session,
        headers={"Ocp-Apim-Subscription-Key": fuzz_server.key},
        log=server_log,
        totals=TOTALS,
    )

    run.run()

    assert not run.findings, run.report()
