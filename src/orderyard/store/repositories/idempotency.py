"""Idempotency keys: claim a key, mark it carried out, store or release its answer, purge.

Every statement is built once (module level, bound parameters): a keyed request runs the
claim, one statement when the key is new, and its answer is stored with others in one
statement (``KeptAnswers``), both sent on the driver (``store/driver.py``) while the unit of
work autocommits on PostgreSQL; the mark rides in the request's own write
(``store/keyed_writes.py``).

Only the request's write waits for the disk. On PostgreSQL the claim and the answer commit
asynchronously (``synchronous_commit`` off for their own transactions, set inside the
statement), about 0.1-0.9 ms each on these machines, so a keyed create flushes the log once,
as one without a key does (``bench/results/twins.md``). What a database crash may lose:
- a claim: it belonged to a request that had committed nothing yet (the request's write,
  being synchronous, flushes the log in order, claim first), and a retry runs it afresh;
- an answer: its request's write marked the key ``carried_out`` and was flushed, so a retry
  is told the request was carried out and its answer lost, never runs it again. An answer of
  a request that wrote nothing (a 4xx) is lost with its key's mark unset: a retry runs it
  again, which writes nothing twice.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.idempotency import KeyedRequest, StoredAnswer
from orderyard.domain.values import AccountId
from orderyard.store.driver import DriverStatement
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import idempotency_keys as keys

_SAME_KEY = and_(
    keys.c.account_id == bindparam("at_account"), keys.c.scope == bindparam("at_scope")
)
_FENCED = and_(_SAME_KEY, keys.c.claim == bindparam("at_claim"))
_NEW: dict[str, Any] = {
    "account_id": bindparam("at_account"),
    "scope": bindparam("at_scope"),
    "key": bindparam("new_key"),
    "method": bindparam("new_method"),
    "path": bindparam("new_path"),
    "fingerprint": bindparam("new_fingerprint"),
    "claim": bindparam("new_claim"),
    "lease_until": bindparam("new_lease_until"),
    "created_at": bindparam("new_created_at"),
}
_NEW_TYPED = [bindparam(bind.key, type_=keys.c[name].type) for name, bind in _NEW.items()]
_ASYNCHRONOUS_COMMIT = select(
    func.set_config("synchronous_commit", "off", True).label("setting")
).subquery("asynchronous_commit")
_PG_CLAIM = DriverStatement(
    postgresql.insert(keys)
    .from_select(list(_NEW), select(*_NEW_TYPED).select_from(_ASYNCHRONOUS_COMMIT))
    .on_conflict_do_nothing()
    .returning(keys.c.claim)
)
"""The claim on PostgreSQL: the new row selected from a subquery that switches its own
transaction to asynchronous commit (the setting in force when a transaction commits is the
one that counts)."""
_SQLITE_CLAIM = sqlite.insert(keys).values(**_NEW).on_conflict_do_nothing().returning(keys.c.claim)
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
_RENEW = (
    update(keys)
    .where(_FENCED)
    .values(**{k: v for k, v in _NEW.items() if k not in ("account_id", "scope")})
    .values(status=None, response_body=None, response_headers=None, carried_out=False)
)
"""An expired key claimed afresh: new again, whatever its request did a day ago."""
_TAKE_OVER = _RENEW.where(keys.c.carried_out.is_(False))
"""An abandoned claim taken over: only while its request has not committed its write."""
MARK = update(keys).where(_FENCED).values(carried_out=True)
"""The key's request committed its write: run in that write's own transaction."""
_STILL_CLAIMED = select(keys.c.claim).where(_FENCED)
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
asynchronously as a claim does. Joined as a set, the planner read every key of the account
to update a few (an index scan on the account alone, 1.7 ms for 450 keys and growing with the
account's day of keys; the ``LATERAL ... LIMIT 1`` lookup is what ``stock_sets`` does for
levels). Its parameters behind scalar subqueries, so that it is planned once
(``store/planning.py``): planned afresh for every batch, binding it cost 0.4 ms. By row
address: no other statement changes a key while its answer is kept (a takeover, which would,
changes the claim, and then the answer must not be kept anyway). One account per statement,
as every statement of the store (``tests/store/test_account_filters``: tables distributed by
account route it to one shard)."""
_EACH_ANSWER = (
    update(keys)
    .where(_FENCED)
    .values({n: bindparam(f"new_{n}", type_=keys.c[n].type) for n in _ANSWERED[2:]})
)
_RELEASE = delete(keys).where(_FENCED, keys.c.carried_out.is_(False))
_GIVE_UP = update(keys).where(_FENCED).values(lease_until=bindparam("new_lease_until"))
_PURGE = delete(keys).where(keys.c.created_at < bindparam("before"))


