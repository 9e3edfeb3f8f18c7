import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.order import (
    HoldState,
    OrderLine,
    OrderStatus,
    cancel_open_quantities,
    check_return_quantity,
    derive_status,
)


def line(quantity: int, **counts: int) -> OrderLine:
    return OrderLine(1, 1, "SKU", quantity, **counts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("_case", "lines", "hold", "expected"),
    [
        ("nothing allocated", [line(2)], HoldState.none, OrderStatus.backordered),
        ("held, nothing allocated", [line(2)], HoldState.hold, OrderStatus.pending),
        ("some allocated", [line(2, allocated=1)], HoldState.none, OrderStatus.partially_allocated),
        (
            "all allocated",
            [line(2, allocated=2), line(1, allocated=1)],
            HoldState.none,
            OrderStatus.allocated,
        ),
        (
            "some shipped",
            [line(2, shipped=1, allocated=1)],
            HoldState.none,
            OrderStatus.partially_shipped,
        ),
        ("all shipped", [line(2, shipped=2)], HoldState.none, OrderStatus.shipped),
        (
            "rest cancelled after shipping",
            [line(3, shipped=1, cancelled=2)],
            HoldState.none,
            OrderStatus.shipped,
        ),
        ("all cancelled", [line(2, cancelled=2)], HoldState.none, OrderStatus.cancelled),
    ],
)
def test_status_is_derived_from_line_quantities(
    _case: str, lines: list[OrderLine], hold: HoldState, expected: OrderStatus
) -> None:
    assert derive_status(lines, hold=hold) is expected


def test_a_line_refuses_a_non_positive_quantity() -> None:
    with pytest.raises(InvalidRequestError):
        line(0)


def test_cancelling_cancels_only_unshipped_units_and_drops_allocation() -> None:
    lines = [line(5, shipped=2, allocated=3)]

    cancelled = cancel_open_quantities(lines)

    assert cancelled == {1: 3}
    assert (lines[0].cancelled, lines[0].allocated) == (3, 0)


def test_cancelling_a_fully_shipped_order_is_refused() -> None:
    with pytest.raises(InvalidStateTransitionError):
        cancel_open_quantities([line(2, shipped=2)])


def test_a_return_cannot_exceed_shipped_minus_returned() -> None:
    shipped = line(5, shipped=3, returned=1)

    check_return_quantity(shipped, 2)
    with pytest.raises(InvalidRequestError, match="2 returnable"):
        check_return_quantity(shipped, 3)


@given(
    quantity=st.integers(1, 50),
    shipped=st.integers(0, 50),
    allocated=st.integers(0, 50),
    cancelled=st.integers(0, 50),
)
def test_unallocated_is_what_remains_open(
    quantity: int, shipped: int, allocated: int, cancelled: int
) -> None:
    if shipped + allocated + cancelled > quantity:
        return
    subject = line(quantity, shipped=shipped, allocated=allocated, cancelled=cancelled)

    assert subject.unallocated == quantity - shipped - allocated - cancelled
    assert derive_status([subject], hold=HoldState.none) in OrderStatus
