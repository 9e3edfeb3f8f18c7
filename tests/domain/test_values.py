import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.values import ID_MAX, parse_id


@given(st.integers(min_value=1, max_value=ID_MAX))
def test_every_storable_id_reads_back_as_itself(number: int) -> None:
    assert parse_id(str(number)) == number


@given(st.text())
def test_no_text_makes_parse_id_raise_or_answer_outside_the_column(text: str) -> None:
    number = parse_id(text)

    assert number is None or 1 <= number <= ID_MAX


@pytest.mark.parametrize(
    "text",
    ["", "0", "-1", "+1", " 1", "1.0", "1e3", "²", "٣", str(ID_MAX + 1), "9" * 40],
)
def test_what_cannot_be_a_stored_id_reads_as_none(text: str) -> None:
    assert parse_id(text) is None


def test_leading_zeros_still_name_the_id() -> None:
    assert parse_id("0007") == 7
