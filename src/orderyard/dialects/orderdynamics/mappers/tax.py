"""Taxes: OrderDynamics bodies and parameters <-> the core's tax rates."""

from typing import Final

from orderyard.dialects.orderdynamics.schemas.tax import TaxIn, TaxOut
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.tax import TaxRate, TaxRateSpec
from orderyard.services.taxes import SORTS, TaxRateRef

SORT_WORDS: Final[dict[str, str]] = {
    "internaltaxrateid": "id",
    "backendname": "backend_name",
    "rate": "rate",
    "countrycode": "country_code",
}
"""``SortByColumn``, in any case, to the core's sorts."""
assert set(SORT_WORDS.values()) == set(SORTS)  # noqa: S101 - the two lists stay one


def spec(body: TaxIn) -> TaxRateSpec:
    """The core definition of a body."""
    return TaxRateSpec(
        backend_name=body.backend_name,
        rate=body.rate,
        country_code=body.country_code,
        region=body.state,
        postal_prefix=body.zip_code_prefix,
        valid_from=body.valid_from_date_time_utc,
        valid_to=body.valid_to_date_time_utc,
        display_name=body.display_name,
    )


def sort_column(wire: str | None) -> str:
    """The core sort of ``SortByColumn`` (default ``InternalTaxRateId``).

    Raises:
        InvalidRequestError: not one of the sortable columns.
    """
    if not wire:
        return "id"
    sort = SORT_WORDS.get(wire.lower())
    if sort is None:
        raise InvalidRequestError(
            "SortByColumn must be one of InternalTaxRateId, BackendName, Rate, CountryCode",
            field="SortByColumn",
        )
    return sort


def reference(rate_id: int | None, backend_name: str | None) -> TaxRateRef:
    """How a delete names its rate.

    Raises:
        InvalidRequestError: neither is given.
    """
    if rate_id is None and not backend_name:
        raise InvalidRequestError(
            "InternalTaxRateId or BackendName is required", field="InternalTaxRateId"
        )
    return TaxRateRef(rate_id, backend_name or None)


def tax_out(rate: TaxRate) -> TaxOut:
    """The wire form of a rate."""
    defined = rate.spec
    return TaxOut(
        internal_tax_rate_id=rate.id,
        backend_name=defined.backend_name,
        display_name=defined.display_name,
        rate=defined.rate,
        country_code=defined.country_code,
        state=defined.region,
        zip_code_prefix=defined.postal_prefix,
        valid_from_date_time_utc=defined.valid_from,
        valid_to_date_time_utc=defined.valid_to,
        created_date_time_utc=rate.created_at,
        last_updated_date_time_utc=rate.updated_at,
    )
