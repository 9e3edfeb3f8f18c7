"""``orderyard stock import``: set on-hand from an on-hand CSV file (``domain/on_hand_csv.py``).

The file's format is the console upload's: a header naming ``location`` (or
``location_code``), ``sku`` and ``on_hand`` (or ``quantity``) in any order, then one row per
counted level; the documented ``location,sku,on_hand`` is one such header.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from orderyard.cli.common import fail, run, tenant
from orderyard.domain import on_hand_csv
from orderyard.domain.errors import InvalidRequestError
from orderyard.services import inventory as inventory_service
from orderyard.services.inventory import OnHandRow

app = typer.Typer(no_args_is_help=True, help="Stock levels.")


def read_rows(path: Path) -> list[OnHandRow]:
    """The file's rows, or a one-line failure naming the line: all or nothing.

    The first row whose values cannot be applied (``on_hand_csv.row_fault``: an empty SKU or
    location, a quantity that is not a whole number from 0) refuses the file, as the rest of
    the import does (an unknown SKU or location, a repeated level).
    """
    try:
        rows = on_hand_csv.read(path.read_bytes())
    except InvalidRequestError as error:
        raise fail(f"{path}: {error.message}") from None
    counted = []
    for row in rows:
        fault = on_hand_csv.row_fault(row)
        if fault is not None:
            raise fail(f"{path}: line {row.line}: {fault.message}")
        # a row without a fault has a whole number: int() only tells the type checker so
        counted.append(OnHandRow(row.line, row.location, row.sku, int(row.quantity)))
    return counted


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file.")],
    account: Annotated[int, typer.Option("--account", help="The AccountID.")],
) -> None:
    """Set on-hand quantities, record the ledger and allocate waiting backorders.

    All or nothing: a bad row is reported with its line number and nothing is applied. A
    count below what is allocated is accepted: the newest allocations there give the lost
    units back and are allocated elsewhere, or wait as backorders.
    """
    rows = read_rows(file)
    with Progress(transient=True) as progress:
        task = progress.add_task("setting on-hand", total=len(rows))
        result = run(
            lambda e: inventory_service.set_on_hand(
                tenant(e, account),
                rows,
                reference=f"import {file.name}",
                progress=lambda n: progress.advance(task, n),
            ),
            account=account,
        )
    released = (
        f", {result.orders_released} orders gave back lost stock" if result.orders_released else ""
    )
    typer.echo(
        f"{result.rows} rows, {result.changed} levels changed,"
        f" {result.orders_allocated} backordered orders allocated{released}"
    )
