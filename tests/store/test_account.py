"""Accounts by their key's digest: one index probe, and no two accounts with one digest."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from orderyard.kit.secrets import hash_api_key
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.tables import accounts
from orderyard.store.uow import SystemUnitOfWork
from tests.statements import counted, on_the_driver


async def test_the_digest_finds_its_account_in_one_statement(
    engines: Engines, account: NewAccount
) -> None:
    async with SystemUnitOfWork(engines.read) as uow:
        with counted(engines.read) as sent, on_the_driver() as driven:
            found = await uow.accounts.find_by_key_hash(hash_api_key(account.key))
            missing = await uow.accounts.find_by_key_hash(hash_api_key("no such key"))

    assert found is not None
    assert (found.id, found.name, found.active) == (account.account_id, "Acme", True)
    assert missing is None
    assert sent == ["SELECT", "SELECT"]
    on_postgres = engines.read.dialect.name == "postgresql"
    assert driven == (["SELECT", "SELECT"] if on_postgres else [])


async def test_a_second_account_with_the_same_digest_is_refused(
    engines: Engines, account: NewAccount
) -> None:
    async with SystemUnitOfWork(engines.write) as uow:
        with pytest.raises(IntegrityError):
            await uow.accounts.add("Twin", hash_api_key(account.key))

    async with engines.read.connect() as conn:
        names = (await conn.execute(select(accounts.c.name))).scalars().all()
    assert names == ["Acme"]
