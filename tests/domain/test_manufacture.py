from datetime import UTC, datetime

import pytest

from orderyard.domain.catalog import KitComponent
from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.manufacture import ManufactureOrder, ManufactureStatus, component_needs

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_needs_are_the_recipe_times_the_kits_built() -> None:
    recipe = [KitComponent(1, "A", 2), KitComponent(2, "B", 1)]

    assert component_needs(recipe, 5) == {1: 10, 2: 5}


def test_a_kit_without_components_cannot_be_built() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        component_needs([], 1)

    assert caught.value.field == "sku"


def test_quantity_must_be_positive() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        ManufactureOrder(0, 1, 2, "KIT", 0)

    assert caught.value.field == "quantity"


def test_completing_records_the_time() -> None:
    order = ManufactureOrder(1, 1, 2, "KIT", 3)

    order.complete(NOW)

    assert (order.status, order.completed_at) == (ManufactureStatus.completed, NOW)


@pytest.mark.parametrize("status", [ManufactureStatus.completed, ManufactureStatus.cancelled])
def test_only_a_pending_order_completes_or_cancels(status: ManufactureStatus) -> None:
    order = ManufactureOrder(1, 1, 2, "KIT", 3, status=status)

    with pytest.raises(InvalidStateTransitionError):
        order.complete(NOW)
    with pytest.raises(InvalidStateTransitionError):
        order.cancel()

    assert (order.status, order.completed_at) == (status, None)
