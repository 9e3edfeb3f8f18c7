"""The one table from the core's field names and nouns to ShipEdge's (dialects/shipedge/fields)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.dialects.shipedge.fields import (
    FIELDS,
    SCOPED,
    Scope,
    scope_of,
    wire_field,
    wire_message,
)


@pytest.mark.parametrize(
    ("core", "scope", "shipedge"),
    [
        ("location", None, "distribution_center"),
        ("kit", None, "synset"),
        ("item", None, "product"),
        ("lines", None, "items"),
        ("lines[2].sku", None, "items[2].sku"),
        ("lines[0].quantity", None, "items[0].quantity"),
        ("components[1].sku", None, "items[1].sku"),
        ("channel", None, "cart.store_name"),
        ("channel.id", None, "cart.id"),
        ("owner", None, "owner_id"),
        ("channel.id", "alias", "channel_id"),
        ("location", "alias", "distribution_center"),
        ("order", "return", "order_id"),
        ("lines[0].sku", "return", "items[0].sku"),
        ("order", None, "order"),
    ],
)
def test_each_core_field_has_shipedges_name(core: str, scope: Scope | None, shipedge: str) -> None:
    assert wire_field(core, scope) == shipedge


def test_every_row_of_the_table_is_tested_above() -> None:
    rows = {(core, None) for core in FIELDS} | {
        (core, scope) for scope, table in SCOPED.items() for core in table
    }

    assert rows == {
        ("location", None),
        ("kit", None),
        ("item", None),
        ("lines", None),
        ("components", None),
        ("channel", None),
        ("channel.id", None),
        ("owner", None),
        ("channel.id", "alias"),
        ("order", "return"),
    }


def test_no_field_is_none() -> None:
    assert wire_field(None) is None


@given(
    index=st.integers(min_value=0, max_value=10**6),
    leaf=st.sampled_from(["sku", "quantity", "received", "unit_price"]),
    scope=st.sampled_from([None, "alias", "return"]),
)
def test_any_line_path_is_an_items_path(index: int, leaf: str, scope: Scope | None) -> None:
    assert wire_field(f"lines[{index}].{leaf}", scope) == f"items[{index}].{leaf}"


NAMES = st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(
    lambda name: name not in {"location", "kit", "item", "lines", "components", "channel", "owner"}
)


@given(
    names=st.lists(NAMES, min_size=1, max_size=4),
    indexes=st.lists(st.integers(min_value=0, max_value=99), min_size=4, max_size=4),
    indexed=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_an_unknown_path_passes_through_unchanged(
    names: list[str], indexes: list[int], indexed: list[bool]
) -> None:
    path = ".".join(
        f"{name}[{index}]" if flag else name
        for name, index, flag in zip(names, indexes, indexed, strict=False)
    )

    assert wire_field(path) == path


@given(
    rest=st.lists(
        st.tuples(st.sampled_from(["sku", "quantity", "code", "zip"]), st.integers(-1, 99)),
        max_size=3,
    )
)
def test_a_known_name_changes_and_what_follows_it_does_not(rest: list[tuple[str, int]]) -> None:
    tail = "".join(f".{name}" if index < 0 else f".{name}[{index}]" for name, index in rest)

    assert wire_field(f"location{tail}") == f"distribution_center{tail}"


@pytest.mark.parametrize(
    ("core", "shipedge"),
    [
        ("location 'DC-9' is not registered", "distribution center 'DC-9' is not registered"),
        ("location 7 not found", "distribution center 7 not found"),
        ("kit 'KIT' cannot contain itself", "synset 'KIT' cannot contain itself"),
        ("kit 'B' not found", "synset 'B' not found"),
        (
            "SKU 'BUNDLE-001' is a kit; kits cannot contain kits",
            "SKU 'BUNDLE-001' is a synset; synsets cannot contain synsets",
        ),
        ("a kit needs at least one component", "a synset needs at least one item"),
        (
            "kit 'B' already exists; PATCH replaces its components",
            "synset 'B' already exists; PATCH replaces its items",
        ),
        ("item 'NOPE' not found", "product 'NOPE' not found"),
        (
            "item 'BOX' cannot become a kit: it is a component of a kit",
            "product 'BOX' cannot become a synset: it is an item of a synset",
        ),
        (
            "alias 'X' is already a SKU; an alias cannot shadow an item",
            "alias 'X' is already a SKU; an alias cannot shadow a product",
        ),
        ("channel named 'Web' is not registered", "store 'Web' is not registered"),
        ("channel id 999 is not registered", "channel id 999 is not registered"),
        (
            "the location cannot change once units were received",
            "the distribution center cannot change once units were received",
        ),
        ("unknown SKU 'NOPE'", "unknown SKU 'NOPE'"),
    ],
)
def test_a_core_message_reads_in_shipedges_nouns(core: str, shipedge: str) -> None:
    assert wire_message(core) == shipedge


@pytest.mark.parametrize("value", ["'kit'", "'location 1'", '"item\'s kit"', "'components'"])
def test_quoted_values_are_never_translated(value: str) -> None:
    assert wire_message(f"kit {value} not found") == f"synset {value} not found"


@pytest.mark.parametrize(
    ("route", "scope"),
    [
        ("/inventory/aliases", "alias"),
        ("/inventory/aliases/{alias:path}", "alias"),
        ("/inventory/returns/{return}", "return"),
        ("/orders/{order}", None),
        ("", None),
    ],
)
def test_a_routes_errors_take_its_scope(route: str, scope: Scope | None) -> None:
    assert scope_of(route) == scope
