import pytest

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.order import Order, OrderHeader, OrderLine, OrderStatus
from orderyard.domain.returns import (
    Return,
    ReturnCount,
    ReturnItem,
    ReturnLine,
    ReturnOutcome,
    ReturnStatus,
    outcome_of,
    record_counts,
    release_reservation,
    reserve_lines,
)


def _order() -> Order:
    return Order(
        id=1,
        header=OrderHeader(order_number="ORD-1"),
        status=OrderStatus.partially_shipped,
        lines=[
            OrderLine(1, item_id=10, sku="A", quantity=3, shipped=2, id=101),
            OrderLine(2, item_id=20, sku="B", quantity=1, shipped=0, allocated=1, id=102),
            OrderLine(3, item_id=10, sku="A", quantity=2, shipped=2, returned=1, id=103),
            OrderLine(4, item_id=30, sku="C", quantity=2, shipped=2, kit_sku="KIT", id=104),
            OrderLine(5, item_id=40, sku="D", quantity=1, shipped=1, requested_sku="ALIAS", id=105),
        ],
    )


def test_reserves_the_returned_units_on_the_order_lines() -> None:
    order = _order()

    lines = reserve_lines(order, [ReturnItem("A", 3, "Defective")])

    assert [(ln.order_line_id, ln.quantity, ln.reason) for ln in lines] == [
        (101, 2, "Defective"),
        (103, 1, "Defective"),
    ]
    assert [ln.returned for ln in order.lines] == [2, 0, 2, 0, 0]


def test_a_channel_alias_finds_its_line() -> None:
    lines = reserve_lines(_order(), [ReturnItem("ALIAS", 1)])

    assert [(ln.sku, ln.item_id) for ln in lines] == [("D", 40)]


@pytest.mark.parametrize(
    ("_case", "item", "field", "message"),
    [
        ("not on the order", ReturnItem("Z", 1), "lines[0].sku", "SKU 'Z' is not on order ORD-1"),
        (
            "a kit",
            ReturnItem("KIT", 1),
            "lines[0].sku",
            "'KIT' was sold as a kit on this order; return the SKUs of its components",
        ),
        (
            "never shipped",
            ReturnItem("B", 1),
            "lines[0].quantity",
            "cannot return 1 of B: 0 returnable (0 shipped, 0 already returned or announced)",
        ),
        (
            "more than shipped minus returned",
            ReturnItem("A", 4),
            "lines[0].quantity",
            "cannot return 4 of A: 3 returnable (4 shipped, 1 already returned or announced)",
        ),
        ("zero", ReturnItem("A", 0), "lines[0].quantity", "quantity must be a positive integer"),
    ],
)
def test_refuses_what_the_order_did_not_ship(
    _case: str, item: ReturnItem, field: str, message: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        reserve_lines(_order(), [item])

    assert (caught.value.field, caught.value.message) == (field, message)


def test_two_items_of_one_sku_share_what_is_returnable() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        reserve_lines(_order(), [ReturnItem("A", 2), ReturnItem("A", 2)])

    assert caught.value.field == "lines[1].quantity"


def _return() -> Return:
    return Return(
        id=9,
        order_id=1,
        status=ReturnStatus.requested,
        lines=[ReturnLine(101, 10, "A", 2, id=1), ReturnLine(103, 10, "A", 1, id=2)],
    )


def test_counts_fill_lines_good_first_then_damaged() -> None:
    ret = _return()

    outcome = record_counts(ret, [ReturnCount("A", good=2, damaged=1)])

    assert [(ln.good, ln.damaged) for ln in ret.lines] == [(2, 0), (0, 1)]
    assert outcome is ReturnOutcome.discrepancy


@pytest.mark.parametrize(
    ("_case", "counts", "outcome"),
    [
        ("all good", [ReturnCount("A", 3)], ReturnOutcome.as_expected),
        ("some damaged", [ReturnCount("A", 1, 2)], ReturnOutcome.discrepancy),
        ("short", [ReturnCount("A", 2)], ReturnOutcome.incomplete),
        ("short and damaged", [ReturnCount("A", 1, 1)], ReturnOutcome.incomplete),
        ("nothing counted", [], ReturnOutcome.incomplete),
    ],
)
def test_the_outcome_compares_the_count_with_the_announcement(
    _case: str, counts: list[ReturnCount], outcome: ReturnOutcome
) -> None:
    ret = _return()

    assert record_counts(ret, counts) is outcome
    assert outcome_of(ret.lines) is outcome


@pytest.mark.parametrize(
    ("_case", "counts", "field"),
    [
        ("unknown sku", [ReturnCount("B", 1)], "counts[0].sku"),
        ("twice", [ReturnCount("A", 1), ReturnCount("A", 1)], "counts[1].sku"),
        ("too many", [ReturnCount("A", 3, 1)], "counts[0]"),
        ("negative", [ReturnCount("A", -1)], "counts[0]"),
    ],
)
def test_refuses_counts_that_do_not_fit_the_return(
    _case: str, counts: list[ReturnCount], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        record_counts(_return(), counts)

    assert caught.value.field == field


def test_cancelling_gives_back_every_reserved_unit() -> None:
    order = _order()
    ret = Return(9, 1, ReturnStatus.requested, reserve_lines(order, [ReturnItem("A", 3)]))

    release_reservation(order, ret, keep_counted=False)

    assert [ln.returned for ln in order.lines] == [0, 0, 1, 0, 0]


def test_committing_keeps_only_what_arrived() -> None:
    order = _order()
    ret = Return(9, 1, ReturnStatus.requested, reserve_lines(order, [ReturnItem("A", 3)]))
    record_counts(ret, [ReturnCount("A", good=1, damaged=1)])

    release_reservation(order, ret, keep_counted=True)

    assert [ln.returned for ln in order.lines] == [2, 0, 1, 0, 0]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (ReturnStatus.requested, ReturnStatus.committed),
        (ReturnStatus.received, ReturnStatus.cancelled),
        (ReturnStatus.committed, ReturnStatus.cancelled),
        (ReturnStatus.cancelled, ReturnStatus.received),
    ],
)
def test_refuses_moves_out_of_order(current: ReturnStatus, target: ReturnStatus) -> None:
    ret = Return(9, 1, current)

    with pytest.raises(InvalidStateTransitionError):
        ret.move_to(target)

    assert ret.status is current
