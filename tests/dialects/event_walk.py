"""The event-log walk (issue 17): every write endpoint of both dialects leaves an event.

Rather than a second, thinner copy of every endpoint's happy path, the walk rides on the
end-to-end tests themselves: both dialects' HTTP clients serve the app through
``EventWitness``, which, around every write that succeeds (a POST, PUT, PATCH or DELETE to a
route that takes a write unit of work, answered 2xx), checks that the account's event log
grew, and fails the request's test when it did not. ``test_event_walk.py``, collected after
both dialects' tests, then checks that every write operation of both OpenAPI documents was
seen succeeding at least once in the session: a new endpoint without an end-to-end test
that succeeds, or whose success records nothing, fails the suite.

A write that changes nothing (choosing the strategy already chosen) rightly records nothing;
its test says so with ``expecting_no_event()``.

The witness reads the log on an engine of its own, so that the statements it sends are not
counted as the app's (``tests/statements.py`` listens on the app's engine).

The route is read from the template ``http/metrics.RouteTemplates`` leaves in its slot of the
scope: a dialect's middleware may pass a copy of the scope on, and the route set on the copy
would not be seen here.

While two requests are in flight on one app (the race tests), the log's growth cannot be
attributed to one of them: such requests are counted as seen but not checked.
"""

import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderyard.http.metrics import SLOT
from orderyard.http.route_index import flattened
from orderyard.store.tables import events
from orderyard.store.uow import UnitOfWork

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_no_event_expected: ContextVar[bool] = ContextVar("no_event_expected", default=False)

seen: set[tuple[str, str]] = set()
"""(method, path template) of every write seen succeeding in this session."""


def takes_write_uow(dependant: Dependant) -> bool:
    """Whether a route's dependencies hand it a write unit of work."""

    def returns_write_uow(sub: Dependant) -> bool:
        if sub.call is None:
            return False
        annotation = inspect.signature(sub.call).return_annotation
        return isinstance(annotation, type) and issubclass(annotation, UnitOfWork)

    return any(returns_write_uow(sub) or takes_write_uow(sub) for sub in dependant.dependencies)


def write_operations(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, full path template) of every documented write operation among ``routes``,
    those of mounted apps (the dialects) included."""
    for route in flattened(routes):
        if isinstance(route, Mount):
            yield from write_operations(route.routes, prefix + route.path)
        elif hasattr(route, "original_router"):  # FastAPI >= 0.165 keeps included routers
            included = prefix + route.include_context.prefix
            yield from write_operations(route.original_router.routes, included)
        elif (
            isinstance(route, APIRoute)
            and route.include_in_schema
            and takes_write_uow(route.dependant)
        ):
            for method in sorted((route.methods or set()) & WRITE_METHODS):
                yield method, prefix + route.path


@contextmanager
def expecting_no_event() -> Iterator[None]:
    """The writes sent inside the block change nothing, so they need not record an event."""
    token = _no_event_expected.set(True)
    try:
        yield
    finally:
        _no_event_expected.reset(token)


class EventWitness:
    """An ASGI wrapper that checks each successful write grew the event log."""

    def __init__(self, app: ASGIApp, engine: AsyncEngine) -> None:
        self.app = app
        self._engine = engine
        self._writes = set(write_operations(getattr(app, "routes", [])))
        self._in_flight = 0
        self._started = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        self._in_flight += 1
        self._started += 1
        mark = self._started
        alone = self._in_flight == 1
        try:
            before = await self._last_event() if alone else 0
            status = 0

            async def sending(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            await self.app(scope, receive, sending)
            alone = alone and self._started == mark
        finally:
            self._in_flight -= 1
        slot = scope.get(SLOT) or [None]  # the route's template, filled inside the dialect
        key = (scope["method"], slot[-1])
        if not (200 <= status < 300 and key in self._writes):
            return
        path = key[1]
        seen.add(key)
        if alone and not _no_event_expected.get() and await self._last_event() <= before:
            message = f"{scope['method']} {path} answered {status} and recorded no event"
            raise AssertionError(message)

    async def _last_event(self) -> int:
        async with self._engine.connect() as conn:
            last = await conn.scalar(select(func.coalesce(func.max(events.c.id), 0)))
        return int(last or 0)


@asynccontextmanager
async def witnessed(app: FastAPI) -> AsyncIterator[EventWitness]:
    """``app`` behind the witness, reading the app's database on an engine of its own."""
    engine = create_async_engine(app.state.orderyard.engines.write.url, pool_size=1)
    try:
        yield EventWitness(app, engine)
    finally:
        await engine.dispose()
