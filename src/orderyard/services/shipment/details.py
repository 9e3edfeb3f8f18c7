"""What a shipment carries besides its units: custom fields and the list of tracking numbers.

Custom fields are checked against the account's metadata for owner types ``shipment`` and
``shipment_line`` and kept in the one attribute store; a shipment line keeps its values when
a split moves it to another shipment. Every call locks the shipment's order first, as every
shipment use case does, so a split or reroute cannot interleave.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.attribute import Attribute, OwnerType
from orderyard.domain.custom_field import FieldValue, check_values
from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.shipment import CLOSING, Shipment, TrackingNumber
from orderyard.services.shipment.flow import lock_shipment
from orderyard.store.uow import UnitOfWork

TRACKING_MAX = 50
"""Most tracking numbers one shipment may carry."""


@dataclass(frozen=True, slots=True)
class LineFields:
    """Custom field values to set on one line of a shipment, named by its order line."""

    order_line_id: int
    values: Sequence[FieldValue]


async def set_shipment_custom_fields(
    uow: UnitOfWork, shipment_id: int, values: Sequence[FieldValue]
) -> None:
    """Set custom field values on a shipment: all of them or none.

    A value replaces the field's; ``None`` clears it; fields not named stay.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: a field not defined for shipments, given twice, or a value its
            definition refuses (``custom_fields[1].value``).
    """
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        definitions = await uow.custom_fields.by_names(OwnerType.shipment, {v.name for v in values})
        kept = check_values(definitions, values, field="custom_fields")
        await _write(uow, OwnerType.shipment, shipment.id, kept)
        await uow.commit()


async def set_shipment_line_custom_fields(
    uow: UnitOfWork, shipment_id: int, lines: Sequence[LineFields]
) -> None:
    """Set custom field values on lines of one shipment: all of them or none.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: no line named (``line_items``), an order line the shipment does
            not carry (``line_items[0].order_line_id``), or a refused value
            (``line_items[0].custom_fields[1].value``).
    """
    if not lines:
        raise InvalidRequestError("name at least one line of the shipment", field="line_items")
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        owners = {line.order_line_id: line.id for line in shipment.lines}
        names = {value.name for line in lines for value in line.values}
        definitions = await uow.custom_fields.by_names(OwnerType.shipment_line, names)
        for index, line in enumerate(lines):
            at = f"line_items[{index}]"
            owner = owners.get(line.order_line_id)
            if owner is None:
                raise InvalidRequestError(
                    f"order line {line.order_line_id} is not in shipment {shipment.id}",
                    field=f"{at}.order_line_id",
                )
            kept = check_values(definitions, line.values, field=f"{at}.custom_fields")
            await _write(uow, OwnerType.shipment_line, owner, kept)
        await uow.commit()


async def _write(
    uow: UnitOfWork, kind: OwnerType, owner_id: int, kept: Sequence[FieldValue]
) -> None:
    """Store one owner's checked values and record the change."""
    written = [Attribute(v.name, v.value) for v in kept if v.value is not None]
    if written:
        await uow.attributes.set_on_many(kind, [owner_id], written)
    await uow.attributes.remove_names(kind, owner_id, [v.name for v in kept if v.value is None])
    await uow.events.record(
        "custom_fields_set", kind.value, owner_id, {"names": [v.name for v in kept]}
    )


async def replace_tracking(
    uow: UnitOfWork, shipment_id: int, numbers: Sequence[TrackingNumber]
) -> Shipment:
    """Make ``numbers`` the shipment's tracking numbers, in that order (empty clears them).

    The first one is also the shipment's own carrier and number (what ShipEdge shows).

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: more than ``TRACKING_MAX``, or a number given twice
            (``tracking_numbers[1].number``).
        InvalidStateTransitionError: the shipment was cancelled or rejected.
    """
    _check_numbers(numbers)
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        if shipment.status in CLOSING:
            raise InvalidStateTransitionError(
                f"a {shipment.status.value!r} shipment takes no tracking number", field="status"
            )
        for old in await uow.shipments.tracking_of(shipment.id):
            await uow.shipments.remove_tracking(shipment.id, old.number)
        for tracking in numbers:
            await uow.shipments.add_tracking(shipment.id, tracking)
        first = numbers[0] if numbers else TrackingNumber("")
        shipment.tracking_number, shipment.carrier = first.number, first.carrier
        await uow.shipments.save(shipment)
        await uow.events.record(
            "shipment_tracking_replaced",
            "shipment",
            shipment.id,
            {"numbers": [t.number for t in numbers]},
        )
        await uow.commit()
    return shipment


def _check_numbers(numbers: Sequence[TrackingNumber]) -> None:
    if len(numbers) > TRACKING_MAX:
        raise InvalidRequestError(
            f"a shipment carries at most {TRACKING_MAX} tracking numbers (got {len(numbers)})",
            field="tracking_numbers",
        )
    seen: set[str] = set()
    for index, tracking in enumerate(numbers):
        if tracking.number in seen:
            raise InvalidRequestError(
                f"tracking number {tracking.number!r} is given twice",
                field=f"tracking_numbers[{index}].number",
            )
        seen.add(tracking.number)
