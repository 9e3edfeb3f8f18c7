"""The account's parameter settings: read them all or some, and change the writable ones.

A change goes where the code that obeys it reads it, and records the same event as the
dedicated use case would (``allocation_strategy_switched`` like ``services.strategy``,
``account_ships_on_allocation_set`` like ``services.shipment``), so the event log has one
word per change whichever way it came; ``account_sends_emails_set`` has no other way in.
Several changes are one transaction: all or none.
"""

from collections.abc import Mapping, Sequence

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.settings import (
    WRITABLE,
    Setting,
    SettingKey,
    parse_flag,
    parse_strategy,
)
from orderyard.domain.staff import Role, require_admin
from orderyard.domain.values import Page, PageRequest
from orderyard.store.uow import UnitOfWork


async def list_settings(
    uow: UnitOfWork,
    page: PageRequest,
    *,
    keys: Sequence[SettingKey] = (),
    server: Mapping[SettingKey, str],
) -> Page[Setting]:
    """A page of the settings ``keys`` names (all of them when none), in ``SettingKey`` order.

    ``server``: the values of the server's own settings (the edge reads them).
    """
    wanted = [key for key in SettingKey if not keys or key in keys]
    async with uow:
        values = await _account_values(uow)
    every = [Setting(key, values[key] if key in values else server[key]) for key in wanted]
    return Page(every[page.offset : page.offset + page.per_page], len(every), page)


async def change_settings(
    uow: UnitOfWork, changes: Mapping[SettingKey, str], *, role: Role | None
) -> list[Setting]:
    """Apply every change, or none; return the changed settings' new values.

    A value equal to the current one changes nothing and records nothing.

    Raises:
        ForbiddenError: the caller is a staff member other than an admin.
        InvalidRequestError: a read-only setting, or a value the setting does not take.
    """
    require_admin(role, "change the account's settings")
    for key in changes:
        if key not in WRITABLE:
            raise InvalidRequestError(f"the setting {key.value} is read-only", field="key")
    strategy = changes.get(SettingKey.ALLOCATION_STRATEGY)
    chosen = None if strategy is None else parse_strategy(strategy)
    flag = changes.get(SettingKey.SHIPS_ON_ALLOCATION)
    ships = None if flag is None else parse_flag(flag)
    emails = changes.get(SettingKey.SENDS_EMAILS)
    sends = None if emails is None else parse_flag(emails)
    async with uow:
        if chosen is not None:
            previous = await uow.accounts.set_strategy(uow.account_id, chosen)
            if previous is not chosen:
                await uow.events.record(
                    "allocation_strategy_switched",
                    "account",
                    uow.account_id,
                    {"from": previous.value, "to": chosen.value},
                )
        if ships is not None and ships != await uow.accounts.ships_on_allocation(uow.account_id):
            await uow.accounts.set_ships_on_allocation(uow.account_id, ships)
            await uow.events.record(
                "account_ships_on_allocation_set", "account", uow.account_id, {"on": ships}
            )
        if sends is not None and sends != await uow.accounts.sends_emails(uow.account_id):
            await uow.accounts.set_sends_emails(uow.account_id, sends)
            await uow.events.record(
                "account_sends_emails_set", "account", uow.account_id, {"on": sends}
            )
        values = await _account_values(uow)
        await uow.commit()
    return [Setting(key, values[key]) for key in SettingKey if key in changes]


async def _account_values(uow: UnitOfWork) -> dict[SettingKey, str]:
    account = await uow.accounts.get(uow.account_id)
    ships = await uow.accounts.ships_on_allocation(uow.account_id)
    sends = await uow.accounts.sends_emails(uow.account_id)
    return {
        SettingKey.ALLOCATION_STRATEGY: account.allocation_strategy.value,
        SettingKey.SHIPS_ON_ALLOCATION: _flag(ships),
        SettingKey.SENDS_EMAILS: _flag(sends),
    }


def _flag(on: bool) -> str:
    return "true" if on else "false"
