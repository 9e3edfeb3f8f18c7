"""Manufacture orders: build N units of a kit at a location from its components.

Completing one consumes ``N x quantity`` of every component from the location's available
stock and produces N units of the kit item there, all in one transaction: either every
component is available and the kits exist, or nothing moved.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from orderyard.domain.catalog import KitComponent
from orderyard.domain.errors import (
    ConflictError,
    InvalidRequestError,
    InvalidStateTransitionError,
)


class ManufactureStatus(StrEnum):
    """Where a manufacture order stands."""

    pending = "pending"
    """Planned: nothing consumed or produced yet."""
    completed = "completed"
    """Built: components consumed, kits in stock."""
    cancelled = "cancelled"
    """Given up before completion; nothing moved."""


class InsufficientComponentsError(ConflictError):
    """A component is not available in the quantity the build needs."""

    code = "insufficient_components"


@dataclass(slots=True)
class ManufactureOrder:
    """A manufacture order as the services load and change it."""

    id: int
    location_id: int
    item_id: int
    sku: str
    quantity: int
    status: ManufactureStatus = ManufactureStatus.pending
    created_at: datetime | None = None
    completed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise InvalidRequestError("quantity must be a positive integer", field="quantity")

    def complete(self, now: datetime) -> None:
        """Mark the order built.

        Raises:
            InvalidStateTransitionError: it is not pending.
        """
        self._leave_pending(ManufactureStatus.completed)
        self.completed_at = now

    def cancel(self) -> None:
        """Give the order up.

        Raises:
            InvalidStateTransitionError: it is not pending.
        """
        self._leave_pending(ManufactureStatus.cancelled)

    def _leave_pending(self, target: ManufactureStatus) -> None:
        if self.status is not ManufactureStatus.pending:
            raise InvalidStateTransitionError(
                f"a {self.status.value} manufacture order cannot become {target.value}",
                field="status",
            )
        self.status = target


def component_needs(components: Sequence[KitComponent], kits: int) -> dict[int, int]:
    """Units of each component item that building ``kits`` kits consumes.

    Raises:
        InvalidRequestError: the kit has no components (nothing defines how to build it).
    """
    if not components:
        raise InvalidRequestError("the SKU is not a kit with components", field="sku")
    needs: dict[int, int] = {}
    for component in components:
        needs[component.item_id] = needs.get(component.item_id, 0) + component.quantity * kits
    return needs
