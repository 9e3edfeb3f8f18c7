"""Reading a ``BulkOnhand`` body: rows spelled as documented take a shorter way, same rules."""

import json
from typing import Any

import pytest

from orderyard.dialects.orderdynamics.schemas.bulk import BulkBodyError, on_hand_rows
from orderyard.domain.values import COUNT_MAX


def read(*items: Any) -> list[tuple[str, str, int]]:
    return on_hand_rows(json.dumps({"Items": list(items)}).encode())


def test_rows_spelled_as_documented_read_like_any_other_spelling() -> None:
    documented = read(
        {"Sku": " A-1 ", "LocationInternalName": "WH1 ", "Quantity": 0},
        {"Sku": "B", "LocationInternalName": "W", "Quantity": COUNT_MAX},
    )
    other = read(
        {"sku": " A-1 ", "locationinternalname": "WH1 ", "QUANTITY": 0},
        {"Sku": "B", "LocationInternalName": "W", "Quantity": COUNT_MAX, "Note": "extra"},
    )

    assert documented == other == [("A-1", "WH1", 0), ("B", "W", COUNT_MAX)]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"Sku": "S" * 101, "LocationInternalName": "W", "Quantity": 1}, "Items[0].Sku"),
        ({"Sku": "  ", "LocationInternalName": "W", "Quantity": 1}, "Items[0].Sku"),
        ({"Sku": 7, "LocationInternalName": "W", "Quantity": 1}, "Items[0].Sku"),
        (
            {"Sku": "S", "LocationInternalName": "L" * 65, "Quantity": 1},
            "Items[0].LocationInternalName",
        ),
        ({"Sku": "S", "LocationInternalName": "W", "Quantity": COUNT_MAX + 1}, "Items[0].Quantity"),
        ({"Sku": "S", "LocationInternalName": "W", "Quantity": 1.0}, "Items[0].Quantity"),
        ({"Sku": "S", "LocationInternalName": "W", "Qty": 1}, "Items[0].Quantity"),
    ],
)
def test_rows_spelled_as_documented_keep_every_limit(row: dict[str, Any], field: str) -> None:
    with pytest.raises(BulkBodyError) as refused:
        read(row)

    assert list(refused.value.errors) == [field]
