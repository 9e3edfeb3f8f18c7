import pytest

from orderyard.domain.attribute import (
    NAME_MAX,
    VALUE_MAX,
    Attribute,
    OwnerKey,
    OwnerType,
    check_attribute_list,
    check_name,
    check_value,
    owner_key,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import ID_MAX


@pytest.mark.parametrize(
    ("owner_type", "key", "expected"),
    [
        (OwnerType.order, "12", OwnerKey(12, None)),
        (OwnerType.order, "007", OwnerKey(7, None)),
        (OwnerType.order, "ORD-1", OwnerKey(None, None)),
        (OwnerType.order, "0", OwnerKey(None, None)),
        (OwnerType.order, "-3", OwnerKey(None, None)),
        (OwnerType.order, str(ID_MAX + 1), OwnerKey(None, None)),
        (OwnerType.order, "\u0661\u0662", OwnerKey(None, None)),  # Arabic-Indic digits
        (OwnerType.serial, "5", OwnerKey(5, None)),
        (OwnerType.item, "PROD-001", OwnerKey(None, "PROD-001")),
        (OwnerType.item, "42", OwnerKey(42, "42")),
        (OwnerType.item, str(ID_MAX), OwnerKey(ID_MAX, str(ID_MAX))),
    ],
)
def test_owner_key_reads_ids_and_for_items_skus(
    owner_type: OwnerType, key: str, expected: OwnerKey
) -> None:
    assert owner_key(owner_type, key) == expected


def test_the_longest_name_and_value_are_accepted() -> None:
    check_name("n" * NAME_MAX)
    check_value("v" * VALUE_MAX)
    check_value("")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "attribute must not be empty"),
        ("   ", "attribute must not be empty"),
        ("n" * 101, "attribute must be at most 100 characters (got 101)"),
    ],
)
def test_blank_or_too_long_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        check_name(name)

    assert (raised.value.message, raised.value.field) == (message, "attribute")


def test_a_too_long_value_is_refused_naming_value() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        check_value("v" * 4001)

    assert raised.value.message == "value must be at most 4000 characters (got 4001)"
    assert raised.value.field == "value"


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ([], "attributes"),
        ([Attribute("lot", "L1"), Attribute("", "x")], "attributes[1].attribute"),
        ([Attribute("lot", "v" * 4001)], "attributes[0].value"),
        (
            [Attribute("lot", "L1"), Attribute("exp", "x"), Attribute("lot", "L2")],
            "attributes[2].attribute",
        ),
    ],
)
def test_a_list_of_attributes_names_its_first_bad_entry(
    attributes: list[Attribute], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        check_attribute_list(attributes)

    assert raised.value.field == field


def test_names_differing_in_case_are_distinct_attributes() -> None:
    check_attribute_list([Attribute("Lot", "1"), Attribute("lot", "2")])
