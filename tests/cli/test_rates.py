"""``orderyard taxes`` and ``orderyard shipping-rates``: set, list and delete."""

import pytest

from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.usefixtures("cli_database")


async def test_taxes_are_set_listed_replaced_and_deleted(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id))

    made = await ainvoke(
        "taxes", "set", *at, "--name", "ON-HST", "--rate", "13", "--country", "ca",
        "--region", "on", "--postal-prefix", "m5v", "--valid-from", "2026-01-01T00:00:00",
    )  # fmt: skip
    again = await ainvoke("taxes", "set", *at, "--name", "ON-HST", "--rate", "14.5",
                          "--country", "CA", "--json")  # fmt: skip
    listed = await ainvoke("taxes", "list", *at)
    deleted = await ainvoke("taxes", "delete", *at, "--name", "ON-HST")

    assert made == (
        0,
        "tax rate ON-HST created (1): 13%\tCA\tON\tM5V\t2026-01-01 00:00:00+00:00..\n",
    )
    assert again == (0, '{"id": 1, "backend_name": "ON-HST", "created": false}\n')
    assert listed == (0, "1\tON-HST\t14.5%\tCA\t*\t*\t..\n")
    assert deleted == (0, "tax rate ON-HST deleted\n")
    assert await count_rows(make, "tax_rates") == 0


async def test_shipping_rates_are_set_with_tiers_listed_and_deleted(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id))

    made = await ainvoke(
        "shipping-rates", "set", *at, "--name", "US-PICK", "--method", "Pick", "--country", "us",
        "--currency", "usd", "--tier", "12:10-", "--tier", "5:-10:0-100", "--tier", "0:-10:100-",
    )  # fmt: skip
    listed = await ainvoke("shipping-rates", "list", *at)
    deleted = await ainvoke("shipping-rates", "delete", *at, "--name", "US-PICK")

    assert made == (
        0, "shipping rate created: US-PICK\tPick\tUS\t*\tUSD\t5:0-10:0-100 0:0-10:100- 12:10-:0-\n"
    )  # fmt: skip
    assert listed == (0, "US-PICK\tPick\tUS\t*\tUSD\t5:0-10:0-100 0:0-10:100- 12:10-:0-\n")
    assert deleted == (0, "shipping rate US-PICK deleted\n")
    assert await count_rows(make, "shipping_rate_tiers") == 0


async def test_refusals_are_one_line_and_write_nothing(account: NewAccount, make: Factory) -> None:
    at = ("--account", str(account.account_id))

    rate = await ainvoke("taxes", "set", *at, "--name", "X", "--rate", "101", "--country", "CA")
    country = await ainvoke("taxes", "set", *at, "--name", "X", "--rate", "1", "--country", "ZZ")
    overlap = await ainvoke(
        "shipping-rates", "set", *at, "--name", "R", "--method", "Pick", "--country", "US",
        "--currency", "USD", "--tier", "5:-10", "--tier", "6:5-",
    )  # fmt: skip
    bad_tier = await ainvoke(
        "shipping-rates", "set", *at, "--name", "R", "--method", "Pick", "--country", "US",
        "--currency", "USD", "--tier", "5:10",
    )  # fmt: skip
    missing = await ainvoke("taxes", "delete", *at, "--name", "NOPE")

    assert [code for code, _ in (rate, country, overlap, bad_tier, missing)] == [1] * 5
    assert (
        one_line(rate[1]) == "error: invalid_request: rate must be from 0 to 100 percent (got 101)"
    )
    assert one_line(country[1]) == (
        "error: invalid_request: 'ZZ' is not an ISO 3166-1 alpha-2 country code"
    )
    assert one_line(overlap[1]) == "error: invalid_request: tiers[1] overlaps tiers[0]"
    assert one_line(bad_tier[1]) == (
        "error: weight range '10' must be FROM-TO (an end may be empty)"
    )
    assert one_line(missing[1]) == "error: not_found: tax rate backend name 'NOPE' not found"
    assert await count_rows(make, "tax_rates") == await count_rows(make, "shipping_rates") == 0
