"""Staff, Logging and Configuration: the core's staff, events and settings <-> the wire."""

from collections.abc import Sequence
from typing import Final, Literal

from orderyard.dialects.orderdynamics.schemas.staff import (
    FlexibleEventOut,
    SettingOut,
    StaffOut,
    StaffRole,
)
from orderyard.dialects.orderdynamics.wire import pascal
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.event_log import Initiator, LoggedEvent
from orderyard.domain.settings import Setting, SettingKey, setting_key
from orderyard.domain.staff import Role, StaffMember

ROLES: Final[dict[Role, StaffRole]] = {
    Role.ADMIN: "Admin",
    Role.OPERATOR: "Operator",
    Role.READ_ONLY: "ReadOnly",
}
INITIATORS: Final[dict[Initiator, Literal["Key", "Staff", "System"]]] = {
    Initiator.KEY: "Key",
    Initiator.STAFF: "Staff",
    Initiator.SYSTEM: "System",
}
SORT_WORDS: Final = {"internalstaffid": "id", "email": "email"}


def staff_out(member: StaffMember) -> StaffOut:
    """The wire form of a staff member."""
    return StaffOut(
        internal_staff_id=member.id,
        email=member.email,
        role=ROLES[member.role],
        is_active=member.active,
        has_token=member.has_token,
        token_issued_date_time_utc=member.token_issued_at,
        created_date_time_utc=member.created_at,
    )


def staff_sort(wire: str | None) -> str:
    """The core sort of ``SortByColumn`` (default ``InternalStaffId``).

    Raises:
        InvalidRequestError: not a sortable column.
    """
    if not wire:
        return "id"
    found = SORT_WORDS.get(wire.lower())
    if found is None:
        raise InvalidRequestError(
            f"{wire!r} is not a column staff sort by (InternalStaffId, Email)",
            field="SortByColumn",
        )
    return found


def initiator(wire: str | None) -> Initiator | None:
    """The kind of initiator ``EventInitiatorType`` names, in any case.

    Raises:
        InvalidRequestError: not Key, Staff or System.
    """
    if wire is None or not wire.strip():
        return None
    for kind, word in INITIATORS.items():
        if word.lower() == wire.strip().lower():
            return kind
    raise InvalidRequestError(
        f"{wire!r} is not an initiator type (Key, Staff or System)", field="EventInitiatorType"
    )


def event_out(event: LoggedEvent) -> FlexibleEventOut:
    """The wire form of an event."""
    kind, initiator_id = event.initiator
    return FlexibleEventOut(
        event_id=event.id,
        event_type=event.kind,
        owner_name=event.record_type,
        owner_id=event.record_id,
        event_initiator_type=INITIATORS[kind],
        event_initiator_id=initiator_id,
        event_initiator=event.actor,
        data=event.data,
        created_date_time_utc=event.created_at,
    )


def setting_keys(wire: str | None) -> list[SettingKey]:
    """The settings ``keys`` names (comma-separated, any case); none: all.

    Raises:
        InvalidRequestError: a name that is no setting.
    """
    if wire is None:
        return []
    return [setting_key(name, field="keys") for name in wire.split(",") if name.strip()]


def setting_out(setting: Setting) -> SettingOut:
    """The wire form of a setting: its key in PascalCase."""
    return SettingOut(
        key=pascal(setting.key.value),
        value=setting.value,
        description=setting.description,
        is_read_only=not setting.writable,
    )


def changes(keys: Sequence[tuple[str, str]]) -> dict[SettingKey, str]:
    """The core changes of a body's ``Settings``.

    Raises:
        InvalidRequestError: an unknown key, or a key given twice.
    """
    found: dict[SettingKey, str] = {}
    for index, (name, value) in enumerate(keys):
        key = setting_key(name, field=f"Settings[{index}].Key")
        if key in found:
            raise InvalidRequestError(
                f"the setting {name!r} is given twice", field=f"Settings[{index}].Key"
            )
        found[key] = value
    return found
