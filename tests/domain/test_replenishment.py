import pytest

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.replenishment import (
    Replenishment,
    ReplenishmentItem,
    ReplenishmentLine,
    ReplenishmentStatus,
    apply_items,
    derive_status,
)

IDS = {"A": 10, "B": 20}


def _replenishment(*lines: ReplenishmentLine) -> Replenishment:
    return Replenishment(1, location_id=7, status=ReplenishmentStatus.pending, lines=list(lines))


@pytest.mark.parametrize(
    ("_case", "received", "status"),
    [
        ("nothing yet", (0, 0), ReplenishmentStatus.pending),
        ("one line started", (3, 0), ReplenishmentStatus.receiving),
        ("one line full", (5, 0), ReplenishmentStatus.receiving),
        ("every line full", (5, 2), ReplenishmentStatus.received),
        ("over-delivered", (9, 2), ReplenishmentStatus.received),
    ],
)
def test_status_follows_what_arrived(
    _case: str, received: tuple[int, int], status: ReplenishmentStatus
) -> None:
    lines = [ReplenishmentLine(10, "A", 5, received[0]), ReplenishmentLine(20, "B", 2, received[1])]

    assert derive_status(lines) is status


def test_received_is_cumulative_and_returns_the_increase() -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, received=2, id=1))

    increases = apply_items(replenishment, [ReplenishmentItem("A", received=4)], IDS)

    assert increases == {10: 2}
    assert replenishment.lines[0].received == 4


def test_an_unchanged_received_count_raises_nothing() -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, received=2, id=1))

    assert apply_items(replenishment, [ReplenishmentItem("A", received=2)], IDS) == {}


def test_a_new_sku_adds_a_line() -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, id=1))

    increases = apply_items(replenishment, [ReplenishmentItem("B", 4, received=1)], IDS)

    assert increases == {20: 1}
    assert [(ln.sku, ln.quantity, ln.received, ln.id) for ln in replenishment.lines] == [
        ("A", 5, 0, 1),
        ("B", 4, 1, 0),
    ]


@pytest.mark.parametrize(
    ("_case", "items", "field", "message"),
    [
        ("unknown sku", [ReplenishmentItem("Z", 1)], "lines[0].sku", "unknown SKU 'Z'"),
        (
            "repeated sku",
            [ReplenishmentItem("A", 1), ReplenishmentItem("A", 2)],
            "lines[1].sku",
            "SKU is repeated",
        ),
        (
            "received goes down",
            [ReplenishmentItem("A", received=1)],
            "lines[0].received",
            "received cannot go down: 2 of A already received",
        ),
        (
            "negative received",
            [ReplenishmentItem("A", received=-1)],
            "lines[0].received",
            "received must not be negative",
        ),
        (
            "new sku without quantity",
            [ReplenishmentItem("B", received=1)],
            "lines[0].quantity",
            "quantity is required for SKU 'B', new on this replenishment",
        ),
        (
            "zero quantity",
            [ReplenishmentItem("A", 0)],
            "lines[0].quantity",
            "quantity must be a positive integer",
        ),
    ],
)
def test_refuses_bad_items(
    _case: str, items: list[ReplenishmentItem], field: str, message: str
) -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, received=2, id=1))

    with pytest.raises(InvalidRequestError) as caught:
        apply_items(replenishment, items, IDS)

    assert (caught.value.field, caught.value.message) == (field, message)


def test_the_location_cannot_change_after_receipts() -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, received=1, id=1))

    with pytest.raises(InvalidStateTransitionError) as caught:
        replenishment.move_to(8)

    assert caught.value.field == "location"
    assert replenishment.location_id == 7


def test_cancelling_keeps_the_status_cancelled() -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, received=1, id=1))

    replenishment.cancel()

    assert replenishment.refresh_status() is ReplenishmentStatus.cancelled
    with pytest.raises(InvalidStateTransitionError):
        replenishment.check_open()


def test_a_fully_received_replenishment_cannot_be_cancelled() -> None:
    replenishment = _replenishment(ReplenishmentLine(10, "A", 5, received=5, id=1))
    replenishment.refresh_status()

    with pytest.raises(InvalidStateTransitionError):
        replenishment.cancel()

    assert replenishment.status is ReplenishmentStatus.received
