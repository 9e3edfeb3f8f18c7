"""Custom field metadata: what a custom field of an owner type is, and which values it takes.

A custom field is defined once per owner type (an item, an order, a location...) by its
system name, unique within the owner type; its values are kept in the one attribute store
(``domain/attribute.py``), as text. A value is checked against its definition before it is
written, and kept in a canonical spelling (``+07`` is kept as ``7``, ``TRUE`` as ``true``), so
that two writes of the same value store the same text. These rules are the same for every
dialect that validates values.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from orderyard.domain.attribute import NAME_MAX, OwnerType, check_name, check_value
from orderyard.domain.errors import InvalidRequestError

DISPLAY_NAME_MAX: Final = 200
"""Longest display name (the ``custom_fields.display_name`` column)."""
ALLOWED_VALUES_MAX: Final = 500
"""Most values a List field may allow."""
ALLOWED_VALUE_MAX: Final = 200
"""Longest allowed value of a List field."""
INTEGER_MAX: Final = 2**63 - 1
"""Integers are bounded as a 64-bit column would bound them, so a reader can keep them so."""
DECIMAL_DIGITS_MAX: Final = 28
"""Most significant digits of a Decimal value (a .NET ``decimal`` holds 28 or 29)."""

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOLEANS: Final = {"true": "true", "false": "false"}
_EXPECTED: Final = {
    "text": "text",
    "integer": "an integer",
    "decimal": "a decimal number",
    "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)",
}


class DataType(StrEnum):
    """The types a custom field's values can have (the core's names, stored as is)."""

    text = "text"
    integer = "integer"
    decimal = "decimal"
    boolean = "boolean"
    date = "date"
    list = "list"


@dataclass(frozen=True, slots=True)
class NewCustomField:
    """A custom field to define."""

    owner_type: OwnerType
    system_name: str
    display_name: str
    data_type: DataType
    required: bool = False
    allowed_values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomField:
    """A defined custom field."""

    id: int
    owner_type: OwnerType
    system_name: str
    display_name: str
    data_type: DataType
    required: bool
    allowed_values: tuple[str, ...]
    created_at: datetime


def check_definition(new: NewCustomField) -> NewCustomField:
    """Refuse a definition with a bad name or allowed values; answer it with names trimmed.

    Only a List field has allowed values, and it must have at least one; they are distinct,
    non-blank and at most ``ALLOWED_VALUE_MAX`` characters.

    Raises:
        InvalidRequestError: naming ``system_name``, ``display_name`` or ``allowed_values``.
    """
    system_name = new.system_name.strip()
    check_name(system_name, field="system_name")
    display_name = new.display_name.strip() or system_name
    if len(display_name) > DISPLAY_NAME_MAX:
        raise InvalidRequestError(
            f"display_name must be at most {DISPLAY_NAME_MAX} characters", field="display_name"
        )
    allowed = tuple(value.strip() for value in new.allowed_values)
    _check_allowed_values(new.data_type, allowed)
    return NewCustomField(
        new.owner_type, system_name, display_name, new.data_type, new.required, allowed
    )


def _check_allowed_values(data_type: DataType, allowed: tuple[str, ...]) -> None:
    field = "allowed_values"
    if data_type is not DataType.list:
        if allowed:
            raise InvalidRequestError(f"only a list field has {field}", field=field)
        return
    if not allowed:
        raise InvalidRequestError(f"a list field needs {field}", field=field)
    if len(allowed) > ALLOWED_VALUES_MAX:
        raise InvalidRequestError(
            f"{field} must have at most {ALLOWED_VALUES_MAX} values", field=field
        )
    for index, value in enumerate(allowed):
        if not value or len(value) > ALLOWED_VALUE_MAX:
            raise InvalidRequestError(
                f"{field}[{index}] must be 1 to {ALLOWED_VALUE_MAX} characters",
                field=f"{field}[{index}]",
            )
        if value in allowed[:index]:
            raise InvalidRequestError(
                f"{field}[{index}] {value!r} is given twice", field=f"{field}[{index}]"
            )


def canonical_value(definition: CustomField, value: str | None, *, field: str) -> str | None:
    """The value as it is kept, if the definition admits it; None clears the field.

    Raises:
        InvalidRequestError: naming ``field``: a required field cleared, or a value of the
            wrong type or (for a List) not among the allowed values.
    """
    name = definition.system_name
    if value is None or (value == "" and definition.data_type is not DataType.text):
        if definition.required:
            raise InvalidRequestError(f"custom field {name!r} is required", field=field)
        return None
    check_value(value, field=field)
    kept = _PARSERS[definition.data_type](value.strip(), definition)
    if kept is None:
        raise InvalidRequestError(_wrong(definition, value), field=field)
    return kept


def _wrong(definition: CustomField, value: str) -> str:
    name = definition.system_name
    shown = value if len(value) <= 50 else value[:50] + "..."
    if definition.data_type is DataType.list:
        return f"custom field {name!r} does not allow {shown!r}"
    return f"custom field {name!r} must be {_EXPECTED[definition.data_type]}, not {shown!r}"


def _text(value: str, _: CustomField) -> str | None:
    return value


def _integer(value: str, _: CustomField) -> str | None:
    if not _INTEGER.fullmatch(value) or len(value) > 25:
        return None
    number = int(value)
    return str(number) if -INTEGER_MAX <= number <= INTEGER_MAX else None


def _decimal(value: str, _: CustomField) -> str | None:
    if not _DECIMAL.fullmatch(value) or len(value) > 60:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if len(number.as_tuple().digits) > DECIMAL_DIGITS_MAX:
        return None
    return f"{number:f}"


def _boolean(value: str, _: CustomField) -> str | None:
    return _BOOLEANS.get(value.lower())


def _date(value: str, _: CustomField) -> str | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _listed(value: str, definition: CustomField) -> str | None:
    return value if value in definition.allowed_values else None


_PARSERS = {
    DataType.text: _text,
    DataType.integer: _integer,
    DataType.decimal: _decimal,
    DataType.boolean: _boolean,
    DataType.date: _date,
    DataType.list: _listed,
}


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A custom field's value as a client gives it; ``None`` clears the field."""

    name: str
    value: str | None


def check_values(
    definitions: Mapping[str, CustomField],
    values: Sequence[FieldValue],
    *,
    field: str = "custom_fields",
) -> list[FieldValue]:
    """The values as they are kept, each checked against its field's definition.

    A name must be defined for the owner type (``definitions``, by system name) and given
    once.

    Raises:
        InvalidRequestError: naming the first offending entry (``custom_fields[1].value``).
    """
    kept: list[FieldValue] = []
    seen: set[str] = set()
    for index, given in enumerate(values):
        at = f"{field}[{index}]"
        definition = definitions.get(given.name)
        if definition is None:
            raise InvalidRequestError(
                f"custom field {given.name[:NAME_MAX]!r} is not defined", field=f"{at}.name"
            )
        if given.name in seen:
            raise InvalidRequestError(
                f"custom field {given.name!r} is given twice", field=f"{at}.name"
            )
        seen.add(given.name)
        kept.append(
            FieldValue(given.name, canonical_value(definition, given.value, field=f"{at}.value"))
        )
    return kept
