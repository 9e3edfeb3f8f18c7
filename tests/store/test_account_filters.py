"""Every statement the store can send pins the tenant tables it touches to an account.

The rule that lets each statement be routed to the one shard of its tenant when the tables
are distributed by ``account_id`` (docs/scaling.md, "Distributing by tenant"). Three parts:
the checker itself on statements written to pass or fail; every statement the store builds
once at import (its module-level Core statements, text statements and driver statements);
and, after the whole suite has run on PostgreSQL, every statement the store sent meanwhile
(``statement_walk``), which reaches the statements built per call.

The statements that must reach every account (the worker's queues, lookups by a secret
before the account is known, the purge) are those of the system unit of work's repositories,
named in ``SYSTEM_REPOSITORIES`` with the reason each is acceptable; docs/scaling.md lists
them too.
"""

import importlib
import pkgutil
from pathlib import Path

import pytest
from sqlalchemy import Delete, Insert, Select, TextClause, Update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.selectable import CompoundSelect

import orderyard.store
from orderyard.store.driver import DriverStatement
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.store import statement_walk
from tests.store.account_filters import unpinned

SYSTEM_REPOSITORIES: dict[str, str] = {
    "AccountRepository": "accounts: created with the id drawn on the coordinator, and found "
    "by key before the account is known (cached per process, ORDERYARD_AUTH_CACHE_SECONDS)",
    "StaffTokens": "a staff member found by a bearer token before the account is known "
    "(cached likewise)",
    "ConsoleSessions": "console sign-in by e-mail, and a session by its cookie, before the "
    "account is known",
    "JobQueue": "the worker's job queue: the next due job of any account, leased by id",
    "WebhookQueue": "the worker's webhook fan-out and delivery queue, over every account",
    "EmailQueue": "the worker's e-mail queue, over every account",
    "ExpiredKeys": "the worker's purge of expired idempotency keys, every account at once",
    "OperationsQueries": "/metrics and /readyz: queue depths and ages over every account",
}
"""The system unit of work's repositories (``SystemUnitOfWork``: no account), whose statements
reach every account on purpose, and why each is acceptable (docs/scaling.md)."""

BUILT_FOR_THE_SYSTEM: dict[str, str] = {
    "orderyard.store.repositories.account.FIND_BY_KEY": "AccountRepository",
    "orderyard.store.repositories.staff.FIND_BY_TOKEN": "StaffTokens",
    "orderyard.store.repositories.console_sessions.CANDIDATES": "ConsoleSessions",
    "orderyard.store.repositories.console_sessions.FIND_SESSION": "ConsoleSessions",
    "orderyard.store.repositories.idempotency._PURGE": "ExpiredKeys",
    "orderyard.store.queries.operations._JOBS_QUEUED": "OperationsQueries",
    "orderyard.store.queries.operations._DELIVERIES_PENDING": "OperationsQueries",
}
"""Statements built at import that only a system repository sends, and which one."""


class TestTheChecker:
    @pytest.mark.parametrize(
        "sql",
        [
            "SELECT id FROM orders WHERE account_id = $1 AND id = $2",
            "SELECT id FROM orders WHERE orders.account_id = (SELECT $1::BIGINT)",
            "SELECT o.id FROM orders o JOIN order_lines l ON l.account_id = o.account_id "
            "AND l.order_id = o.id WHERE o.account_id = $1",
            "SELECT o.id FROM orders o WHERE o.account_id = ANY($1) AND EXISTS (SELECT FROM "
            "order_lines l WHERE l.account_id = o.account_id AND l.order_id = o.id)",
            "WITH x AS (UPDATE stock_levels SET allocated = 1 WHERE account_id = $1 "
            "RETURNING item_id) SELECT item_id FROM x",
            "INSERT INTO events (account_id, kind) VALUES ($1, 'k')",
            "SELECT name FROM accounts WHERE id = $1",
            "SELECT 1 FROM unnest($1::BIGINT[]) AS u (v)",
        ],
    )
    def test_a_statement_pinned_to_an_account_passes(self, sql: str) -> None:
        assert unpinned(sql) == []

    @pytest.mark.parametrize(
        ("sql", "found"),
        [
            ("SELECT id FROM orders WHERE id = $1", ["orders"]),
            ("SELECT id FROM orders WHERE account_id = $1 OR id = $2", ["orders"]),
            (
                "SELECT o.id FROM orders o JOIN channels c ON c.id = o.channel_id "
                "WHERE o.account_id = $1",
                ["channels"],
            ),
            (
                "SELECT o.id FROM orders o JOIN order_lines l ON l.account_id = o.account_id",
                ["order_lines", "orders"],
            ),
            ("UPDATE jobs SET status = 'done' WHERE id = $1", ["jobs"]),
            ("INSERT INTO events (kind) VALUES ('k')", ["events (insert without its account)"]),
            (
                "SELECT o.id FROM orders o WHERE o.account_id = $1 AND EXISTS (SELECT FROM "
                "order_lines l WHERE l.order_id = o.id)",
                ["order_lines"],
            ),
        ],
    )
    def test_a_table_not_pinned_is_named(self, sql: str, found: list[str]) -> None:
        assert unpinned(sql) == found


def module_statements() -> dict[str, str]:
    """The SQL of every statement the store's modules build at import, by its name."""
    found: dict[str, str] = {}
    dialect = postgresql.asyncpg.dialect()  # type: ignore[no-untyped-call]
    for module_info in pkgutil.walk_packages(orderyard.store.__path__, "orderyard.store."):
        if ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, DriverStatement):
                found[f"{module_info.name}.{name}"] = value.sql
            elif isinstance(value, sqlite.Insert):
                continue  # SQLite's own form of a statement, beside PostgreSQL's
            elif isinstance(value, Select | Insert | Update | Delete | TextClause | CompoundSelect):
                found[f"{module_info.name}.{name}"] = str(value.compile(dialect=dialect))
    return found


def test_every_statement_built_at_import_pins_its_account() -> None:
    statements = module_statements()

    unpinned_ones = {
        name: tables
        for name, sql in statements.items()
        if (tables := unpinned(sql)) and name not in BUILT_FOR_THE_SYSTEM
    }

    assert len(statements) > 40  # the walk found the store's modules
    assert unpinned_ones == {}
    assert set(BUILT_FOR_THE_SYSTEM.values()) <= set(SYSTEM_REPOSITORIES)


async def test_the_system_repositories_are_those_of_the_system_unit_of_work(
    engines: Engines,
) -> None:
    async with SystemUnitOfWork(engines.write) as system:
        built = {type(value).__name__ for value in vars(system).values()}

    assert set(SYSTEM_REPOSITORIES) <= built


def ran_the_whole_suite(session: pytest.Session) -> bool:
    """Whether this session collected every test file of the suite, unfiltered."""
    if session.config.option.keyword or session.config.option.markexpr:
        return False
    ran = {Path(str(item.path)) for item in session.items}
    wanted = set(Path(__file__).parents[1].rglob("test_*.py"))
    return wanted <= ran


@pytest.mark.postgres
@pytest.mark.after_everything
def test_every_statement_the_store_sent_pins_its_account(request: pytest.FixtureRequest) -> None:
    if not ran_the_whole_suite(request.session):
        pytest.skip("the walk needs the whole suite in the session")

    unpinned_ones = {
        sql: (tables, sorted(senders))
        for sql, senders in statement_walk.sent.items()
        if (tables := unpinned(sql)) and not senders & SYSTEM_REPOSITORIES.keys()
    }

    assert len(statement_walk.sent) > 500  # the suite's statements were seen
    assert unpinned_ones == {}
