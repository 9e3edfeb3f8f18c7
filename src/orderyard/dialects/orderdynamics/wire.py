"""OrderDynamics JSON: PascalCase names, matched case-insensitively on the way in.

The vendor's platform is ASP.NET, whose JSON reader matches property names without regard
to case: ``sku``, ``Sku`` and ``SKU`` are one field. ``WireIn`` does the same by renaming
the incoming keys to the field's PascalCase name before validation (one dict per model,
built once); unknown properties are ignored. ``WireOut`` answers in PascalCase.
"""

from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_pascal

LIST_MAX = 2_000
"""Longest comma-separated list a query parameter may carry, in characters. A URL over 64 KiB
is refused by the HTTP parser itself with a bare 400 outside any dialect's format; 2,000
characters stay under it even for two such lists of percent-encoded UTF-8 (12 bytes a
character), so a longer list is a 400 problem naming the parameter."""

Number = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
"""A decimal answered as a JSON number. Exact: the store keeps at most 14 significant digits,
which a double holds and prints back digit for digit (Python's shortest repr)."""


def _in_utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is out of range once in UTC") from None


UtcDateTime = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""A time sent in a ``...DateTimeUtc`` field: ISO 8601 with ``Z`` or an offset (a time
without one is refused rather than guessed), kept in UTC."""


def pascal(name: str) -> str:
    """The wire name of a core name: ``location_internal_name`` -> ``LocationInternalName``."""
    return to_pascal(name)


class WireIn(BaseModel):
    """A request body: PascalCase properties, any case accepted, extras ignored."""

    model_config = ConfigDict(
        alias_generator=pascal, populate_by_name=True, extra="ignore", str_strip_whitespace=True
    )

    @model_validator(mode="before")
    @classmethod
    def _match_any_case(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        names = _folded_names(cls)
        return {names.get(key.lower(), key) if isinstance(key, str) else key: value
                for key, value in data.items()}  # fmt: skip


@cache
def _folded_names(model: type[BaseModel]) -> dict[str, str]:
    """``{lower-case alias: alias}`` of the model's fields."""
    return {
        (field.alias or name).lower(): field.alias or name
        for name, field in model.model_fields.items()
    }


class WireOut(BaseModel):
    """A response body: PascalCase properties (serialized by alias)."""

    model_config = ConfigDict(alias_generator=pascal, populate_by_name=True)
