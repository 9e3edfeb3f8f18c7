"""Statements on the driver: the same parameters and results as through SQLAlchemy, and only
where a statement cannot escape its transaction."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError, StatementError

from orderyard.store.driver import DriverStatement
from orderyard.store.engine import Engines
from orderyard.store.tables import events, orders
from orderyard.store.types import UTCDateTime
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.statements import on_the_driver

ORDER = DriverStatement(
    select(orders.c.order_number, orders.c.total, orders.c.created_at).where(
        orders.c.account_id == bindparam("account_id"), orders.c.id == bindparam("order_id")
    )
)
NOTE = DriverStatement(
    insert(events)
    .values(
        account_id=bindparam("account_id"),
        actor="test",
        kind="noted",
        record_type="test",
        record_id=1,
        created_at=bindparam("at", type_=UTCDateTime()),
    )
    .returning(events.c.id)
)


async def test_results_come_back_as_their_column_types_make_them(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await make.item("SKU-1")
    order_id = (await make.order(("SKU-1", 2), number="N-1")).order_id

    async with read_uow:
        with on_the_driver() as driven:
            [(number, total, created_at)] = await ORDER.fetch(
                read_uow.conn, {"account_id": make.account_id, "order_id": order_id}
            )

    assert number == "N-1"
    assert isinstance(total, Decimal)
    assert isinstance(created_at, datetime)
    assert created_at.utcoffset() is not None
    backend = make.engines.read.dialect.name
    assert driven == (["SELECT"] if backend == "postgresql" else [])


async def test_parameters_go_through_their_types(make: Factory, uow: UnitOfWork) -> None:
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point: UTCDateTime refuses it

    async with uow.autocommitting() as autocommitting:
        with pytest.raises((ValueError, StatementError), match="naive"):
            await NOTE.fetch(autocommitting.conn, {"account_id": make.account_id, "at": naive})


async def test_in_a_transaction_the_statement_goes_through_sqlalchemy_and_rolls_back(
    make: Factory, engines: Engines, uow: UnitOfWork
) -> None:
    before = await count_rows(make, "events")

    async with uow:
        with on_the_driver() as driven:
            await NOTE.fetch(uow.conn, {"account_id": make.account_id, "at": _now()})
        # left without commit

    assert driven == []
    assert await count_rows(make, "events") == before


@pytest.mark.postgres
async def test_a_constraint_violation_on_the_driver_is_an_integrity_error(
    make: Factory, uow: UnitOfWork
) -> None:
    async with uow.autocommitting() as autocommitting:
        with on_the_driver() as driven, pytest.raises(IntegrityError, match="fk_events"):
            await NOTE.fetch(autocommitting.conn, {"account_id": 424242, "at": _now()})

    assert driven == ["INSERT"]


def _now() -> datetime:
    return datetime.now().astimezone()
