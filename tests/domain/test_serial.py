import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from orderyard.domain.errors import DuplicateError, InvalidRequestError
from orderyard.domain.serial import (
    SERIAL_MAX,
    check_new_serials,
    check_serial,
    first_repeat,
    serial_range,
    split_serial,
)

PREFIXES = st.text(alphabet="ABCSNX-_/.", max_size=6)
"""Prefixes without digits at their end (a trailing digit would join the number)."""
SERIALS = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "")


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        ("SN001", ("SN", "001")),
        ("SN", ("SN", "")),
        ("12345", ("", "12345")),
        ("LOT5-007", ("LOT5-", "007")),
        ("A1B2", ("A1B", "2")),
        ("SN\u0661\u0662", ("SN\u0661\u0662", "")),  # Arabic-Indic digits
    ],
)
def test_split_serial_takes_the_trailing_run_of_ascii_digits(
    serial: str, expected: tuple[str, str]
) -> None:
    assert split_serial(serial) == expected


class TestNumericRange:
    def test_sn001_to_sn100_covers_the_numbers_between_whatever_their_padding(self) -> None:
        span = serial_range("SN001", "SN100")

        inside = ["SN001", "SN002", "SN010", "SN100", "SN2", "SN0100", "SN00050"]
        outside = ["SN000", "SN101", "SN1000", "XX005", "SN", "sn005", "SN05A", "ASN005", "SN-5"]
        assert span.is_numeric
        assert [s for s in inside if span.contains(s)] == inside
        assert [s for s in outside if span.contains(s)] == []

    def test_an_empty_prefix_covers_all_digit_serials_between(self) -> None:
        span = serial_range("001", "010")

        assert (span.prefix, span.low, span.high) == ("", 1, 10)
        assert [span.contains(s) for s in ("5", "010", "011", "A5")] == [True, True, False, False]

    def test_a_single_serial_range_covers_only_that_number(self) -> None:
        span = serial_range("SN7", "SN007")

        assert [span.contains(s) for s in ("SN7", "SN07", "SN8", "SN6")] == [
            True,
            True,
            False,
            False,
        ]

    def test_start_after_end_is_refused_naming_serial_start(self) -> None:
        with pytest.raises(InvalidRequestError) as raised:
            serial_range("SN100", "SN099")

        assert raised.value.field == "serial_start"
        assert raised.value.message == (
            "serial_start 'SN100' comes after serial_end 'SN099' (100 > 99 after the prefix 'SN')"
        )

    def test_numbers_compare_by_value_not_text(self) -> None:
        span = serial_range("SN9", "SN10")

        assert span.is_numeric
        assert [span.contains(s) for s in ("SN9", "SN10", "SN1", "SN11")] == [
            True,
            True,
            False,
            False,
        ]


