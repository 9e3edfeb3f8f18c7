from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.catalog import LocationKind
from orderyard.domain.location import Holdings, Location, LocationPatch
from orderyard.domain.values import Address, AddressPatch

LOCATION = Location(
    id=1,
    code="WH1",
    name="Main",
    kind=LocationKind.warehouse,
    priority=5,
    ships_orders=True,
    active=True,
    address=Address(city="Toronto", line1="123 Bloor St"),
    created_at=datetime(2026, 12, 4, tzinfo=UTC),
)


@given(
    name=st.none() | st.text(max_size=5),
    kind=st.none() | st.sampled_from(LocationKind),
    priority=st.none() | st.integers(0, 100),
    active=st.none() | st.booleans(),
    allows_pickup=st.none() | st.booleans(),
    city=st.none() | st.text(max_size=5),
)
def test_a_patch_changes_exactly_its_given_fields(
    name: str | None,
    kind: LocationKind | None,
    priority: int | None,
    active: bool | None,
    allows_pickup: bool | None,
    city: str | None,
) -> None:
    patch = LocationPatch(
        name=name,
        kind=kind,
        priority=priority,
        active=active,
        allows_pickup=allows_pickup,
        address=AddressPatch(city=city),
    )

    changed = patch.apply(LOCATION)

    assert changed.name == (LOCATION.name if name is None else name)
    assert changed.kind == (LOCATION.kind if kind is None else kind)
    assert changed.priority == (LOCATION.priority if priority is None else priority)
    assert changed.active == (LOCATION.active if active is None else active)
    assert changed.allows_pickup == (
        LOCATION.allows_pickup if allows_pickup is None else allows_pickup
    )
    assert changed.address.city == (LOCATION.address.city if city is None else city)
    assert (changed.id, changed.code, changed.ships_orders) == (1, "WH1", True)
    assert changed.address.line1 == "123 Bloor St"


@pytest.mark.parametrize(
    ("holdings", "words"),
    [
        (Holdings(7, 0, 0, 0), "7 on hand"),
        (Holdings(7, 2, 0, 1), "7 on hand, 2 allocated to 1 open order"),
        (Holdings(9, 4, 3, 2), "9 on hand, 3 reserved, 4 allocated to 2 open orders"),
    ],
)
def test_what_a_location_holds_is_said_in_words(holdings: Holdings, words: str) -> None:
    assert not holdings.empty
    assert holdings.describe() == words


def test_a_location_holding_nothing_is_empty() -> None:
    assert Holdings(0, 0, 0, 0).empty
