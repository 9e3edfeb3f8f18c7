"""``RouteIndex`` chooses the route Starlette's scan of the same routes would choose."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Match, Route

from orderyard.dialects.orderdynamics.app import create_app
from orderyard.http.route_index import CHOSEN, RouteIndex, flattened

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

APP = create_app()
[INDEX] = [route for route in APP.routes if isinstance(route, RouteIndex)]
ROUTES: list[Route] = INDEX.routes
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def scanned(scope: dict[str, Any]) -> tuple[Match, Route | None]:
    """What Starlette's router does: the first full match, else the first partial one."""
    partial = None
    for route in ROUTES:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return match, route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return (Match.NONE, None) if partial is None else (Match.PARTIAL, partial)


def indexed(scope: dict[str, Any]) -> tuple[Match, Route | None]:
    match, child_scope = INDEX.matches(scope)
    return match, child_scope.get(CHOSEN)


def scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": ""}


@st.composite
def paths(draw: st.DrawFn) -> str:
    """A declared path in any case, its parameters filled, with or without slashes; or noise."""
    route = draw(st.sampled_from(ROUTES))
    path = route.path
    for name in route.param_convertors:
        value = draw(st.from_regex(r"[A-Za-z0-9-]{1,8}", fullmatch=True))
        path = path.replace(f"{{{name}}}", value)
    cased = "".join(draw(st.sampled_from(spellings(c))) for c in path)
    tail = draw(st.sampled_from(("", "/", "//", "x", "/x")))
    return draw(st.sampled_from((cased + tail, path + tail, cased)))


FOLDED = {"s": "\u017f", "k": "\u212a", "i": "\u0130"}
"""Characters that case-insensitive matching takes for an ASCII letter: long s, Kelvin sign,
capital I with a dot (``str.lower`` does not give the letter back for the first two)."""


def spellings(char: str) -> tuple[str, ...]:
    return (char.lower(), char.upper(), *([FOLDED[char.lower()]] if char.lower() in FOLDED else []))


@settings(max_examples=400, deadline=None)
@given(method=st.sampled_from(METHODS), path=paths())
def test_the_index_chooses_what_the_scan_would(method: str, path: str) -> None:
    assert indexed(scope(method, path)) == scanned(scope(method, path))


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/v1/orders", Match.FULL),
        ("GET", "/V1/ORDERS/", Match.FULL),
        ("PATCH", "/v1/orders", Match.PARTIAL),
        ("GET", "/v1/orders//", Match.NONE),
        ("GET", "/v1/nowhere", Match.NONE),
        ("GET", "/v1/order\u017f", Match.FULL),
    ],
)
def test_the_examples_match_as_expected_and_as_scanned(
    method: str, path: str, expected: Match
) -> None:
    match, _ = indexed(scope(method, path))

    assert match is expected
    assert indexed(scope(method, path)) == scanned(scope(method, path))


def test_every_route_is_indexed_once_and_flattened_back() -> None:
    assert len({id(route) for route in ROUTES}) == len(ROUTES) > 100
    assert [r for r in flattened(APP.routes) if r in ROUTES] == ROUTES
