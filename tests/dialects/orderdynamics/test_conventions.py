"""The dialect's conventions, piece by piece (the HTTP tests exercise them end to end)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.dialects.orderdynamics.app import create_app
from orderyard.dialects.orderdynamics.auth import QUERY_KEY
from orderyard.dialects.orderdynamics.fields import wire_field
from orderyard.dialects.orderdynamics.query_names import canonical_query_names, rename_keys
from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.http.openapi import operations
from orderyard.http.route_index import flattened

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Line(WireIn):
    sku: str
    location_internal_name: str
    quantity: int


class Body(WireIn):
    items: list[Line]
    unit_price: Decimal = Decimal(0)


class Shown(WireOut):
    location_internal_name: str
    created_date_time_utc: str


@pytest.mark.parametrize("sku_key", ["Sku", "sku", "SKU", "sKu"])
def test_property_names_match_in_any_case_at_every_depth(sku_key: str) -> None:
    body = Body.model_validate(
        {
            "ITEMS": [{sku_key: "A-1", "locationinternalname": "WH1", "Quantity": 10}],
            "unitPrice": "1.50",
            "Unknown": "ignored",
        }
    )

    assert body.items[0].sku == "A-1"
    assert body.items[0].location_internal_name == "WH1"
    assert body.unit_price == Decimal("1.50")


def test_answers_are_pascal_case() -> None:
    shown = Shown(location_internal_name="WH1", created_date_time_utc="2026-12-04T00:00:00Z")

    assert shown.model_dump(by_alias=True) == {
        "LocationInternalName": "WH1",
        "CreatedDateTimeUtc": "2026-12-04T00:00:00Z",
    }


@pytest.mark.parametrize(
    ("core", "wire"),
    [
        ("location", "LocationInternalName"),
        ("lines[2].sku", "OrderDetails[2].Sku"),
        ("items[0].location", "Items[0].LocationInternalName"),
        ("address.postal_code", "Address.PostalCode"),
        (None, None),
    ],
)
def test_core_fields_are_named_in_the_dialects_words(core: str | None, wire: str | None) -> None:
    assert wire_field(core) == wire


TABLE = {"internalorderid": "internalOrderId", "pagesize": "pageSize"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"INTERNALORDERID=1&pagesize=5", b"internalOrderId=1&pageSize=5"),
        (b"internalOrderId=1", b"internalOrderId=1"),
        (b"other=X&PageSize=%41b", b"other=X&pageSize=%41b"),
        (b"flag&internalorderid", b"flag&internalOrderId"),
    ],
)
def test_query_keys_take_their_declared_spelling_and_values_stay_as_sent(
    query: bytes, expected: bytes
) -> None:
    assert rename_keys(query, TABLE) == expected


def test_a_query_already_in_its_declared_spelling_is_not_copied() -> None:
    query = b"internalOrderId=1&pageSize=2"

    assert rename_keys(query, TABLE) is query


@given(st.binary(max_size=60))
def test_any_query_string_is_renamed_without_failing(query: bytes) -> None:
    renamed = rename_keys(query, TABLE)

    assert renamed.count(b"&") == query.count(b"&")


def test_the_query_names_read_from_the_routes_are_those_the_document_declares() -> None:
    app = create_app()
    document = app.openapi()
    documented: dict[str, str] = {}
    for _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                documented.setdefault(parameter["name"].lower(), parameter["name"])
    for scheme in document["components"]["securitySchemes"].values():
        if scheme.get("in") == "query":
            documented.setdefault(scheme["name"].lower(), scheme["name"])

    assert canonical_query_names(flattened(app.routes), QUERY_KEY.model.name) == documented
    assert documented["subscription-key"] == "subscription-key"
