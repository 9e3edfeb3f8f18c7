"""An uploaded on-hand CSV file: the rows of a job, or the whole file refused naming the line.

The reader is the core's (``domain/on_hand_csv.py``, tested in tests/domain/test_on_hand_csv.py);
these tests hold the console's side: its rows as the job takes them, and its row limit.
"""

import pytest

from orderyard.console.stock_csv import MAX_ROWS, on_hand_rows
from orderyard.domain.errors import InvalidRequestError

ACCEPTED = "location (or location_code), sku and on_hand (or quantity)"


def test_rows_come_in_the_files_order_with_whole_numbers_as_such() -> None:
    data = b"sku,location,quantity\nPROD-1,DC-1,120\n PROD-2 , DC-1 , 0 \n"

    assert on_hand_rows(data) == [("PROD-1", "DC-1", 120), ("PROD-2", "DC-1", 0)]


def test_columns_come_in_any_order_any_case_and_a_byte_order_mark_is_allowed() -> None:
    data = "\ufeffQuantity,SKU,Location\r\n5,PROD-1,DC-1\r\n".encode()

    assert on_hand_rows(data) == [("PROD-1", "DC-1", 5)]


def test_a_bad_value_is_left_for_the_job_to_refuse_alone() -> None:
    data = b"sku,location,quantity\nPROD-1,DC-1,ten\nPROD-2,DC-1\n,DC-1,-3\n\nPROD-3,DC-1,4\n"

    assert on_hand_rows(data) == [
        ("PROD-1", "DC-1", "ten"),
        ("PROD-2", "DC-1", ""),
        ("", "DC-1", "-3"),
        ("PROD-3", "DC-1", 4),  # the blank line is skipped
    ]


def test_a_quoted_value_may_hold_a_comma() -> None:
    data = b'sku,location,quantity\n"PROD,1",DC-1,2\n'

    assert on_hand_rows(data) == [("PROD,1", "DC-1", 2)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", f"the file is empty: it needs a header line naming {ACCEPTED}"),
        (b"\n\n", f"the file is empty: it needs a header line naming {ACCEPTED}"),
        (b"sku,location,quantity\n", "the file has a header but no rows"),
        (
            b"sku,location\nPROD-1,DC-1\n",
            f"the header (line 1) has no column 'quantity'; the columns are {ACCEPTED}",
        ),
        (
            b"sku,location,quantity,price\nPROD-1,DC-1,1,9.99\n",
            f"column 4 of the header (line 1) is 'price'; the columns are {ACCEPTED}",
        ),
        (b"sku,sku,quantity\nA,B,1\n", "the header (line 1) names the column 'sku' twice"),
        (
            b"sku;location;quantity\nPROD-1;DC-1;1\n",
            "the header (line 1) has one column: separate the columns with commas, not ';'",
        ),
        (
            b"sku,location,quantity\nPROD-1,DC-1,1\nPROD,2,DC-1,1\n",
            "line 3 has 4 cells, the header 3: quote a value that holds a comma",
        ),
        (
            b"sku,location,quantity\nPROD-1,DC-1,1\nPROD-\xe9,DC-1,1\n",
            "line 3: not UTF-8 text (byte 0xe9): save the file as UTF-8"
            " (Excel: \u201cCSV UTF-8\u201d)",
        ),
        (
            b"sku,location,quantity\nPROD-1,DC-1,1\nPROD\x00,DC-1,1\n",
            "line 3 holds a character that cannot be stored (NUL)",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_the_line(data: bytes, message: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        on_hand_rows(data)

    assert (refused.value.field, refused.value.message) == ("file", message)


def test_more_rows_than_a_job_takes_are_refused() -> None:
    data = b"sku,location,quantity\n" + b"P,D,1\n" * (MAX_ROWS + 1)

    with pytest.raises(InvalidRequestError) as refused:
        on_hand_rows(data)

    assert refused.value.message == f"the file has more than {MAX_ROWS} rows: split it"


def test_a_blank_line_does_not_change_the_line_a_refusal_names() -> None:
    data = b"sku,location,quantity\n\nPROD-1,DC-1,1\n\nA,B,1,2\n"

    with pytest.raises(InvalidRequestError) as refused:
        on_hand_rows(data)

    assert refused.value.message.startswith("line 5 has 4 cells")
