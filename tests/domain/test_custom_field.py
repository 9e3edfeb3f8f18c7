"""Custom field metadata: definitions, and which values a definition admits."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import (
    INTEGER_MAX,
    CustomField,
    DataType,
    FieldValue,
    NewCustomField,
    canonical_value,
    check_definition,
    check_values,
)
from orderyard.domain.errors import InvalidRequestError

WHEN = datetime(2026, 12, 5, tzinfo=UTC)
ALLOWED = ("A", "B", "Dock 4")


def defined(data_type: DataType, *, required: bool = False, name: str = "F") -> CustomField:
    allowed = ALLOWED if data_type is DataType.list else ()
    return CustomField(1, OwnerType.location, name, name, data_type, required, allowed, WHEN)


def refused(definition: CustomField, value: str | None) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as raised:
        canonical_value(definition, value, field="custom_fields[0].value")
    assert raised.value.field == "custom_fields[0].value"
    return raised.value


@given(st.integers(min_value=-INTEGER_MAX, max_value=INTEGER_MAX))
def test_any_integer_validates_as_an_integer(number: int) -> None:
    assert canonical_value(defined(DataType.integer), str(number), field="v") == str(number)


@given(st.decimals(min_value=-(10**21) + 1, max_value=10**21 - 1, places=6))
def test_any_decimal_validates_as_a_decimal(number: Decimal) -> None:
    kept = canonical_value(defined(DataType.decimal), f"{number:f}", field="v")

    assert kept is not None
    assert Decimal(kept) == number


@given(st.booleans())
def test_either_boolean_validates_in_any_case(value: bool) -> None:
    word = str(value)
    assert canonical_value(defined(DataType.boolean), word.upper(), field="v") == word.lower()


@given(st.dates())
def test_any_date_validates_as_a_date(day: date) -> None:
    assert canonical_value(defined(DataType.date), day.isoformat(), field="v") == day.isoformat()


@given(st.sampled_from(ALLOWED))
def test_any_allowed_value_validates_for_a_list(value: str) -> None:
    assert canonical_value(defined(DataType.list), value, field="v") == value


@given(st.text(max_size=200))
def test_any_text_validates_as_text(value: str) -> None:
    assert canonical_value(defined(DataType.text), value, field="v") == value.strip()


@given(st.text(min_size=1).filter(lambda t: not t.strip().lstrip("+-").isdecimal()))
def test_text_that_is_not_an_integer_is_refused(value: str) -> None:
    assert "must be an integer, not " in refused(defined(DataType.integer), value).message


@given(st.text(min_size=1).filter(lambda t: t.strip().lower() not in ("true", "false")))
def test_text_that_is_not_a_boolean_is_refused(value: str) -> None:
    refused(defined(DataType.boolean), value)


@given(st.text(min_size=1).filter(lambda t: t.strip() not in ALLOWED))
def test_a_value_not_allowed_by_a_list_is_refused(value: str) -> None:
    error = refused(defined(DataType.list), value)
    assert error.message.startswith("custom field 'F' does not allow ")


@given(st.text(min_size=1))
def test_a_date_that_is_not_yyyy_mm_dd_is_refused_unless_it_is_a_date(value: str) -> None:
    try:
        kept = canonical_value(defined(DataType.date), value, field="v")
    except InvalidRequestError:
        return
    assert kept == date.fromisoformat(value.strip()).isoformat()


@pytest.mark.parametrize(
    ("data_type", "value", "kept"),
    [
        (DataType.integer, " +007 ", "7"),
        (DataType.integer, "-0", "0"),
        (DataType.decimal, "1.50", "1.50"),
        (DataType.decimal, ".5", "0.5"),
        (DataType.boolean, "False", "false"),
        (DataType.date, "2026-02-28", "2026-02-28"),
    ],
)
def test_values_are_kept_in_one_spelling(data_type: DataType, value: str, kept: str) -> None:
    assert canonical_value(defined(data_type), value, field="v") == kept


@pytest.mark.parametrize(
    ("data_type", "value"),
    [
        (DataType.integer, str(INTEGER_MAX + 1)),
        (DataType.integer, "1.0"),
        (DataType.integer, "\u0661"),
        (DataType.decimal, "1e5"),
        (DataType.decimal, "NaN"),
        (DataType.decimal, "1" * 29),
        (DataType.date, "2026-02-30"),
        (DataType.date, "20260228"),
        (DataType.boolean, "1"),
        (DataType.list, "a"),
    ],
)
def test_values_of_the_wrong_type_are_refused(data_type: DataType, value: str) -> None:
    refused(defined(data_type), value)


def test_a_value_longer_than_an_attribute_can_hold_is_refused() -> None:
    assert "at most 4000 characters" in refused(defined(DataType.text), "x" * 4001).message


def test_null_clears_an_optional_field_and_is_refused_for_a_required_one() -> None:
    assert canonical_value(defined(DataType.integer), None, field="v") is None
    assert canonical_value(defined(DataType.integer), "", field="v") is None
    assert canonical_value(defined(DataType.text), "", field="v") == ""
    assert refused(defined(DataType.text, required=True), None).message == (
        "custom field 'F' is required"
    )
    refused(defined(DataType.list, required=True), "")


def test_check_values_names_an_undefined_field_a_repeated_one_and_a_bad_value() -> None:
    fields = {"Zone": defined(DataType.list, name="Zone")}

    assert check_values(fields, [FieldValue("Zone", "A")]) == [FieldValue("Zone", "A")]
    for values, field, message in [
        ([FieldValue("Nope", "1")], "custom_fields[0].name", "custom field 'Nope' is not defined"),
        (
            [FieldValue("Zone", "A"), FieldValue("Zone", "B")],
            "custom_fields[1].name",
            "custom field 'Zone' is given twice",
        ),
        (
            [FieldValue("Zone", "C")],
            "custom_fields[0].value",
            "custom field 'Zone' does not allow 'C'",
        ),
    ]:
        with pytest.raises(InvalidRequestError) as raised:
            check_values(fields, values)
        assert (raised.value.field, raised.value.message) == (field, message)


def test_a_definition_is_trimmed_and_its_display_name_defaults_to_the_system_name() -> None:
    new = NewCustomField(OwnerType.item, " Color ", "", DataType.list, False, (" Red ", "Blue"))

    assert check_definition(new) == NewCustomField(
        OwnerType.item, "Color", "Color", DataType.list, False, ("Red", "Blue")
    )


@pytest.mark.parametrize(
    ("data_type", "allowed", "field", "message"),
    [
        (DataType.list, (), "allowed_values", "a list field needs allowed_values"),
        (DataType.text, ("A",), "allowed_values", "only a list field has allowed_values"),
        (
            DataType.list,
            ("A", " "),
            "allowed_values[1]",
            "allowed_values[1] must be 1 to 200 characters",
        ),
        (DataType.list, ("A", "A"), "allowed_values[1]", "allowed_values[1] 'A' is given twice"),
    ],
)
def test_allowed_values_must_fit_the_type(
    data_type: DataType, allowed: tuple[str, ...], field: str, message: str
) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        check_definition(NewCustomField(OwnerType.item, "F", "", data_type, False, allowed))

    assert (raised.value.field, raised.value.message) == (field, message)


def test_a_blank_system_name_is_refused() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        check_definition(NewCustomField(OwnerType.item, "  ", "", DataType.text))

    assert raised.value.field == "system_name"
