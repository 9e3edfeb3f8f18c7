"""Custom fields of a document with lines (a return, an invoice): one rule for both.

A document's values are attributes of one owner type, its lines' of another. A write sets
the values named on the document, or on lines it names, all or none: each value is checked
against its field's definition, ``None`` clears it, and every owner written records a
``custom_fields_set`` event. The caller opens the unit of work and locks the document first
(``services/return_fields.py``, ``services/payment/invoice_fields.py``); these run inside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from orderyard.domain.attribute import Attribute, OwnerType, StoredAttribute
from orderyard.domain.custom_field import FieldValue, check_values
from orderyard.domain.errors import InvalidRequestError
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

LINES_MAX = 1000
"""Most lines one write of line custom fields may name."""


@dataclass(frozen=True, slots=True)
class LineFields:
    """Custom field values to set on one line of a document, named by its id."""

    line_id: int
    values: Sequence[FieldValue]


@dataclass(frozen=True, slots=True)
class DocumentFields:
    """What a document adds to its answer: its values and its lines' (by line id), by name."""

    own: list[StoredAttribute] = field(default_factory=list)
    lines: dict[int, list[StoredAttribute]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentKind:
    """A kind of document: its owner types, and its name in errors."""

    own: OwnerType
    line: OwnerType
    name: str


def check_line_count(kind: DocumentKind, lines: Sequence[LineFields]) -> None:
    """Refuse a write that names no line or too many (``lines``)."""
    if not lines or len(lines) > LINES_MAX:
        raise InvalidRequestError(
            f"name 1 to {LINES_MAX} lines of the {kind.name} (got {len(lines)})", field="lines"
        )


async def set_own_fields(
    uow: UnitOfWork, kind: DocumentKind, document_id: int, values: Sequence[FieldValue]
) -> None:
    """Check and store values on the (locked) document itself."""
    definitions = await uow.custom_fields.by_names(kind.own, {value.name for value in values})
    kept = check_values(definitions, values, field="custom_fields")
    await _write(uow, kind.own, document_id, kept)


async def set_line_fields(
    uow: UnitOfWork,
    kind: DocumentKind,
    document_id: int,
    *,
    line_ids: set[int],
    lines: Sequence[LineFields],
) -> None:
    """Check and store values on lines of the (locked) document; ``line_ids`` are its own."""
    names = {value.name for line in lines for value in line.values}
    definitions = await uow.custom_fields.by_names(kind.line, names)
    for index, line in enumerate(lines):
        at = f"lines[{index}]"
        if line.line_id not in line_ids:
            raise InvalidRequestError(
                f"{kind.name} {document_id} has no line {line.line_id}", field=f"{at}.line_id"
            )
        kept = check_values(definitions, line.values, field=f"{at}.custom_fields")
        await _write(uow, kind.line, line.line_id, kept)


async def fields_of(
    uow: ReadUnitOfWork, kind: DocumentKind, documents: Sequence[tuple[int, Sequence[int]]]
) -> list[DocumentFields]:
    """The values of each ``(document id, its line ids)`` and of its lines: one statement."""
    if not documents:
        return []
    async with uow:
        found = await uow.attributes.of_owners(
            {
                kind.own: [document_id for document_id, _ in documents],
                kind.line: [line_id for _, line_ids in documents for line_id in line_ids],
            }
        )
    lines = found[kind.line]
    return [
        DocumentFields(
            found[kind.own].get(document_id, []),
            {line_id: lines[line_id] for line_id in line_ids if line_id in lines},
        )
        for document_id, line_ids in documents
    ]


async def _write(
    uow: UnitOfWork, owner: OwnerType, owner_id: int, kept: Sequence[FieldValue]
) -> None:
    """Store checked values on one owner and record the change."""
    written = [Attribute(v.name, v.value) for v in kept if v.value is not None]
    if written:
        await uow.attributes.set_on_many(owner, [owner_id], written)
    await uow.attributes.remove_names(owner, owner_id, [v.name for v in kept if v.value is None])
    await uow.events.record(
        "custom_fields_set", owner.value, owner_id, {"names": [v.name for v in kept]}
    )
