"""Idempotency keys: the key claimed by its request's write, an answer kept, a key looked up.

A key's row is inserted by its request's first committed write, in that write's own
transaction and marked carried out (``store/keyed_writes.py``; ``KEY_WRITTEN`` here, and a
CTE of the order placement in ``order_sets``), or, for a request that wrote nothing, with its
answer (``add_answered``). Either insert fails when the key is held: the primary key on
(account, scope) is the only arbiter, so no statement runs before the request. The answer of
a write is kept later with others in one statement (``KeptAnswers``).

Only the request's write waits for the disk. On PostgreSQL the answers commit
asynchronously (``synchronous_commit`` off for their own transactions, set inside the
statement), about 0.1-0.9 ms each on these machines. What a database crash may lose: an
answer of a write, whose key the write marked carried out and flushed, so a retry is told the
request was carried out and its answer lost, never runs it again; an answer of a request
that wrote nothing (a 4xx), whose retry runs it again, which writes nothing twice.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.idempotency import KeyedRequest, KeyTakenError, StoredAnswer
from orderyard.domain.values import AccountId
from orderyard.store.driver import DriverStatement
from orderyard.store.keyed_writes import KeyedWrite
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import idempotency_keys as keys

_SAME_KEY = and_(
    keys.c.account_id == bindparam("at_account"), keys.c.scope == bindparam("at_scope")
)
_FENCED = and_(_SAME_KEY, keys.c.claim == bindparam("at_claim"))
NEW_KEY_COLUMNS = ("scope", "key", "method", "path", "fingerprint", "claim", "lease_until")
"""The columns of a new key's row that come from its request (``new_key_params``)."""
_NEW: dict[str, Any] = {
    "account_id": bindparam("at_account"),
    **{column: bindparam(f"new_{column}") for column in NEW_KEY_COLUMNS},
    "created_at": bindparam("new_created_at"),
}
_ANSWER_COLUMNS: dict[str, Any] = {
    name: bindparam(f"new_{name}", type_=keys.c[name].type)
    for name in ("status", "response_body", "response_headers")
}
KEY_WRITTEN = insert(keys).values(**_NEW, carried_out=True)
"""The running request's key, inserted by its write as it commits, in the write's own
transaction (``store/keyed_writes.py``). No ``ON CONFLICT``: a key already held fails the
insert, and the write with it."""
_ANSWERED_NEW = {**_NEW, **_ANSWER_COLUMNS}
_ANSWERED_TYPED = [
    bindparam(bind.key, type_=keys.c[name].type) for name, bind in _ANSWERED_NEW.items()
]
_ASYNCHRONOUS_COMMIT = select(
    func.set_config("synchronous_commit", "off", True).label("setting")
).subquery("asynchronous_commit")
_PG_ANSWERED = DriverStatement(
    postgresql.insert(keys)
    .from_select(list(_ANSWERED_NEW), select(*_ANSWERED_TYPED).select_from(_ASYNCHRONOUS_COMMIT))
    .on_conflict_do_nothing()
    .returning(keys.c.claim)
)
"""A request that wrote nothing keeps its key with its answer, on PostgreSQL: the new row
selected from a subquery that switches its own transaction to asynchronous commit (the
setting in force when a transaction commits is the one that counts)."""
_SQLITE_ANSWERED = (
    sqlite.insert(keys).values(**_ANSWERED_NEW).on_conflict_do_nothing().returning(keys.c.claim)
)
_FIND = select(
    keys.c.fingerprint,
    keys.c.claim,
    keys.c.lease_until,
    keys.c.carried_out,
    keys.c.status,
    keys.c.response_body,
    keys.c.response_headers,
    keys.c.created_at,
).where(_SAME_KEY)
_FORGET = delete(keys).where(_FENCED)
"""An expired key (or a claim left by a version that claimed before running) forgotten, so
that its retry runs afresh; fenced by the claim read, so only the row that was looked at."""
_ANSWERED = ("scope", "claim", "status", "response_body", "response_headers")
_PG_ANSWERS = DriverStatement(
    text(
        """
        UPDATE idempotency_keys AS kept
        SET status = answer.status, response_body = answer.response_body,
            response_headers = answer.response_headers
        FROM unnest((SELECT :all_scope), (SELECT :all_claim), (SELECT :all_status),
                    (SELECT :all_response_body), (SELECT :all_response_headers))
            AS answer (scope, claim, status, response_body, response_headers)
        CROSS JOIN LATERAL (
            SELECT ctid AS row_id FROM idempotency_keys
            WHERE account_id = (SELECT :at_account)
                AND scope = answer.scope AND claim = answer.claim
            LIMIT 1
        ) AS key
        WHERE kept.ctid = key.row_id AND kept.account_id = (SELECT :at_account)
            AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
        RETURNING kept.claim
        """
    ).bindparams(
        bindparam("at_account", type_=keys.c.account_id.type),
        *(bindparam(f"all_{n}", type_=postgresql.ARRAY(keys.c[n].type)) for n in _ANSWERED),
    )
)
"""An account's answers in one statement on PostgreSQL: one row per answer unnested from one
array per column, each key found by its own index lookup and fenced by its claim, committing
asynchronously as ``_PG_ANSWERED`` does. Joined as a set, the planner read every key of the account
to update a few (an index scan on the account alone, 1.7 ms for 450 keys and growing with the
account's day of keys; the ``LATERAL ... LIMIT 1`` lookup is what ``stock_sets`` does for
levels). Its parameters behind scalar subqueries, so that it is planned once
(``store/planning.py``): planned afresh for every batch, binding it cost 0.4 ms. By row
address: no other statement changes a key while its answer is kept (``_FORGET`` deletes only
a key a day old). One account per statement,
as every statement of the store (``tests/store/test_account_filters``: tables distributed by
account route it to one shard)."""
_EACH_ANSWER = (
    update(keys)
    .where(_FENCED)
    .values({n: bindparam(f"new_{n}", type_=keys.c[n].type) for n in _ANSWERED[2:]})
)
_GIVE_UP = update(keys).where(_FENCED).values(lease_until=bindparam("new_lease_until"))
_PURGE = delete(keys).where(keys.c.created_at < bindparam("before"))