@dataclass(frozen=True, slots=True)
class KeyRow:
    """What a key holds: its request's fingerprint, its claim, and its answer once stored."""

    fingerprint: str
    claim: str
    lease_until: datetime
    created_at: datetime
    carried_out: bool
    """Whether the request's write committed (``store/keyed_writes.py``)."""
    answer: StoredAnswer | None


class IdempotencyRepository(TenantRepository):
    """The account's idempotency keys."""

    def _key(self, request: KeyedRequest, claim: str | None = None) -> dict[str, object]:
        found: dict[str, object] = {"at_account": self.account_id, "at_scope": request.scope}
        if claim is not None:
            found["at_claim"] = claim
        return found

    @staticmethod
    def _new(
        request: KeyedRequest, claim: str, now: datetime, lease_until: datetime
    ) -> dict[str, object]:
        return {
            "new_key": request.key,
            "new_method": request.method,
            "new_path": request.path,
            "new_fingerprint": request.fingerprint,
            "new_claim": claim,
            "new_lease_until": lease_until,
            "new_created_at": now,
        }

    async def claim(
        self, request: KeyedRequest, claim: str, *, now: datetime, lease_until: datetime
    ) -> bool:
        """Insert the key as claimed by ``claim``; False when the key exists already."""
        params = self._key(request) | self._new(request, claim, now, lease_until)
        if self.conn.dialect.name == "postgresql":
            return len(await _PG_CLAIM.fetch(self.conn, params)) == 1
        return len((await self.conn.execute(_SQLITE_CLAIM, params)).all()) == 1

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

    async def replace(
        self,
        request: KeyedRequest,
        *,
        was: str,
        claim: str,
        now: datetime,
        lease_until: datetime,
        expired: bool,
    ) -> bool:
        """Claim an expired or abandoned key afresh, unless someone else did since it was read.

        Nor an abandoned (unexpired) key whose request has marked it carried out since (a slow
        request committing at last): the caller reads the key again and is told so.
        """
        params = self._key(request, was) | self._new(request, claim, now, lease_until)
        result = await self.conn.execute(_RENEW if expired else _TAKE_OVER, params)
        return bool(result.rowcount == 1)

    async def mark_carried_out(self, scope: str, claim: str) -> bool:
        """Say the key's request commits its write (in that write's transaction).

        False when the claim is no longer the request's (a retry took the key over after its
        lease): then the write must not commit. Marked, the key's row stays locked until the
        write's transaction ends, so no takeover can come between.
        """
        params = {"at_account": self.account_id, "at_scope": scope, "at_claim": claim}
        return bool((await self.conn.execute(MARK, params)).rowcount == 1)

    async def still_claimed(self, scope: str, claim: str) -> bool:
        """Whether the key is still held by ``claim`` (not taken over by a retry)."""
        params = {"at_account": self.account_id, "at_scope": scope, "at_claim": claim}
        return (await self.conn.execute(_STILL_CLAIMED, params)).first() is not None

    async def release(self, request: KeyedRequest, claim: str, *, now: datetime) -> bool:
        """Forget the claim so that a retry runs the request again; False if it was carried out.

        A request that committed its write and then failed keeps its key, answerless, with its
        lease ended: a retry is told it was carried out rather than run again.
        """
        found = self._key(request, claim)
        if (await self.conn.execute(_RELEASE, found)).rowcount == 1:
            return True
        await self.conn.execute(_GIVE_UP, found | {"new_lease_until": now})
        return False


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
