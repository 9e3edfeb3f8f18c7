import pytest

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.order import Allocation, Order, OrderHeader, OrderLine, OrderStatus
from orderyard.domain.shipment import (
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    apply_shipping,
    check_transition,
    plan_lines,
)

S = ShipmentStatus


def _order() -> Order:
    return Order(
        id=1,
        header=OrderHeader(order_number="ORD-1"),
        status=OrderStatus.allocated,
        lines=[
            OrderLine(1, item_id=10, sku="A", quantity=3, allocated=3, id=101),
            OrderLine(2, item_id=20, sku="B", quantity=2, allocated=2, id=102),
        ],
    )


@pytest.mark.parametrize(
    ("_case", "current", "target"),
    [
        ("release", S.created, S.released),
        ("skip the warehouse steps", S.created, S.shipped),
        ("pack after pick", S.picked, S.packed),
        ("deliver", S.shipped, S.delivered),
        ("cancel while open", S.packed, S.cancelled),
        ("reject while open", S.released, S.rejected),
    ],
)
def test_allows_forward_moves_and_cancelling_while_open(
    _case: str, current: ShipmentStatus, target: ShipmentStatus
) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(
    ("_case", "current", "target"),
    [
        ("backwards", S.packed, S.released),
        ("ship twice", S.shipped, S.shipped),
        ("cancel after shipping", S.shipped, S.cancelled),
        ("anything after cancelling", S.cancelled, S.shipped),
        ("back from delivered", S.delivered, S.shipped),
        ("deliver before shipping", S.packed, S.delivered),
        ("reject after shipping", S.shipped, S.rejected),
        ("anything after rejecting", S.rejected, S.picked),
        ("cancel a rejected one", S.rejected, S.cancelled),
    ],
)
def test_refuses_backward_moves_and_changes_after_the_end(
    _case: str, current: ShipmentStatus, target: ShipmentStatus
) -> None:
    with pytest.raises(InvalidStateTransitionError) as caught:
        check_transition(current, target)

    assert caught.value.message == (
        f"cannot move a shipment from {current.value!r} to {target.value!r}"
    )
    assert caught.value.field == "status"


def test_plans_every_free_unit_when_no_lines_are_given() -> None:
    lines = plan_lines(_order(), {101: 2, 102: 0})

    assert [(ln.line_no, ln.sku, ln.quantity) for ln in lines] == [(1, "A", 2)]


def test_plans_only_the_wanted_lines() -> None:
    lines = plan_lines(_order(), {101: 3, 102: 2}, [(2, 1)])

    assert [(ln.line_no, ln.order_line_id, ln.item_id, ln.quantity) for ln in lines] == [
        (2, 102, 20, 1)
    ]


@pytest.mark.parametrize(
    ("_case", "wanted", "field"),
    [
        ("unknown line", [(9, 1)], "lines[0].line_no"),
        ("repeated line", [(1, 1), (1, 1)], "lines[1].line_no"),
        ("more than free", [(1, 3)], "lines[0].quantity"),
        ("zero", [(2, 0)], "lines[0].quantity"),
    ],
)
def test_refuses_lines_beyond_what_is_free_to_ship(
    _case: str, wanted: list[tuple[int, int]], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        plan_lines(_order(), {101: 2, 102: 2}, wanted)

    assert caught.value.field == field


def test_refuses_a_shipment_with_nothing_to_ship() -> None:
    with pytest.raises(InvalidStateTransitionError) as caught:
        plan_lines(_order(), {})

    assert caught.value.field == "location"


def test_shipping_moves_units_from_allocated_to_shipped() -> None:
    order = _order()
    shipment = Shipment(5, 1, 7, S.created, [ShipmentLine(101, 1, 10, "A", 2)])
    allocation = Allocation(id=50, order_line_id=101, location_id=7, item_id=10, quantity=3)

    used = apply_shipping(order, shipment, [allocation])

    assert used == [(allocation, 2)]
    line = order.lines[0]
    assert (line.allocated, line.shipped) == (1, 2)


def test_shipping_refuses_more_than_is_allocated_at_the_location() -> None:
    order = _order()
    shipment = Shipment(5, 1, 7, S.created, [ShipmentLine(101, 1, 10, "A", 2)])
    elsewhere = Allocation(id=50, order_line_id=101, location_id=8, item_id=10, quantity=3)

    with pytest.raises(InvalidStateTransitionError) as caught:
        apply_shipping(order, shipment, [elsewhere])

    assert caught.value.message == "cannot ship 2 of A (line 1): only 0 allocated at the location"
    assert (order.lines[0].allocated, order.lines[0].shipped) == (3, 0)
