"""The core's field names and nouns in ShipEdge's words: the one table errors go through.

Services and the domain name the field at fault in the core's vocabulary (``location``,
``kit``, ``lines[2].sku``, ``channel``) and write their messages with the core's nouns.
ShipEdge calls the same things ``distribution_center``, ``synset``, ``items[2].sku`` and
``cart.store_name``; every error the dialect answers (``errors.domain_error_response`` and
the per-item results of bulk calls) passes through ``wire_field`` and ``wire_message`` here,
the way ``mappers/order.py`` maps status words.
"""

import re
from collections.abc import Mapping
from typing import Final, Literal

FIELDS: Final[Mapping[str, str]] = {
    "location": "distribution_center",
    "kit": "synset",
    "item": "product",
    "lines": "items",
    "components": "items",
    "channel": "cart.store_name",
    "channel.id": "cart.id",
    "owner": "owner_id",
}
"""Core field (one or more leading names of a path) -> ShipEdge's name for it."""

Scope = Literal["alias", "return"]
"""A resource where ShipEdge names a core field differently from everywhere else."""

SCOPED: Final[Mapping[Scope, Mapping[str, str]]] = {
    "alias": {"channel.id": "channel_id"},
    "return": {"order": "order_id"},
}
"""ShipEdge names an alias's channel ``channel_id`` (an order's is ``cart.id``), and a
return's order ``order_id`` (an order or manufacture order in a path is ``{order}``)."""

ROUTES: Final[Mapping[str, Scope]] = {
    "/inventory/aliases": "alias",
    "/inventory/returns": "return",
}
"""The routes, by path prefix, whose errors are in a scope (``errors.domain_error_response``)."""

WORDS: Final[Mapping[str, str]] = {
    "location": "distribution center",
    "locations": "distribution centers",
    "kit": "synset",
    "kits": "synsets",
    "an item": "a product",
    "item": "product",
    "a component": "an item",
    "component": "item",
    "components": "items",
    "channel named": "store",
}
"""Core noun -> ShipEdge's, in messages (one pass: a component becomes an item, not a product)."""

_LONGEST: Final = max(key.count(".") + 1 for key in FIELDS)
_SEGMENT: Final = re.compile(r"([^\[\]]+)((?:\[\d+\])*)")
_QUOTED: Final = re.compile(r"""('[^']*'|"[^"]*")""")
_WORD: Final = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)) + r")\b"
)


def wire_field(path: str | None, scope: Scope | None = None) -> str | None:
    """ShipEdge's path for a core field path: ``lines[2].sku`` is ``items[2].sku``.

    Each run of names is looked up, longest first (``channel.id`` before ``channel``); an
    index stays where it was. A name the table does not know passes through unchanged.
    """
    if path is None:
        return None
    table = {**FIELDS, **SCOPED[scope]} if scope is not None else FIELDS
    parts = [_split(part) for part in path.split(".")]
    out: list[str] = []
    at = 0
    while at < len(parts):
        for size in range(min(_LONGEST, len(parts) - at), 0, -1):
            run = parts[at : at + size]
            key = ".".join(name for name, _ in run)
            if key in table and not any(index for _, index in run[:-1]):
                out.append(table[key] + run[-1][1])
                at += size
                break
        else:
            out.append("".join(parts[at]))
            at += 1
    return ".".join(out)


def scope_of(route: str) -> Scope | None:
    """The scope of a route's errors, from its path template (``/inventory/aliases/{alias}``)."""
    return next((scope for prefix, scope in ROUTES.items() if route.startswith(prefix)), None)


def wire_message(message: str) -> str:
    """A core message in ShipEdge's nouns; quoted values (SKUs, codes) are left as they are."""
    pieces = _QUOTED.split(message)
    return "".join(
        piece if index % 2 else _WORD.sub(lambda m: WORDS[m.group(1)], piece)
        for index, piece in enumerate(pieces)
    )


def _split(part: str) -> tuple[str, str]:
    """A path segment as its name and its indexes: ``lines[2]`` is ``("lines", "[2]")``."""
    match = _SEGMENT.fullmatch(part)
    return (match.group(1), match.group(2)) if match else (part, "")
