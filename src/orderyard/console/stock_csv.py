"""An uploaded on-hand CSV file as the rows of a bulk on-hand job.

The file is read by the core's one reader (``domain/on_hand_csv.py``, which
``orderyard stock import`` uses too): a file that cannot be read is refused whole, naming the
line. Its rows are queued as read, a quantity that is not a whole number staying its text:
each row's values are the job's to judge alone (``domain.jobs.on_hand_row_fault``), so a bad
row fails and the good ones are applied, as with the API's ``BulkOnhand``.
"""

from typing import Final

from orderyard.domain import on_hand_csv
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.jobs import UploadedLine

MAX_ROWS: Final = 100_000
"""As many rows as one ``BulkOnhand`` request may hold."""


def on_hand_rows(data: bytes) -> list[UploadedLine]:
    """The rows of an on-hand CSV file, in the file's order: ``(sku, location, quantity)``.

    Raises:
        InvalidRequestError: the file cannot be read as the format says, or has no rows (a
            job of nothing; ``orderyard stock import`` takes such a file as a count of
            nothing), field ``file``.
    """
    rows = on_hand_csv.read(data, max_rows=MAX_ROWS)
    if not rows:
        raise InvalidRequestError("the file has a header but no rows", field="file")
    return [(row.sku, row.location, row.quantity) for row in rows]
