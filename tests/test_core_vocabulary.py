"""The core speaks its own words: no service or domain error names a field or thing ShipEdge's way.

Each dialect maps the core's names to its own (dialects/shipedge/fields.py); a ShipEdge name
coming back into a ``...Error(...)`` of the core would reach the OrderDynamics dialect too.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "orderyard"
CORE = sorted([*(SRC / "domain").rglob("*.py"), *(SRC / "services").rglob("*.py")])

SHIPEDGE_FIELDS = frozenset(
    {
        "distribution_center",
        "distribution_center_id",
        "synset",
        "prod_identifier",
        "items",
        "cart",
        "store_name",
        "order_id",
        "location_id",
        "channel_id",
        "owner_id",
        "shipment_id",
    }
)
"""ShipEdge's names (or an ``_id`` spelling) for what the core calls location, kit, item,
lines/components, channel, order, owner and shipment.

``product`` is not among them any more: since issue 17 the core has a Product of its own
(DESIGN.md: the style or family that groups items, OrderDynamics' word), so the word is
the core's. ShipEdge's product is the core's item, and its mappers say so field by field."""

SHIPEDGE_WORDS = re.compile(r"\b(distribution centers?|synsets?|store|cart)\b")


def _text(node: ast.expr) -> str:
    """The literal text of a string or f-string, with ``{}`` for what is interpolated."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _text(part) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return ""


def _errors(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, message text, field text) of every ``...Error(...)`` raised in a source file."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if not name.endswith("Error"):
            continue
        message = _text(node.args[0]) if node.args else ""
        field = next((_text(k.value) for k in node.keywords if k.arg == "field"), "")
        yield node.lineno, message, field


def _segments(field: str) -> set[str]:
    return {re.sub(r"\[.*?\]", "", part) for part in field.split(".")}


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_no_core_error_names_a_field_shipedges_way(path: Path) -> None:
    found = [
        (line, field) for line, _, field in _errors(path) if _segments(field) & SHIPEDGE_FIELDS
    ]

    assert found == []


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_no_core_error_message_uses_shipedges_nouns(path: Path) -> None:
    found = [
        (line, message) for line, message, _ in _errors(path) if SHIPEDGE_WORDS.search(message)
    ]

    assert found == []


def test_the_scan_sees_the_errors_it_looks_for(tmp_path: Path) -> None:
    source = tmp_path / "leak.py"
    source.write_text(
        'raise NotFoundError(f"synset {sku!r} not found", field="synset")\n'
        'raise InvalidRequestError("x", field=f"items[{i}].sku")\n'
        'raise InvalidRequestError(f"store {name!r} is not registered", field="cart.store_name")\n'
    )

    errors = list(_errors(source))

    assert [_segments(field) & SHIPEDGE_FIELDS for _, _, field in errors] == [
        {"synset"},
        {"items"},
        {"cart", "store_name"},
    ]
    assert [bool(SHIPEDGE_WORDS.search(message)) for _, message, _ in errors] == [True, False, True]
