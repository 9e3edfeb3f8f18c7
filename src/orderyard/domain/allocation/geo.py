"""Great-circle distances between points on the Earth, for the nearest strategy.

The great-circle distance on a sphere of the Earth's mean radius: within about 0.5 % of the
distance on the ellipsoid (WGS 84), far closer than the 11 m of coordinates kept to four
decimal places matter when ranking warehouses hundreds of kilometres apart. The central angle
comes from ``atan2`` of its sine and cosine (Vincenty's form for the sphere), which keeps its
precision at every distance: the haversine's ``asin`` of a value near 1 lost millimetres
between nearly antipodal points, enough for a detour through a third point to come out
shorter than the direct way (found by ``test_no_detour_is_shorter_than_the_direct_way``).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0088
"""The Earth's mean radius in kilometres (IUGG's R1 = (2a + b) / 3 of the WGS 84 ellipsoid)."""


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A point on the Earth in decimal degrees: latitude -90..90, longitude -180..180.

    Floats: a distance is computed with trigonometry and only ranks locations. The edges
    check the ranges before anything is stored.
    """

    latitude: float
    longitude: float

    @classmethod
    def of(cls, latitude: Decimal | float | None, longitude: Decimal | float | None) -> "Point":
        """The point of an address or a location; None unless both coordinates are known."""
        if latitude is None or longitude is None:
            return None
        return cls(float(latitude), float(longitude))


Point = Coordinates | None
"""Coordinates, or None where an address or a location has none."""


def great_circle_km(a: Coordinates, b: Coordinates) -> float:
    """The great-circle distance between ``a`` and ``b`` in kilometres."""
    lat_a, lat_b = math.radians(a.latitude), math.radians(b.latitude)
    dlon = math.radians(b.longitude - a.longitude)
    sin_a, cos_a = math.sin(lat_a), math.cos(lat_a)
    sin_b, cos_b = math.sin(lat_b), math.cos(lat_b)
    across = cos_b * math.sin(dlon)
    along = cos_a * sin_b - sin_a * cos_b * math.cos(dlon)
    cosine = sin_a * sin_b + cos_a * cos_b * math.cos(dlon)
    return EARTH_RADIUS_KM * math.atan2(math.hypot(across, along), cosine)


def great_circle_metres(a: Coordinates, b: Coordinates) -> int:
    """The same distance rounded to whole metres: how the nearest strategy compares them.

    Coordinates are stored to four decimal places (about 11 m), so anything finer is noise;
    whole metres make two locations the same distance away tie exactly (then priority
    decides) instead of being told apart by the last bits of a float.
    """
    return round(great_circle_km(a, b) * 1000)
