"""Make PostgreSQL itself abort the first writes to a table, as a deadlock or conflict would.

A trigger raises ``serialization_failure`` (``40001``) for the first ``times`` rows inserted
into ``table``; the database rolls the whole transaction back, exactly as it does when it
breaks a lock cycle, and the error reaches the server through the real driver. A sequence
counts the rows the trigger saw (a sequence is not rolled back with the transaction).
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import text

from orderyard.services.answer_queue import AnswerQueue
from orderyard.store.engine import Engines

SERIALIZATION_FAILURE = "40001"


@asynccontextmanager
async def database_aborts(
    engines: Engines, table: str, *, times: int
) -> AsyncIterator[Callable[[], Awaitable[int]]]:
    """Abort the first ``times`` inserts into ``table``; yield how many inserts were tried."""
    statements = (
        "CREATE SEQUENCE test_abort_tries",
        f"""CREATE FUNCTION test_abort_first() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('test_abort_tries') <= {times:d} THEN
                RAISE EXCEPTION 'aborted by the test' USING ERRCODE = '{SERIALIZATION_FAILURE}';
            END IF;
            RETURN NEW;
        END $$""",
        f"""CREATE TRIGGER test_abort BEFORE INSERT ON {table}
        FOR EACH ROW EXECUTE FUNCTION test_abort_first()""",
    )
    async with engines.write.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))

    async def tries() -> int:
        async with engines.write.connect() as conn:
            found = await conn.execute(
                text("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_abort_tries")
            )
            return int(found.scalar_one())

    try:
        yield tries
    finally:
        async with engines.write.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER test_abort ON {table}"))
            await conn.execute(text("DROP FUNCTION test_abort_first()"))
            await conn.execute(text("DROP SEQUENCE test_abort_tries"))


_LOSE_ANSWERS = {
    "postgresql": (
        """CREATE FUNCTION test_lose_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.status IS NOT NULL THEN
                RAISE EXCEPTION 'answer lost by the test';
            END IF;
            RETURN NEW;
        END $$""",
        """CREATE TRIGGER test_lose_answer BEFORE UPDATE ON idempotency_keys
        FOR EACH ROW EXECUTE FUNCTION test_lose_answer()""",
    ),
    "sqlite": (
        """CREATE TRIGGER test_lose_answer BEFORE UPDATE OF status ON idempotency_keys
        WHEN NEW.status IS NOT NULL BEGIN SELECT RAISE(ABORT, 'answer lost by the test'); END""",
    ),
}
_KEEP_ANSWERS = {
    "postgresql": (
        "DROP TRIGGER test_lose_answer ON idempotency_keys",
        "DROP FUNCTION test_lose_answer()",
    ),
    "sqlite": ("DROP TRIGGER test_lose_answer",),
}


@asynccontextmanager
async def answers_lost(engines: Engines, answers: AnswerQueue) -> AsyncIterator[None]:
    """Make keeping an idempotency key's answer fail, as when the server stops before it does.

    The request itself runs and answers; its key is left claimed without an answer, exactly
    what a process killed between its write and keeping its answer (or a database crash
    losing that commit) leaves behind. The answers given in the block are written (and fail)
    before it ends, and forgotten by ``answers``, as by a process that died.
    """
    name = engines.write.dialect.name
    async with engines.write.begin() as conn:
        for statement in _LOSE_ANSWERS[name]:
            await conn.execute(text(statement))
    try:
        yield
    finally:
        await answers.drain()
        async with engines.write.begin() as conn:
            for statement in _KEEP_ANSWERS[name]:
                await conn.execute(text(statement))
