"""Reading an on-hand CSV file into the rows of a bulk on-hand job.

The format (docs/console.md, "The on-hand CSV file"): UTF-8 text (a byte order mark is
allowed), comma-separated, a header naming the columns ``sku``, ``location`` and ``quantity``
in any order (case and surrounding spaces do not count), then one row per counted level.
Blank lines are skipped; row numbers count the rows under the header, from 1.

A file that cannot be read as such (not UTF-8, no header, a missing, unknown or repeated
column, a row with more cells than the header, no rows, too many rows, a character no
database can store) is refused whole, naming the line and column. The rows' values are the
job's to judge, each row alone (``domain.jobs.on_hand_row_fault``, then unknown SKUs and
locations): a bad row fails and the good ones are applied, as with the API's ``BulkOnhand``.
"""

import csv
from collections.abc import Iterator
from typing import Final

from orderyard.domain.errors import InvalidRequestError
from orderyard.http.guard import UNSTORABLE
from orderyard.services.jobs import UploadedLine

COLUMNS: Final = ("sku", "location", "quantity")
MAX_ROWS: Final = 100_000
"""As many rows as one ``BulkOnhand`` request may hold."""
CELL_MAX: Final = 200
"""A cell longer than any SKU or location code is cut here; the job refuses it anyway."""


def _refused(message: str) -> InvalidRequestError:
    return InvalidRequestError(message, field="file")


def _decoded(data: bytes) -> str:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refused(
            f"the file is not UTF-8 text (line {line}): save it as “CSV UTF-8”"
        ) from None
    found = UNSTORABLE.search(content)
    if found is not None:
        line = content.count("\n", 0, found.start()) + 1
        raise _refused(f"line {line} holds a character that cannot be stored (NUL)")
    return content


def _positions(header: list[str]) -> tuple[int, int, int]:
    """Where each of the columns is in the header."""
    names = [name.strip().lower() for name in header]
    if len(names) == 1 and ";" in names[0]:
        raise _refused("the header has one column: separate the columns with commas, not ';'")
    for number, name in enumerate(names, start=1):
        if name not in COLUMNS:
            raise _refused(
                f"column {number} of the header is {name!r}; the columns are sku, location"
                " and quantity"
            )
        if names.index(name) != number - 1:
            raise _refused(f"the header names the column {name!r} twice")
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise _refused(
            f"the header has no column {missing[0]!r} (it needs sku, location, quantity)"
        )
    sku, location, quantity = (names.index(name) for name in COLUMNS)
    return sku, location, quantity


def _quantity(cell: str) -> int | str:
    """A whole number as such; anything else stays text, for the job to refuse."""
    if cell.isascii() and cell.isdigit() and len(cell) <= len(str(2**63)):
        return int(cell)
    return cell[:CELL_MAX]


def _records(content: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record of the file with the line it starts on."""
    reader = csv.reader(content.splitlines(keepends=True), strict=False)
    line = 1
    for record in reader:
        if any(cell.strip() for cell in record):
            yield line, record
        line = reader.line_num + 1


def on_hand_rows(data: bytes) -> list[UploadedLine]:
    """The rows of an on-hand CSV file, in the file's order: ``(sku, location, quantity)``.

    Raises:
        InvalidRequestError: the file cannot be read as the format says (field ``file``);
            the message names the line and what is wrong.
    """
    records = _records(_decoded(data))
    first = next(records, None)
    if first is None:
        raise _refused("the file is empty: it needs a header line sku,location,quantity")
    positions = _positions(first[1])
    width = len(first[1])
    rows: list[UploadedLine] = []
    for line, record in records:
        if len(rows) == MAX_ROWS:
            raise _refused(f"the file has more than {MAX_ROWS} rows: split it")
        if len(record) > width:
            raise _refused(
                f"line {line} has {len(record)} cells, the header {width}: quote a value"
                " that holds a comma"
            )
        cells = [cell.strip()[:CELL_MAX] for cell in record] + [""] * (width - len(record))
        sku, location, quantity = (cells[position] for position in positions)
        rows.append((sku, location, _quantity(quantity)))
    if not rows:
        raise _refused("the file has a header but no rows")
    return rows
