"""``stock import`` reports a bad file or a refused count in one line, in the file's words."""

from pathlib import Path

import pytest

from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import ledger, level, load_order

pytestmark = pytest.mark.usefixtures("cli_database")


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    await make.location("DC-1")
    await make.item("A")
    await make.stock("DC-1", "A", 5)
    return make


async def test_a_file_that_is_not_utf8_is_refused_naming_its_line(
    tmp_path: Path, stocked: Factory, account: NewAccount
) -> None:
    csv = tmp_path / "stock.csv"
    csv.write_bytes("location,sku,on_hand\nDC-1,A,7\nDC-1,CAFÉ,1\n".encode("latin-1"))
    before = await ledger(stocked)

    code, output = await ainvoke("stock", "import", "--account", str(account.account_id), str(csv))

    assert code == 1
    assert one_line(output) == (
        f"error: {csv}: line 3: not UTF-8 text (byte 0xc9): save the file as UTF-8"
        " (Excel: “CSV UTF-8”)"
    )
    assert await ledger(stocked) == before


async def test_a_utf8_file_with_a_byte_order_mark_is_read(
    tmp_path: Path, stocked: Factory, account: NewAccount
) -> None:
    csv = tmp_path / "stock.csv"
    csv.write_bytes("location,sku,on_hand\nDC-1,A,7\n".encode("utf-8-sig"))

    code, output = await ainvoke("stock", "import", "--account", str(account.account_id), str(csv))

    assert code == 0, output
    assert await level(stocked, "DC-1", "A") == (7, 0)


async def test_a_count_below_what_is_allocated_is_accepted_and_releases_the_shortfall(
    tmp_path: Path, stocked: Factory, account: NewAccount
) -> None:
    """Given an order holding 4 of DC-1's 5 A, a count of 3 takes one unit back from it."""
    placed = await stocked.order(("A", 4))
    csv = tmp_path / "stock.csv"
    csv.write_text("location,sku,on_hand\nDC-1,A,3\n")

    code, output = await ainvoke("stock", "import", "--account", str(account.account_id), str(csv))

    assert code == 0, output
    assert one_line(output) == (
        "1 rows, 1 levels changed, 0 backordered orders allocated, 1 orders gave back lost stock"
    )
    assert await level(stocked, "DC-1", "A") == (3, 3)
    order = await load_order(stocked, placed.order_id)
    assert (order.lines[0].allocated, order.status) == (3, OrderStatus.partially_allocated)
    released = [m for m in await ledger(stocked) if m.reason is MovementReason.released]
    assert [(m.allocated_delta, m.order_id) for m in released] == [(-1, placed.order_id)]


async def test_the_consoles_header_in_its_order_is_read_too(
    tmp_path: Path, stocked: Factory, account: NewAccount
) -> None:
    csv = tmp_path / "stock.csv"
    csv.write_text("SKU,Location_Code,Quantity\nA,DC-1,9\n")

    code, output = await ainvoke("stock", "import", "--account", str(account.account_id), str(csv))

    assert code == 0, output
    assert await level(stocked, "DC-1", "A") == (9, 0)


async def test_a_negative_count_is_refused_naming_its_line_and_nothing_is_applied(
    tmp_path: Path, stocked: Factory, account: NewAccount
) -> None:
    csv = tmp_path / "stock.csv"
    csv.write_text("location,sku,on_hand\nDC-1,A,7\n\nDC-1,A,-2\n")
    before = await ledger(stocked)

    code, output = await ainvoke("stock", "import", "--account", str(account.account_id), str(csv))

    assert code == 1
    assert one_line(output) == (
        f"error: {csv}: line 4: the quantity must be a whole number from 0 to 2147483647, not '-2'"
    )
    assert await level(stocked, "DC-1", "A") == (5, 0)
    assert await ledger(stocked) == before


async def test_a_file_without_a_header_is_refused_naming_line_1_as_it_always_was(
    tmp_path: Path, stocked: Factory, account: NewAccount
) -> None:
    csv = tmp_path / "stock.csv"
    csv.write_text("DC-1,A,7\n")
    before = await ledger(stocked)

    code, output = await ainvoke("stock", "import", "--account", str(account.account_id), str(csv))

    assert code == 1
    assert one_line(output) == (
        f"error: {csv}: column 1 of the header (line 1) is 'DC-1'; the columns are location"
        " (or location_code), sku and on_hand (or quantity)"
    )
    assert await ledger(stocked) == before
