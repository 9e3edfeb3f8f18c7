"""Idempotency keys: claim a key, store or release its answer, purge expired keys.

Every statement is built once (module level, bound parameters): a keyed request runs the
claim and the store, each one statement when the key is new.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.idempotency import KeyedRequest, StoredAnswer
from orderyard.store.repositories.base import TenantRepository, dialect_insert
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
_CLAIM = {
    name: dialect_insert(name, keys).values(**_NEW).on_conflict_do_nothing()
    for name in ("postgresql", "sqlite")
}
_FIND = select(
    keys.c.fingerprint,
    keys.c.claim,
    keys.c.lease_until,
    keys.c.status,
    keys.c.response_body,
    keys.c.response_headers,
    keys.c.created_at,
).where(_SAME_KEY)
_REPLACE = (
    update(keys)
    .where(_FENCED)
    .values(**{k: v for k, v in _NEW.items() if k not in ("account_id", "scope")})
    .values(status=None, response_body=None, response_headers=None)
)
_ANSWER = (
    update(keys)
    .where(_FENCED)
    .values(
        status=bindparam("new_status"),
        response_body=bindparam("new_body"),
        response_headers=bindparam("new_headers"),
    )
)
_RELEASE = delete(keys).where(_FENCED)
_PURGE = delete(keys).where(keys.c.created_at < bindparam("before"))


@dataclass(frozen=True, slots=True)
class KeyRow:
    """What a key holds: its request's fingerprint, its claim, and its answer once stored."""

    fingerprint: str
    claim: str
    lease_until: datetime
    created_at: datetime
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
        statement = _CLAIM[self.conn.dialect.name]
        params = self._key(request) | self._new(request, claim, now, lease_until)
        result = await self.conn.execute(statement, params)
        return bool(result.rowcount == 1)

    async def find(self, request: KeyedRequest) -> KeyRow | None:
        """The key's row, if it exists."""
        row = (await self.conn.execute(_FIND, self._key(request))).first()
        if row is None:
            return None
        answer = None
        if row.status is not None:
            headers = tuple((str(n), str(v)) for n, v in json.loads(row.response_headers or "[]"))
            answer = StoredAnswer(row.status, bytes(row.response_body or b""), headers)
        return KeyRow(row.fingerprint, row.claim, row.lease_until, row.created_at, answer)

    async def replace(
        self,
        request: KeyedRequest,
        *,
        was: str,
        claim: str,
        now: datetime,
        lease_until: datetime,
    ) -> bool:
        """Claim an expired or abandoned key afresh, unless someone else did since it was read."""
        params = self._key(request, was) | self._new(request, claim, now, lease_until)
        result = await self.conn.execute(_REPLACE, params)
        return bool(result.rowcount == 1)

    async def answer(self, request: KeyedRequest, claim: str, answer: StoredAnswer) -> bool:
        """Store the answer of the claimed request (False: the claim was lost meanwhile)."""
        params = self._key(request, claim) | {
            "new_status": answer.status,
            "new_body": answer.body,
            "new_headers": json.dumps([list(h) for h in answer.headers]),
        }
        result = await self.conn.execute(_ANSWER, params)
        return bool(result.rowcount == 1)

    async def release(self, request: KeyedRequest, claim: str) -> None:
        """Forget the claimed key, so that a retry runs the request again."""
        await self.conn.execute(_RELEASE, self._key(request, claim))


class ExpiredKeys:
    """The keys of every account, for the purge (by the worker)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def purge(self, before: datetime) -> int:
        """Delete every account's keys created before ``before``; the number deleted."""
        result = await self.conn.execute(_PURGE, {"before": before})
        return int(result.rowcount)
