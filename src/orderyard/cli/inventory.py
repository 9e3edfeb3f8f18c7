"""``orderyard stock import``: set on-hand from a CSV of ``location,sku,on_hand``."""

import csv
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from orderyard.cli.common import fail, run, tenant
from orderyard.services import inventory as inventory_service
from orderyard.services.inventory import OnHandRow

app = typer.Typer(no_args_is_help=True, help="Stock levels.")
COLUMNS = ["location", "sku", "on_hand"]


def read_rows(path: Path) -> list[OnHandRow]:
    """Parse the CSV; a malformed row, or a file that is not UTF-8 text, fails in one line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise fail(
            f"{path}: line {line}: not UTF-8 text (byte 0x{data[error.start]:02x});"
            " save the file as UTF-8"
        ) from None
    try:
        return _parse(path, text)
    except csv.Error as error:
        raise fail(f"{path}: not a readable CSV file: {error}") from None


def _parse(path: Path, text: str) -> list[OnHandRow]:
    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle)
        header = [c.strip() for c in next(reader, [])]
        if header != COLUMNS:
            raise fail(f"{path}: line 1: expected header {','.join(COLUMNS)}")
        rows = []
        for record in reader:
            line = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(COLUMNS):
                raise fail(f"{path}: line {line}: expected 3 columns, got {len(record)}")
            location, sku, count = (cell.strip() for cell in record)
            if not count.lstrip("-").isdigit():
                raise fail(f"{path}: line {line}: on_hand {count!r} is not an integer")
            rows.append(OnHandRow(line, location, sku, int(count)))
    return rows


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
