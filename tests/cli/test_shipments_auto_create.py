"""``orderyard shipments auto-create on|off``: the account's ship-on-allocation setting."""

import pytest

from orderyard.services import shipment as shipment_service
from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory

pytestmark = pytest.mark.usefixtures("cli_database")


async def test_on_then_off_sets_the_accounts_choice(make: Factory, account: NewAccount) -> None:
    on_code, on_output = await ainvoke(
        "shipments", "auto-create", "on", "--account", str(account.account_id)
    )
    assert await shipment_service.ships_on_allocation(make.uow())

    off_code, off_output = await ainvoke(
        "shipments", "auto-create", "off", "--account", str(account.account_id)
    )

    assert (on_code, one_line(on_output)) == (0, "shipments are created on allocation")
    assert (off_code, one_line(off_output)) == (0, "shipments are not created on allocation")
    assert not await shipment_service.ships_on_allocation(make.uow())


async def test_a_word_other_than_on_or_off_changes_nothing(
    make: Factory, account: NewAccount
) -> None:
    code, output = await ainvoke(
        "shipments", "auto-create", "yes", "--account", str(account.account_id)
    )

    assert code == 1
    assert one_line(output) == "error: invalid_request: setting must be on or off (got 'yes')"
    assert not await shipment_service.ships_on_allocation(make.uow())
