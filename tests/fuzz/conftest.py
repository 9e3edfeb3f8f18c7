"""Fixtures of the fuzz run: one real server on a fresh database per session, its document.

The server runs on the database of the pass (``--db=sqlite``: a new SQLite file;
``--db=postgres``: a database of its own on the test server, dropped at the end). Every
operation's cases go through one ``requests`` session, so the keep-alive connection is
shared as a client's would be.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.conftest import DEFAULT_PG_URL
from tests.fuzz.harness import ServerLog, Totals
from tests.fuzz.server import Server, postgres_database, serving, sqlite_database

SEED = 20261123
MAX_EXAMPLES = 100
"""Fuzzing cases per operation, beside the document's examples and the coverage phase's cases."""
TOTALS = Totals()


def fuzz_config(base_url: str) -> SchemathesisConfig:
    """A bounded, seeded run: explicit settings, so no ``schemathesis.toml`` or CI changes it."""
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["all"],
            "base-url": base_url,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "database": "none",
                "no-shrink": True,
            },
            "phases": {"stateful": {"enabled": False}},
        }
    )


@pytest.fixture(scope="session")
def fuzz_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir: Path = tmp_path_factory.mktemp("fuzz")
    try:
        if backend == "postgres":
            admin_url = os.environ.get("ORDERYARD_TEST_POSTGRES_URL", DEFAULT_PG_URL)
            with postgres_database(admin_url, workdir) as url, serving(workdir, url) as server:
                yield server
            return
        with serving(workdir, sqlite_database(workdir)) as server:
            yield server
    finally:
        if TOTALS.reports:
            TOTALS.report_file = workdir / "failures.txt"
            TOTALS.report_file.write_text("\n\n".join(TOTALS.reports) + "\n")


@pytest.fixture(scope="session")
def fuzz_schema(fuzz_server: Server) -> OpenApiSchema:
    return schemathesis.openapi.from_url(
        f"{fuzz_server.root}/openapi.json", config=fuzz_config(fuzz_server.root)
    )


@pytest.fixture(scope="session")
def od_fuzz_schema(fuzz_server: Server) -> OpenApiSchema:
    """The OrderDynamics document, served at the root."""
    return schemathesis.openapi.from_url(
        f"{fuzz_server.origin}/v1/openapi.json", config=fuzz_config(fuzz_server.origin)
    )


@pytest.fixture(scope="session")
def fuzz_session() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="session")
def server_log(fuzz_server: Server) -> ServerLog:
    return ServerLog(fuzz_server.log)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TOTALS.operations:
        terminalreporter.write_line(
            f"fuzz: {TOTALS.operations} operations, {TOTALS.requests} requests in"
            f" {TOTALS.seconds:.1f} s, {TOTALS.failures} distinct failures"
        )
    if TOTALS.report_file is not None:
        terminalreporter.write_line(f"fuzz: every failure in full: {TOTALS.report_file}")
