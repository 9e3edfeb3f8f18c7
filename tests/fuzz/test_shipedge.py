"""schemathesis over the ShipEdge OpenAPI document, against a real server (issue 12's proof).

Every operation of the document is a test of its own, so each lists its own failures: a
server error (with the exception the server logged), a status, content type, header or
body the document does not declare, or a connection dropped after an answer.
"""

import pytest
import requests
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.schemas import OpenApiSchema

from orderyard.dialects import shipedge
from tests.fuzz.conftest import TOTALS
from tests.fuzz.harness import OperationRun, ServerLog
from tests.fuzz.server import Server

pytestmark = [pytest.mark.fuzz, pytest.mark.db]


def documented_operations() -> list[str]:
    """``METHOD /path`` of every operation in the dialect's document, as this code builds it."""
    paths = shipedge.create_app().openapi()["paths"]
    return sorted(f"{method.upper()} {path}" for path, item in paths.items() for method in item)


OPERATIONS = documented_operations()


def test_the_served_document_has_the_operations_fuzzed(fuzz_schema: OpenApiSchema) -> None:
    served = sorted(
        result.ok().label if isinstance(result, Ok) else str(result.err())
        for result in fuzz_schema.get_all_operations()
    )

    assert served == OPERATIONS


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_answer_of_the_operation_is_documented(
    label: str,
    fuzz_schema: OpenApiSchema,
    fuzz_server: Server,
    fuzz_session: requests.Session,
    server_log: ServerLog,
) -> None:
    method, path = label.split(" ", 1)
    run = OperationRun(
        operation=fuzz_schema[path][method],
        session=fuzz_session,
        headers=fuzz_server.headers,
        log=server_log,
        totals=TOTALS,
    )

    run.run()

    if run.findings:
        pytest.fail(run.report(), pytrace=False)
