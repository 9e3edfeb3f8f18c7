"""The one on-hand CSV reader (``domain/on_hand_csv.py``) of the CLI and the console.

A file that cannot be read is refused whole naming the line; a row's bad values are that
row's fault, with its line, for each client to treat as it does (the CLI refuses the file,
the console's job fails the row alone).
"""

import pytest

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.jobs import RowFailure
from orderyard.domain.on_hand_csv import CountedRow, read, row_fault
from orderyard.domain.values import COUNT_MAX

ACCEPTED = "location (or location_code), sku and on_hand (or quantity)"


def refusal(data: bytes, *, max_rows: int | None = None) -> str:
    with pytest.raises(InvalidRequestError) as refused:
        read(data, max_rows=max_rows)
    assert refused.value.field == "file"
    return refused.value.message


def faults(data: bytes) -> list[RowFailure | None]:
    return [row_fault(row) for row in read(data)]


def test_the_clis_documented_header_is_read_in_its_order() -> None:
    data = b"location,sku,on_hand\nDC-1,PROD-1,120\nDC-2,PROD-2,0\n"

    assert read(data) == [CountedRow(2, "DC-1", "PROD-1", 120), CountedRow(3, "DC-2", "PROD-2", 0)]


def test_the_consoles_documented_header_names_the_same_columns() -> None:
    data = b"sku,location,quantity\nPROD-1,DC-1,120\n"

    assert read(data) == [CountedRow(2, "DC-1", "PROD-1", 120)]


@pytest.mark.parametrize(
    "header",
    ["location_code,sku,quantity", "On_Hand , SKU , Location_Code", " quantity,location,sku "],
)
def test_any_accepted_name_in_any_order_and_case_is_read(header: str) -> None:
    names = [name.strip().lower() for name in header.split(",")]
    values = {"location_code": "DC-1", "location": "DC-1", "sku": "PROD-1"}
    row = ",".join(values.get(name, "7") for name in names)

    assert read(f"{header}\n{row}\n".encode()) == [CountedRow(2, "DC-1", "PROD-1", 7)]


def test_a_byte_order_mark_crlf_lines_and_spaces_around_values_are_allowed() -> None:
    data = "\ufefflocation,sku,on_hand\r\n DC-1 , PROD-1 , 5 \r\n".encode()

    assert read(data) == [CountedRow(2, "DC-1", "PROD-1", 5)]


def test_blank_lines_are_skipped_and_rows_keep_the_line_they_are_on() -> None:
    data = b"\nlocation,sku,on_hand\n\nDC-1,A,1\n , , \nDC-1,B,2\n"

    assert [(row.line, row.sku) for row in read(data)] == [(4, "A"), (6, "B")]


def test_a_quoted_value_may_hold_a_comma_and_a_line_break() -> None:
    data = b'location,sku,on_hand\nDC-1,"PROD,1",2\nDC-1,"TWO\nLINES",3\nDC-1,C,4\n'

    assert [(row.line, row.sku) for row in read(data)] == [
        (2, "PROD,1"),
        (3, "TWO\nLINES"),
        (5, "C"),
    ]


def test_a_header_alone_is_a_file_of_no_rows() -> None:
    assert read(b"location,sku,on_hand\n\n") == []


def test_good_rows_have_no_fault() -> None:
    data = f"location,sku,on_hand\nDC-1,A,0\nDC-1,B,{COUNT_MAX}\n".encode()

    assert faults(data) == [None, None]


@pytest.mark.parametrize(
    ("row", "field", "shown"),
    [
        ("DC-1,A,-3", "quantity", "'-3'"),
        ("DC-1,A,five", "quantity", "'five'"),
        ("DC-1,A,1.5", "quantity", "'1.5'"),
        ("DC-1,A,", "quantity", "empty"),
        (f"DC-1,A,{COUNT_MAX + 1}", "quantity", str(COUNT_MAX + 1)),
        ("DC-1,A", "quantity", "empty"),
    ],
)
def test_a_quantity_that_is_not_a_whole_number_from_0_is_its_rows_fault(
    row: str, field: str, shown: str
) -> None:
    data = f"location,sku,on_hand\nDC-1,GOOD,1\n{row}\n".encode()

    assert faults(data) == [
        None,
        RowFailure(
            3, field, f"the quantity must be a whole number from 0 to {COUNT_MAX}, not {shown}"
        ),
    ]


def test_an_empty_sku_or_location_is_its_rows_fault_naming_the_column() -> None:
    data = b"location,sku,on_hand\nDC-1,,1\n,A,1\n"

    assert faults(data) == [
        RowFailure(2, "sku", "the SKU must be 1 to 100 characters"),
        RowFailure(3, "location", "the location must be 1 to 64 characters"),
    ]


def test_a_bad_value_stays_its_text_for_the_job_to_refuse() -> None:
    data = b"sku,location,quantity\nA,DC-1,ten\nB,DC-1,-3\n"

    assert [row.quantity for row in read(data)] == ["ten", "-3"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", f"the file is empty: it needs a header line naming {ACCEPTED}"),
        (b" \n\n", f"the file is empty: it needs a header line naming {ACCEPTED}"),
        (
            b"location,sku,price\nDC-1,A,1\n",
            f"column 3 of the header (line 1) is 'price'; the columns are {ACCEPTED}",
        ),
        (
            b"DC-1,A,5\nDC-1,B,6\n",
            f"column 1 of the header (line 1) is 'DC-1'; the columns are {ACCEPTED}",
        ),
        (
            b"\nlocation,sku\nDC-1,A\n",
            f"the header (line 2) has no column 'quantity'; the columns are {ACCEPTED}",
        ),
        (
            b"location,location_code,sku,on_hand\nA,B,C,1\n",
            "the header (line 1) names the column 'location' twice",
        ),
        (
            b"location;sku;on_hand\nDC-1;A;1\n",
            "the header (line 1) has one column: separate the columns with commas, not ';'",
        ),
        (
            b"location,sku,on_hand\nDC-1,A,1\nDC-1,B,2,3\n",
            "line 3 has 4 cells, the header 3: quote a value that holds a comma",
        ),
        (
            b"location,sku,on_hand\nDC-1,A,1\nDC-1,CAF\xc9,1\n",
            "line 3: not UTF-8 text (byte 0xc9): save the file as UTF-8"
            " (Excel: \u201cCSV UTF-8\u201d)",
        ),
        (
            b"location,sku,on_hand\nDC-1,A,1\n\nDC-1,B\x00,1\n",
            "line 4 holds a character that cannot be stored (NUL)",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_the_line(data: bytes, message: str) -> None:
    assert refusal(data) == message


def test_more_rows_than_asked_for_are_refused_and_blank_lines_do_not_count() -> None:
    data = b"location,sku,on_hand\n" + b"D,P,1\n\n" * 3

    assert len(read(data, max_rows=3)) == 3
    assert refusal(data + b"D,P,1\n", max_rows=3) == "the file has more than 3 rows: split it"


def test_a_cell_past_the_csv_modules_limit_is_refused_naming_its_line() -> None:
    data = b'location,sku,on_hand\nDC-1,A,1\nDC-1,"' + b"x" * 200_000 + b'",1\n'

    assert refusal(data).startswith("line 3: not a CSV row (field larger than field limit")