@dataclass(frozen=True, slots=True)
class KeyRow:
    """What a key holds: its request's fingerprint, its claim, and its answer once kept."""

    fingerprint: str
    claim: str
    lease_until: datetime
    created_at: datetime
    carried_out: bool
    """Whether the key came with its request's write (``store/keyed_writes.py``)."""
    answer: StoredAnswer | None


class IdempotencyRepository(TenantRepository):
    """The account's idempotency keys."""

    def _key(self, request: KeyedRequest, claim: str | None = None) -> dict[str, object]:
        found: dict[str, object] = {"at_account": self.account_id, "at_scope": request.scope}
        if claim is not None:
            found["at_claim"] = claim
        return found

    def _new(
        self, request: KeyedRequest, claim: str, now: datetime, lease_until: datetime
    ) -> dict[str, object]:
        new = new_key_params(request, claim, lease_until, prefix="new_")
        return {"at_account": self.account_id, **new, "new_created_at": now}

    async def add_written(self, keyed: KeyedWrite, *, now: datetime) -> None:
        """Insert the running request's key, carried out, in its write's transaction.

        Raises:
            KeyTakenError: the key is held (another request with it wrote first, or a key
                left from a day ago); ``keyed.taken`` says so, and the write must roll back.
        """
        params = self._new(keyed.request, keyed.claim, now, keyed.lease_until)
        try:
            await self.conn.execute(KEY_WRITTEN, params)
        except IntegrityError as error:
            if not key_held(error):
                raise
            keyed.taken = True
            raise KeyTakenError from error

    async def add_answered(
        self, request: KeyedRequest, claim: str, answer: StoredAnswer, *, now: datetime
    ) -> bool:
        """Insert the key with the answer of a request that wrote nothing; False if it is held."""
        params = self._new(request, claim, now, now) | {
            "new_status": answer.status,
            "new_response_body": answer.body,
            "new_response_headers": _headers_json(answer),
        }
        if self.conn.dialect.name == "postgresql":
            return len(await _PG_ANSWERED.fetch(self.conn, params)) == 1
        return len((await self.conn.execute(_SQLITE_ANSWERED, params)).all()) == 1

    async def find(self, request: KeyedRequest) -> KeyRow | None:
        """The key's row, if it exists."""
        row = (await self.conn.execute(_FIND, self._key(request))).first()
        if row is None:
            return None
        answer = None
        if row.status is not None:
            headers = tuple((str(n), str(v)) for n, v in json.loads(row.response_headers or "[]"))
            answer = StoredAnswer(row.status, bytes(row.response_body or b""), headers)
        return KeyRow(
            row.fingerprint,
            row.claim,
            row.lease_until,
            row.created_at,
            bool(row.carried_out),
            answer,
        )

    async def forget(self, request: KeyedRequest, claim: str) -> bool:
        """Delete the key if ``claim`` still holds it (an expired key); False if not."""
        return bool((await self.conn.execute(_FORGET, self._key(request, claim))).rowcount == 1)

    async def end_lease(self, request: KeyedRequest, claim: str, *, now: datetime) -> None:
        """Stop waiting for the answer of a request that committed and then failed.

        Its retry is told at once that it was carried out, rather than waiting for an answer
        that will never come.
        """
        found = self._key(request, claim) | {"new_lease_until": now}
        await self.conn.execute(_GIVE_UP, found)


