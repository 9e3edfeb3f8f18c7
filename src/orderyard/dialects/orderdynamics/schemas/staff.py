"""Staff, Logging and Configuration bodies: the seed names the paths; the fields are ours."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.domain.staff import EMAIL_MAX, PASSWORD_MAX
from orderyard.http.wire import Id

StaffRole = Literal["Admin", "Operator", "ReadOnly"]
Action = Annotated[
    Literal["Issue", "Revoke"],
    BeforeValidator(lambda word: word.strip().capitalize() if isinstance(word, str) else word),
]
"""``Issue`` or ``Revoke``, in any case (as ASP.NET reads an enum)."""


class StaffOut(WireOut):
    """A staff member (never its password or token)."""

    internal_staff_id: int
    email: str
    role: StaffRole
    is_active: bool
    has_token: bool
    token_issued_date_time_utc: datetime | None
    created_date_time_utc: datetime


class TokenIn(WireIn):
    """Issue or revoke a staff member's token; name the member by id, e-mail or both."""

    internal_staff_id: Id | None = Field(default=None, description="The staff member's id.")
    email: Annotated[str | None, Field(max_length=EMAIL_MAX)] = Field(
        default=None, description="The staff member's e-mail (any case)."
    )
    action: Action = Field(
        default="Issue",
        description="Issue a new token (replacing any before) or revoke the current one.",
    )
    password: Annotated[str | None, Field(max_length=PASSWORD_MAX)] = Field(
        default=None,
        description="The staff member's own password, to issue its token without an"
        " admin's rights (signing in).",
    )


class TokenOut(WireOut):
    """The staff member after the action; ``Token`` is shown this once (Issue only)."""

    action: Literal["Issue", "Revoke"]
    token: str | None
    staff: StaffOut


class FlexibleEventOut(WireOut):
    """One entry of the event log."""

    event_id: int
    event_type: str
    owner_name: str
    owner_id: int
    event_initiator_type: Literal["Key", "Staff", "System"]
    event_initiator_id: int | None
    event_initiator: str
    data: dict[str, Any]
    created_date_time_utc: datetime


class SettingOut(WireOut):
    """One parameter setting of the account."""

    key: str
    value: str
    description: str
    is_read_only: bool


class SettingIn(WireIn):
    """One setting to change."""

    key: Annotated[str, Field(min_length=1, max_length=100)]
    value: Annotated[str, Field(max_length=100)]


class SettingsIn(WireIn):
    """Settings to change together: all of them, or none."""

    settings: Annotated[list[SettingIn], Field(min_length=1, max_length=20)]
