"""The address shape every OrderDynamics body uses (DESIGN.md, "A customer address body")."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import Number, WireIn, WireOut

Text = Annotated[str, Field(max_length=200)]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, allow_inf_nan=False)]
"""Coordinates are kept to four decimal places (about 11 m); more are rounded."""


class AddressIn(WireIn):
    """An address as clients send it; absent fields are empty."""

    address_line1: Text = ""
    address_line2: Text = ""
    city: Annotated[str, Field(max_length=100)] = ""
    state: Annotated[str, Field(max_length=100)] = ""
    zip_code: Annotated[str, Field(max_length=32)] = ""
    country_code: Annotated[str, Field(max_length=64)] = ""
    address_nickname: Text = ""
    first_name: Text = ""
    last_name: Text = ""
    company_name: Text = ""
    phone: Annotated[str, Field(max_length=64)] = ""
    email: Text = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class AddressOut(WireOut):
    """An address as Orderyard answers it."""

    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str
    country_code: str
    address_nickname: str
    first_name: str
    last_name: str
    company_name: str
    phone: str
    email: str
    latitude: Number | None
    longitude: Number | None
