"""Console sessions: one e-mail in several accounts, expiry, sign-out."""

from datetime import timedelta

import pytest

from orderyard.domain.errors import AuthenticationError, InvalidRequestError
from orderyard.domain.staff import Role
from orderyard.domain.values import AccountId
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import console_sessions
from orderyard.services import staff as staff_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

PASSWORD = "a long enough password"
HOURS = timedelta(hours=2)


def _tenant(engines: Engines) -> console_sessions.TenantFactory:
    return lambda account, actor: UnitOfWork(engines.write, account, actor=actor)


async def _staff(engines: Engines, account_id: AccountId, password: str = PASSWORD) -> int:
    uow = UnitOfWork(engines.write, account_id, actor="test")
    return (await staff_service.create_staff(uow, "pat@shop.example", Role.OPERATOR, password)).id


async def _sign_in(engines: Engines, account_id: int | None = None) -> console_sessions.SignedIn:
    return await console_sessions.sign_in(
        SystemUnitOfWork(engines.read),
        _tenant(engines),
        "Pat@Shop.example",
        PASSWORD,
        account_id=account_id,
        lifetime=HOURS,
    )


async def test_an_e_mail_in_two_accounts_signs_in_where_its_password_is_right(
    engines: Engines, account: NewAccount
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    await _staff(engines, account.account_id, password="another long password")
    mine = await _staff(engines, other.account_id)

    signed = await _sign_in(engines)

    assert (signed.session.account_id, signed.session.staff_id) == (other.account_id, mine)


async def test_an_e_mail_right_in_two_accounts_asks_which_one(
    engines: Engines, account: NewAccount
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    await _staff(engines, account.account_id)
    theirs = await _staff(engines, other.account_id)

    with pytest.raises(InvalidRequestError, match="give the AccountID"):
        await _sign_in(engines)
    signed = await _sign_in(engines, account_id=other.account_id)

    assert signed.session.staff_id == theirs


async def test_a_session_ends_when_it_expires(
    engines: Engines, account: NewAccount, clock: TestClock
) -> None:
    await _staff(engines, account.account_id)
    signed = await _sign_in(engines)
    system = SystemUnitOfWork(engines.read)
    assert (await console_sessions.session_of(system, signed.token)).role is Role.OPERATOR

    clock.advance(HOURS)

    with pytest.raises(AuthenticationError, match="sign in again"):
        await console_sessions.session_of(system, signed.token)


async def test_signing_out_twice_records_one_event(engines: Engines, account: NewAccount) -> None:
    staff_id = await _staff(engines, account.account_id)
    signed = await _sign_in(engines)
    uow = UnitOfWork(engines.write, account.account_id, actor=f"staff:{staff_id}")

    await console_sessions.sign_out(uow, signed.session)
    await console_sessions.sign_out(uow, signed.session)

    async with uow:
        kinds = [kind for _, kind in await uow.events.of("staff", staff_id)]
    assert kinds == ["staff_created", "staff_signed_in", "staff_signed_out"]
    with pytest.raises(AuthenticationError):
        await console_sessions.session_of(SystemUnitOfWork(engines.read), signed.token)