class TestTextRange:
    def test_bounds_without_a_number_compare_as_text(self) -> None:
        span = serial_range("AAA", "AAZ")

        assert not span.is_numeric
        assert [span.contains(s) for s in ("AAA", "AAM", "AAZ", "AAZZ", "AB", "aab")] == [
            True,
            True,
            True,
            False,
            False,
            False,
        ]

    def test_bounds_with_different_prefixes_compare_as_text(self) -> None:
        span = serial_range("A100", "B005")

        assert not span.is_numeric
        assert [span.contains(s) for s in ("A2", "A99999", "B0", "B006", "C")] == [
            True,
            True,
            True,
            False,
            False,
        ]

    def test_one_bound_with_a_number_and_one_without_compare_as_text(self) -> None:
        span = serial_range("SN5", "SNZ")

        assert not span.is_numeric
        assert span.contains("SN9")
        assert span.contains("SNA")

    def test_start_after_end_is_refused_naming_serial_start(self) -> None:
        with pytest.raises(InvalidRequestError) as raised:
            serial_range("B", "A")

        assert raised.value.field == "serial_start"
        assert raised.value.message == "serial_start 'B' comes after serial_end 'A'"


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("", "SN1", "serial_start"),
        ("  ", "SN1", "serial_start"),
        ("SN1", "", "serial_end"),
        ("S" * (SERIAL_MAX + 1), "SN1", "serial_start"),
    ],
)
def test_blank_or_too_long_bounds_are_refused_naming_them(start: str, end: str, field: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        serial_range(start, end)

    assert raised.value.field == field


def test_check_serial_accepts_the_longest_storable_serial() -> None:
    check_serial("S" * SERIAL_MAX, field="serials[0]")


@pytest.mark.parametrize(
    ("serial", "message"),
    [
        ("", "serials[3] must not be empty"),
        (" \t", "serials[3] must not be empty"),
        ("S" * 101, "serials[3] must be at most 100 characters (got 101)"),
    ],
)
def test_check_serial_refuses_blank_and_too_long_serials(serial: str, message: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        check_serial(serial, field="serials[3]")

    assert (raised.value.message, raised.value.field) == (message, "serials[3]")


def test_check_new_serials_accepts_distinct_storable_serials() -> None:
    check_new_serials(["SN1", "SN2", "sn1"])


@pytest.mark.parametrize(
    ("serials", "error", "field", "message"),
    [
        ([], InvalidRequestError, "serials", "serials must not be empty"),
        (["SN1", "", "SN1"], InvalidRequestError, "serials[1]", "serials[1] must not be empty"),
        (["SN1", "SN2", "SN1"], DuplicateError, "serials[2]", "serial 'SN1' is given twice"),
    ],
)
def test_check_new_serials_names_the_first_problem(
    serials: list[str], error: type[Exception], field: str, message: str
) -> None:
    with pytest.raises((InvalidRequestError, DuplicateError)) as raised:
        check_new_serials(serials)

    assert type(raised.value) is error
    assert (raised.value.field, raised.value.message) == (field, message)


@pytest.mark.parametrize(
    ("serials", "expected"),
    [([], None), (["A", "B"], None), (["A", "B", "A", "B"], 2), (["a", "A"], None)],
)
def test_first_repeat_finds_the_second_occurrence(serials: list[str], expected: int | None) -> None:
    assert first_repeat(serials) == expected


@given(
    prefix=PREFIXES,
    low=st.integers(0, 10_000),
    high=st.integers(0, 10_000),
    number=st.integers(0, 10_000),
    width=st.integers(1, 6),
)
def test_a_numeric_range_covers_a_serial_exactly_when_its_number_is_between(
    prefix: str, low: int, high: int, number: int, width: int
) -> None:
    assume(low <= high)
    span = serial_range(f"{prefix}{low:03d}", f"{prefix}{high:03d}")

    assert span.contains(f"{prefix}{number:0{width}d}") == (low <= number <= high)


@given(prefix=PREFIXES, other=PREFIXES, number=st.integers(0, 100))
def test_a_numeric_range_never_covers_another_prefix(prefix: str, other: str, number: int) -> None:
    assume(prefix != other)
    span = serial_range(f"{prefix}0", f"{prefix}100")

    assert not span.contains(f"{other}{number}")


@given(start=SERIALS, end=SERIALS, serial=SERIALS)
def test_any_range_covers_its_bounds_and_text_ranges_follow_code_point_order(
    start: str, end: str, serial: str
) -> None:
    start, end = sorted((start, end))
    try:
        span = serial_range(start, end)
    except InvalidRequestError:
        # Sorted as text, the bounds can still be reversed as numbers (SN10 < SN9).
        assert split_serial(start)[0] == split_serial(end)[0]
        return

    assert span.contains(start)
    assert span.contains(end)
    if not span.is_numeric:
        assert span.contains(serial) == (start <= serial <= end)


@given(start=SERIALS, end=SERIALS)
def test_bounds_are_refused_exactly_when_start_comes_after_end(start: str, end: str) -> None:
    start_prefix, start_digits = split_serial(start)
    end_prefix, end_digits = split_serial(end)
    numeric = bool(start_digits and end_digits) and start_prefix == end_prefix
    reversed_ = int(start_digits) > int(end_digits) if numeric else start > end

    if reversed_:
        with pytest.raises(InvalidRequestError) as raised:
            serial_range(start, end)
        assert raised.value.field == "serial_start"
    else:
        assert serial_range(start, end).is_numeric == numeric
