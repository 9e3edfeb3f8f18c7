"""Custom fields of returns and of their lines: checked against the metadata, kept as attributes.

A return's values are attributes of owner type ``return``, its lines' of ``return_line``
(the core's names; OrderDynamics calls them ``Return`` and ``ReturnLineItem``). Values may be
set whatever the return's status: they describe the return, they do not change what came
back. The return's order is locked first, as every change of a return locks it, so a value
never lands on a line that a concurrent change of the return is replacing.
"""

from collections.abc import Sequence

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import NotFoundError
from orderyard.domain.returns import Return
from orderyard.services import document_fields
from orderyard.services.document_fields import (
    LINES_MAX,
    DocumentFields,
    DocumentKind,
    LineFields,
)
from orderyard.store.queries.returns import ReturnView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["LINES_MAX", "ReturnFields", "ReturnLineFields"]

RETURN = DocumentKind(OwnerType.return_, OwnerType.return_line, "return")
ReturnLineFields = LineFields
"""Custom field values to set on one line of a return, named by its id."""
ReturnFields = DocumentFields
"""What a return adds to its view: its values and its lines' (by line id), by name."""


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
        await document_fields.set_own_fields(uow, RETURN, ret.id, values)
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
    document_fields.check_line_count(RETURN, lines)
    async with uow:
        ret = await _locked(uow, return_id)
        line_ids = {line.id for line in ret.lines}
        await document_fields.set_line_fields(uow, RETURN, ret.id, line_ids=line_ids, lines=lines)
        await uow.commit()


async def return_fields_of(uow: ReadUnitOfWork, views: Sequence[ReturnView]) -> list[ReturnFields]:
    """The custom field values of each return read and of its lines: one statement."""
    documents = [(view.id, [line.id for line in view.lines]) for view in views]
    return await document_fields.fields_of(uow, RETURN, documents)


async def _locked(uow: UnitOfWork, return_id: int) -> Return:
    """The return, read under its order's lock."""
    order_id = await uow.returns.order_id_of(return_id)
    if order_id is not None and await uow.orders.load(order_id, for_update=True) is not None:
        ret = await uow.returns.load(return_id)
        if ret is not None:
            return ret
    raise NotFoundError(f"return {return_id} not found", field="return")
