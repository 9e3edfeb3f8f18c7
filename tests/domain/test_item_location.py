"""Several entries naming one item location apply in order (``domain/item_location.py``)."""

from orderyard.domain.custom_field import FieldValue
from orderyard.domain.item_location import merge_entries


def test_a_later_entry_replaces_an_earlier_value_and_a_clear_is_a_value_too() -> None:
    merged = merge_entries(
        [
            ("A", [FieldValue("Aisle", "1"), FieldValue("Bin", "x")]),
            ("B", [FieldValue("Aisle", "9")]),
            ("A", [FieldValue("Aisle", "2"), FieldValue("Bin", None)]),
            ("A", [FieldValue("Bin", "y")]),
        ]
    )

    assert merged == {"A": {"Aisle": "2", "Bin": "y"}, "B": {"Aisle": "9"}}
    assert list(merged) == ["A", "B"]


def test_a_clear_after_a_value_clears() -> None:
    merged = merge_entries([("A", [FieldValue("Bin", "x")]), ("A", [FieldValue("Bin", None)])])

    assert merged == {"A": {"Bin": None}}


def test_an_owner_named_with_no_field_is_kept_without_values() -> None:
    assert merge_entries([((1, 2), [])]) == {(1, 2): {}}
    assert merge_entries([]) == {}
