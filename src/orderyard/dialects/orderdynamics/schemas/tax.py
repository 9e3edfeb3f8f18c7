"""Taxes API bodies: the seed names the paths; the fields are Orderyard's, in its words."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import Number, UtcDateTime, WireIn, WireOut
from orderyard.domain.tax import DISPLAY_NAME_MAX, NAME_MAX, REGION_MAX
from orderyard.http.wire import Id

BackendName = Annotated[
    str, Field(min_length=1, max_length=NAME_MAX, description="Unique among the account's.")
]
DisplayName = Annotated[
    str, Field(max_length=DISPLAY_NAME_MAX, description="Defaults to the BackendName.")
]
CountryCode = Annotated[
    str, Field(max_length=64, description="ISO 3166-1 alpha-2 (`CA`), any case; answered upper.")
]
State = Annotated[
    str,
    Field(max_length=REGION_MAX, description="The address's State; empty: the whole country."),
]
Percent = Annotated[
    Decimal,
    Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False, description="Percent, 0-100."),
]


class TaxIn(WireIn):
    """A tax rate to create, or to put in place of the one it names."""

    internal_tax_rate_id: Id | None = Field(
        default=None,
        description="Replace this rate (its BackendName may change). Absent: the rate of"
        " BackendName is replaced, or created when the account has none.",
    )
    backend_name: BackendName
    display_name: DisplayName = ""
    rate: Percent
    country_code: CountryCode
    state: State = ""
    zip_code_prefix: str = Field(
        default="",
        max_length=64,
        description="Applies to ZipCodes starting with it (letters and digits; spaces and"
        " hyphens ignored); empty: every ZipCode.",
    )
    valid_from_date_time_utc: UtcDateTime | None = Field(
        default=None, description="In force from (included); absent: always was."
    )
    valid_to_date_time_utc: UtcDateTime | None = Field(
        default=None, description="In force until (excluded); absent: no end."
    )


class TaxOut(WireOut):
    """A tax rate as Orderyard answers it."""

    internal_tax_rate_id: int
    backend_name: str
    display_name: str
    rate: Number
    country_code: str
    state: str
    zip_code_prefix: str
    valid_from_date_time_utc: datetime | None
    valid_to_date_time_utc: datetime | None
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime
