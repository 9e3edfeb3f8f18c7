"""The account's parameter settings: their keys, what each means, and how values are checked.

Settings are the account's own knobs, stored where the code that obeys them reads them
(``accounts.allocation_strategy``, ``accounts.ships_on_allocation``), plus the server's
limits that apply to the account, shown read-only (set by the server's environment).
Values travel as text, the way configuration screens and the vendor's parameter lists show
them.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import InvalidRequestError


class SettingKey(StrEnum):
    """Every setting there is."""

    ALLOCATION_STRATEGY = "allocation_strategy"
    SHIPS_ON_ALLOCATION = "ships_on_allocation"
    SENDS_EMAILS = "sends_emails"
    MAX_PAGE_SIZE = "max_page_size"


DESCRIPTIONS: Final = {
    SettingKey.ALLOCATION_STRATEGY: "How orders choose the locations that ship them: "
    + ", ".join(strategy.value for strategy in AllocationStrategy)
    + ".",
    SettingKey.SHIPS_ON_ALLOCATION: "Whether a shipment is created as soon as stock is"
    " allocated to an order (true or false).",
    SettingKey.SENDS_EMAILS: "Whether the account's customers get the e-mails its orders call"
    " for: confirmation, shipment, return received (true or false; sent only when the server"
    " has SMTP configured). Turned off, what happens meanwhile is never e-mailed.",
    SettingKey.MAX_PAGE_SIZE: "The largest page any list answers (the server's"
    " ORDERYARD_MAX_PER_PAGE; read-only).",
}
WRITABLE: Final = frozenset(
    {SettingKey.ALLOCATION_STRATEGY, SettingKey.SHIPS_ON_ALLOCATION, SettingKey.SENDS_EMAILS}
)


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting's current value."""

    key: SettingKey
    value: str

    @property
    def description(self) -> str:
        """What the setting does and which values it takes."""
        return DESCRIPTIONS[self.key]

    @property
    def writable(self) -> bool:
        """Whether the account may change it (the others are the server's)."""
        return self.key in WRITABLE


def setting_key(name: str, *, field: str = "key") -> SettingKey:
    """The setting a name means, in any case, with or without underscores.

    Raises:
        InvalidRequestError: no setting has this name.
    """
    folded = name.strip().replace("_", "").lower()
    for key in SettingKey:
        if key.value.replace("_", "") == folded:
            return key
    raise InvalidRequestError(
        f"{name!r} is not a setting (one of: {', '.join(SettingKey)})", field=field
    )


def parse_flag(value: str, *, field: str = "value") -> bool:
    """``true`` or ``false``, in any case.

    Raises:
        InvalidRequestError: anything else.
    """
    folded = value.strip().lower()
    if folded not in ("true", "false"):
        raise InvalidRequestError(f"{value!r} is not true or false", field=field)
    return folded == "true"


def parse_strategy(value: str, *, field: str = "value") -> AllocationStrategy:
    """An allocation strategy by its name.

    Raises:
        InvalidRequestError: no strategy has this name.
    """
    try:
        return AllocationStrategy(value.strip().lower())
    except ValueError:
        raise InvalidRequestError(
            f"{value!r} is not an allocation strategy (one of: {', '.join(AllocationStrategy)})",
            field=field,
        ) from None
