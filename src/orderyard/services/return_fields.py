"""Custom fields of returns and of their lines: checked against the metadata, kept as attributes.

A return's values are attributes of owner type ``return``, its lines' of ``return_line``
(the core's names; OrderDynamics calls them ``Return`` and ``ReturnLineItem``). Values may be
set whatever the return's status: they describe the return, they do not change what came
back. The return's order is locked first, as every change of a return locks it, so a value
never lands on a line that a concurrent change of the return is replacing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from orderyard.domain.attribute import Attribute, OwnerType, StoredAttribute
from orderyard.domain.custom_field import FieldValue, check_values
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.returns import Return
from orderyard.store.queries.returns import ReturnView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

LINES_MAX = 1000
"""Most lines one write of return-line custom fields may name (a return has at most as many)."""


@dataclass(frozen=True, slots=True)
class ReturnLineFields:
    """Custom field values to set on one line of a return, named by its id."""

    line_id: int
    values: Sequence[FieldValue]


@dataclass(frozen=True, slots=True)
class ReturnFields:
    """What a return adds to its view: its values and its lines' (by line id), by name."""

    own: list[StoredAttribute] = field(default_factory=list)
    lines: dict[int, list[StoredAttribute]] = field(default_factory=dict)


async def set_return_custom_fields(
    uow: UnitOfWork, return_id: int, values: Sequence[FieldValue]
) -> None:
    """Set custom field values on a return, all or none; ``None`` clears one.

    Raises:
        NotFoundError: no such return in this account.
        InvalidRequestError: a field not defined for returns, given twice, or a value its
            definition refuses (``custom_fields[1].value``).
    """
    async with uow:
        ret = await _locked(uow, return_id)
        names = {value.name for value in values}
        definitions = await uow.custom_fields.by_names(OwnerType.return_, names)
        kept = check_values(definitions, values, field="custom_fields")
        await _write(uow, OwnerType.return_, ret.id, kept)
        await uow.commit()


async def set_return_line_custom_fields(
    uow: UnitOfWork, return_id: int, lines: Sequence[ReturnLineFields]
) -> None:
    """Set custom field values on lines of one return, all or none.

    Raises:
        NotFoundError: no such return in this account.
        InvalidRequestError: no line named or too many (``lines``), a line the return does
            not have (``lines[0].line_id``), or a refused value
            (``lines[0].custom_fields[1].value``).
    """
    if not lines or len(lines) > LINES_MAX:
        raise InvalidRequestError(
            f"name 1 to {LINES_MAX} lines of the return (got {len(lines)})", field="lines"
        )
    async with uow:
        ret = await _locked(uow, return_id)
        own = {line.id for line in ret.lines}
        names = {value.name for line in lines for value in line.values}
        definitions = await uow.custom_fields.by_names(OwnerType.return_line, names)
        for index, line in enumerate(lines):
            at = f"lines[{index}]"
            if line.line_id not in own:
                raise InvalidRequestError(
                    f"return {ret.id} has no line {line.line_id}", field=f"{at}.line_id"
                )
            kept = check_values(definitions, line.values, field=f"{at}.custom_fields")
            await _write(uow, OwnerType.return_line, line.line_id, kept)
        await uow.commit()


async def return_fields_of(uow: ReadUnitOfWork, views: Sequence[ReturnView]) -> list[ReturnFields]:
    """The custom field values of each return read and of its lines: one statement."""
    if not views:
        return []
    async with uow:
        found = await uow.attributes.of_owners(
            {
                OwnerType.return_: [view.id for view in views],
                OwnerType.return_line: [line.id for view in views for line in view.lines],
            }
        )
    lines = found[OwnerType.return_line]
    return [
        ReturnFields(
            found[OwnerType.return_].get(view.id, []),
            {line.id: lines[line.id] for line in view.lines if line.id in lines},
        )
        for view in views
    ]


async def _locked(uow: UnitOfWork, return_id: int) -> Return:
    """The return, read under its order's lock."""
    order_id = await uow.returns.order_id_of(return_id)
    if order_id is not None and await uow.orders.load(order_id, for_update=True) is not None:
        ret = await uow.returns.load(return_id)
        if ret is not None:
            return ret
    raise NotFoundError(f"return {return_id} not found", field="return")


async def _write(
    uow: UnitOfWork, kind: OwnerType, owner_id: int, kept: Sequence[FieldValue]
) -> None:
    """Store checked values on one owner and record the change."""
    written = [Attribute(v.name, v.value) for v in kept if v.value is not None]
    if written:
        await uow.attributes.set_on_many(kind, [owner_id], written)
    await uow.attributes.remove_names(kind, owner_id, [v.name for v in kept if v.value is None])
    await uow.events.record(
        "custom_fields_set", kind.value, owner_id, {"names": [v.name for v in kept]}
    )
