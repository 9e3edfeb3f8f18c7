"""The on-hand CSV file: one reader for ``orderyard stock import`` and the console's upload.

The format (README, "stock import"; docs/console.md, "The on-hand CSV file"): UTF-8 text (a
byte order mark is allowed: Excel's "CSV UTF-8"), comma-separated, a value holding a comma in
double quotes. The first non-blank line is a header naming three columns, in any order, case
and surrounding spaces ignored, each by one of its accepted names:

- ``location`` or ``location_code``: the location's code;
- ``sku``;
- ``on_hand`` or ``quantity``: the units counted there, a whole number from 0.

Then one row per SKU and location. Blank lines are skipped; spaces around a value are trimmed.
The CLI has always documented the header ``location,sku,on_hand`` and the console
``sku,location,quantity``: both are read, and so is any mix. A file without a header was never
accepted (its first row is refused as a header naming an unknown column).

Two kinds of problem, kept apart because the clients treat rows differently:

- the file cannot be read as this format (not UTF-8, a NUL, no header, an unknown, missing or
  repeated column, a row with more cells than the header, too many rows): ``read``
  raises ``InvalidRequestError`` (field ``file``), its message naming the line where one is
  at fault (a header of no rows is a file of no rows: the console refuses it, the CLI counts
  nothing);
- a row's values are wrong (an empty or too long SKU or location, a quantity that is not a
  whole number from 0 to ``COUNT_MAX``): ``row_fault`` says which and why, with the row's
  line. The CLI refuses the file on the first (all or nothing); the console queues the rows
  as read and the bulk job refuses each bad row alone (``domain.jobs.on_hand_row_fault``, the
  same rule).
"""

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.jobs import RowFailure, on_hand_row_fault

COLUMNS: Final = ("location", "sku", "quantity")
"""The columns, by their names in the core."""
ACCEPTED_NAMES: Final[Mapping[str, str]] = {
    "location": "location",
    "location_code": "location",
    "sku": "sku",
    "on_hand": "quantity",
    "quantity": "quantity",
}
"""Each name a header may give a column, and the column it names."""
CELL_MAX: Final = 200
"""A cell longer than any SKU or location code is cut here; ``row_fault`` refuses it anyway."""


@dataclass(frozen=True, slots=True)
class CountedRow:
    """One row as written: a quantity that is not a whole number from 0 stays its text."""

    line: int
    """The line of the file the row starts on (the header is on line 1 or later)."""
    location: str
    sku: str
    quantity: int | str


def read(data: bytes, *, max_rows: int | None = None) -> list[CountedRow]:
    """The rows of an on-hand CSV file, in the file's order (none if it has a header only).

    Raises:
        InvalidRequestError: the file cannot be read as the format says (field ``file``);
            the message names the line and what is wrong.
    """
    records = _records(_decoded(data))
    first = next(records, None)
    if first is None:
        raise _refused(f"the file is empty: it needs a header line naming {_accepted()}")
    header_line, header = first
    positions = _positions(header_line, header)
    rows: list[CountedRow] = []
    for line, record in records:
        if max_rows is not None and len(rows) == max_rows:
            raise _refused(f"the file has more than {max_rows} rows: split it")
        if len(record) > len(header):
            raise _refused(
                f"line {line} has {len(record)} cells, the header {len(header)}: quote a value"
                " that holds a comma"
            )
        cells = [cell.strip()[:CELL_MAX] for cell in record]
        cells += [""] * (len(header) - len(record))
        location, sku, quantity = (cells[position] for position in positions)
        rows.append(CountedRow(line, location, sku, _quantity(quantity)))
    return rows


def row_fault(row: CountedRow) -> RowFailure | None:
    """Why ``row`` cannot be applied as written (its ``row`` is the line), or None.

    The bulk job's own rule (``domain.jobs.on_hand_row_fault``), so that a file says the same
    of a row whether the CLI or the console's job reads it.
    """
    return on_hand_row_fault(row.line, row.sku, row.location, row.quantity)


def _refused(message: str) -> InvalidRequestError:
    return InvalidRequestError(message, field="file")


def _decoded(data: bytes) -> str:
    """The file's text, refused when no database could store it.

    Only NUL needs looking for: strict UTF-8 decoding leaves no lone surrogate.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refused(
            f"line {line}: not UTF-8 text (byte 0x{data[error.start]:02x}):"
            " save the file as UTF-8 (Excel: “CSV UTF-8”)"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise _refused(f"line {line} holds a character that cannot be stored (NUL)")
    return text


def _positions(line: int, header: Sequence[str]) -> tuple[int, int, int]:
    """Where the location, the SKU and the quantity are in the header."""
    names = [name.strip() for name in header]
    if len(names) == 1 and ";" in names[0]:
        raise _refused(
            f"the header (line {line}) has one column: separate the columns with commas, not ';'"
        )
    columns: list[str] = []
    for number, name in enumerate(names, start=1):
        column = ACCEPTED_NAMES.get(name.lower())
        if column is None:
            raise _refused(  # as written: a row taken for a header shows its own value
                f"column {number} of the header (line {line}) is {name[:CELL_MAX]!r}; the"
                f" columns are {_accepted()}"
            )
        if column in columns:
            raise _refused(f"the header (line {line}) names the column {column!r} twice")
        columns.append(column)
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        raise _refused(
            f"the header (line {line}) has no column {missing[0]!r}; the columns are {_accepted()}"
        )
    location, sku, quantity = (columns.index(column) for column in COLUMNS)
    return location, sku, quantity


def _accepted() -> str:
    """The columns and their accepted names, as a message says them."""
    return "location (or location_code), sku and on_hand (or quantity)"


def _quantity(cell: str) -> int | str:
    """A whole number as such; anything else stays text, for ``row_fault`` to refuse."""
    if cell.isascii() and cell.isdigit() and len(cell) <= len(str(2**63)):
        return int(cell)
    return cell


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record of the file with the line it starts on."""
    reader = csv.reader(text.splitlines(keepends=True), strict=False)
    line = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                yield line, record
            line = reader.line_num + 1
    except csv.Error as error:  # a cell past the csv module's field size limit
        raise _refused(f"line {line}: not a CSV row ({error})") from None
