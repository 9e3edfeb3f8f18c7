from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orderyard.domain.catalog import (
    Item,
    ItemDetails,
    KitComponent,
    UnitOfMeasure,
    kit_components,
    units_of_measure,
)
from orderyard.domain.errors import InvalidRequestError

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def item(item_id: int, sku: str, *, is_kit: bool = False, **details: object) -> Item:
    return Item(item_id, sku, ItemDetails(**details), is_kit, NOW, NOW)


class TestUnitsOfMeasure:
    def test_an_item_without_a_case_comes_in_eaches_only(self) -> None:
        each = item(
            1, "A", width=Decimal(2), length=Decimal(3), height=Decimal(4), weight=Decimal("0.5")
        )

        assert units_of_measure(each) == [
            UnitOfMeasure("EACH", 1, Decimal(2), Decimal(3), Decimal(4), Decimal("0.5"))
        ]

    def test_a_case_weighs_its_eaches_and_has_unknown_dimensions(self) -> None:
        cased = item(
            1,
            "A",
            width=Decimal(2),
            length=Decimal(3),
            height=Decimal(4),
            weight=Decimal("0.5"),
            case_qty=12,
        )

        assert units_of_measure(cased)[1] == UnitOfMeasure(
            "CASE", 12, None, None, None, Decimal("6.0")
        )

    def test_zero_dimensions_and_weight_are_unknown(self) -> None:
        bare = item(1, "KIT", case_qty=6)

        assert units_of_measure(bare) == [
            UnitOfMeasure("EACH", 1, None, None, None, None),
            UnitOfMeasure("CASE", 6, None, None, None, None),
        ]


FOUND = {"A": item(1, "A"), "B": item(2, "B"), "KIT-2": item(3, "KIT-2", is_kit=True)}


class TestKitComponents:
    def test_components_keep_the_requested_order_and_quantities(self) -> None:
        assert kit_components("KIT", [("B", 2), ("A", 1)], FOUND) == [
            KitComponent(2, "B", 2),
            KitComponent(1, "A", 1),
        ]

    @pytest.mark.parametrize(
        ("_case", "wanted", "field", "message"),
        [
            ("no items", [], "components", "a kit needs at least one component"),
            (
                "unknown SKU",
                [("A", 1), ("NOPE", 1)],
                "components[1].sku",
                "SKU 'NOPE' does not exist",
            ),
            (
                "zero quantity",
                [("A", 0)],
                "components[0].quantity",
                "quantity must be a positive integer",
            ),
            ("itself", [("KIT", 1)], "components[0].sku", "kit 'KIT' cannot contain itself"),
            ("listed twice", [("A", 1), ("A", 2)], "components[1].sku", "SKU 'A' is listed twice"),
            (
                "nested kit",
                [("KIT-2", 1)],
                "components[0].sku",
                "SKU 'KIT-2' is a kit; kits cannot contain kits",
            ),
        ],
    )
    def test_refuses_what_a_kit_cannot_be_made_of(
        self, _case: str, wanted: list[tuple[str, int]], field: str, message: str
    ) -> None:
        with pytest.raises(InvalidRequestError) as raised:
            kit_components("KIT", wanted, FOUND)

        assert (raised.value.field, raised.value.message) == (field, message)
