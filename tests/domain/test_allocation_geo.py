"""Great-circle distances: known city pairs, the sphere's limits and the haversine's symmetry."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.allocation.geo import (
    EARTH_RADIUS_KM,
    Coordinates,
    great_circle_km,
    great_circle_metres,
)

LONDON = Coordinates(51.5074, -0.1278)
PARIS = Coordinates(48.8566, 2.3522)
NEW_YORK = Coordinates(40.7128, -74.0060)
LOS_ANGELES = Coordinates(34.0522, -118.2437)
TORONTO = Coordinates(43.6532, -79.3832)
MONTREAL = Coordinates(45.5017, -73.5673)
SYDNEY = Coordinates(-33.8688, 151.2093)
MELBOURNE = Coordinates(-37.8136, 144.9631)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        (LONDON, PARIS, 343.6),
        (NEW_YORK, LOS_ANGELES, 3935.8),
        (TORONTO, MONTREAL, 504.3),
        (SYDNEY, MELBOURNE, 713.4),
    ],
    ids=["London-Paris", "New York-Los Angeles", "Toronto-Montreal", "Sydney-Melbourne"],
)
def test_known_city_pairs_are_their_great_circle_distances(
    a: Coordinates, b: Coordinates, km: float
) -> None:
    """The figures distance calculators give for the cities' centres, to 0.1 km."""
    assert great_circle_km(a, b) == pytest.approx(km, abs=0.06)
    assert great_circle_km(b, a) == pytest.approx(km, abs=0.06)


def test_a_point_is_no_distance_from_itself() -> None:
    assert great_circle_km(TORONTO, TORONTO) == 0
    assert great_circle_metres(TORONTO, TORONTO) == 0


def test_antipodes_are_half_the_circumference_apart() -> None:
    assert great_circle_km(Coordinates(0, 0), Coordinates(0, 180)) == pytest.approx(
        math.pi * EARTH_RADIUS_KM
    )
    assert great_circle_km(Coordinates(90, 0), Coordinates(-90, 0)) == pytest.approx(
        math.pi * EARTH_RADIUS_KM
    )


def test_the_earth_radius_is_the_mean_radius() -> None:
    assert EARTH_RADIUS_KM == 6371.0088


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert great_circle_km(Coordinates(0, 10), Coordinates(1, 10)) == pytest.approx(111.195, 1e-4)


def test_metres_are_the_distance_rounded_to_whole_metres() -> None:
    assert great_circle_metres(LONDON, PARIS) == round(great_circle_km(LONDON, PARIS) * 1000)
    assert great_circle_metres(Coordinates(0, 0), Coordinates(0, 0.0001)) == 11


def test_coordinates_of_an_address_need_both_values() -> None:
    assert Coordinates.of(Decimal("43.6532"), Decimal("-79.3832")) == TORONTO
    assert Coordinates.of(Decimal("43.6532"), None) is None
    assert Coordinates.of(None, Decimal("-79.3832")) is None
    assert Coordinates.of(None, None) is None


points = st.builds(
    Coordinates,
    st.floats(-90, 90, allow_nan=False),
    st.floats(-180, 180, allow_nan=False),
)


@given(a=points, b=points)
def test_distance_is_symmetric_and_within_half_the_circumference(
    a: Coordinates, b: Coordinates
) -> None:
    there = great_circle_km(a, b)

    assert there == pytest.approx(great_circle_km(b, a), abs=1e-6)
    assert 0 <= there <= math.pi * EARTH_RADIUS_KM + 1e-6


@given(a=points, b=points, c=points)
def test_no_detour_is_shorter_than_the_direct_way(
    a: Coordinates, b: Coordinates, c: Coordinates
) -> None:
    assert great_circle_km(a, c) <= great_circle_km(a, b) + great_circle_km(b, c) + 1e-6