def new_key_params(
    request: KeyedRequest, claim: str, lease_until: datetime, *, prefix: str
) -> dict[str, object]:
    """A new key's row as parameters named ``{prefix}{column}`` (``NEW_KEY_COLUMNS``).

    The one mapping of a request to its key's row, for every statement that inserts one:
    ``KEY_WRITTEN``, the answer of a request that wrote nothing, and the order placement's
    ``order_sets._KEY_WRITTEN``.
    """
    values = (
        request.scope,
        request.key,
        request.method,
        request.path,
        request.fingerprint,
        claim,
        lease_until,
    )
    return {f"{prefix}{name}": value for name, value in zip(NEW_KEY_COLUMNS, values, strict=True)}


def key_held(error: IntegrityError) -> bool:
    """Whether ``error`` is an idempotency key inserted twice (the table's primary key)."""
    message = str(error.orig)
    return "pk_idempotency_keys" in message or (
        "UNIQUE constraint failed: idempotency_keys.account_id, idempotency_keys.scope" in message
    )


def _headers_json(answer: StoredAnswer) -> str:
    return json.dumps([list(h) for h in answer.headers])


@dataclass(frozen=True, slots=True)
class ClaimedAnswer:
    """The answer of a claimed key's request, to keep for the key (of any account)."""

    account_id: AccountId
    scope: str
    claim: str
    answer: StoredAnswer


class KeptAnswers:
    """The answers of keyed requests, of any accounts, kept many at a time."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def keep(self, answers: Sequence[ClaimedAnswer]) -> int:
        """Store each answer for its key, unless the key's claim was lost meanwhile; how many.

        One statement per account on PostgreSQL, whatever the number of its answers; one
        execution of the single-row update with many parameter sets on SQLite.
        """
        if self.conn.dialect.name != "postgresql":
            if not answers:
                return 0
            each = [_each_answer(a) for a in answers]
            return int((await self.conn.execute(_EACH_ANSWER, each)).rowcount)
        by_account: dict[AccountId, list[ClaimedAnswer]] = {}
        for kept in answers:
            by_account.setdefault(kept.account_id, []).append(kept)
        count = 0
        for account_id, theirs in by_account.items():
            columns = (
                [a.scope for a in theirs],
                [a.claim for a in theirs],
                [a.answer.status for a in theirs],
                [a.answer.body for a in theirs],
                [_headers_json(a.answer) for a in theirs],
            )
            params = {f"all_{n}": c for n, c in zip(_ANSWERED, columns, strict=True)}
            params["at_account"] = account_id
            count += len(await _PG_ANSWERS.fetch(self.conn, params))
        return count


def _each_answer(kept: ClaimedAnswer) -> dict[str, object]:
    return {
        "at_account": kept.account_id,
        "at_scope": kept.scope,
        "at_claim": kept.claim,
        "new_status": kept.answer.status,
        "new_response_body": kept.answer.body,
        "new_response_headers": _headers_json(kept.answer),
    }


class ExpiredKeys:
    """The keys of every account, for the purge (by the worker)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def purge(self, before: datetime) -> int:
        """Delete every account's keys created before ``before``; the number deleted."""
        result = await self.conn.execute(_PURGE, {"before": before})
        return int(result.rowcount)
