"""Wire types every dialect shares: integers bounded by the columns that hold them.

A number the database cannot hold must be refused at the edge, naming its field, and not
fail as an overflow inside a statement (a 500 with a traceback). The bounds appear in the
OpenAPI documents as ``minimum``/``maximum``, so a client can see them.

Body integers are strict: a JSON number without a fraction, never ``true`` (Pydantic's lax
mode takes ``true`` as ``1``), ``"5"`` or ``5.0``; the vendors document them as integers.
A validator refusing only booleans would wrap the integer schema, and the bounds written on
top of it would leave the OpenAPI document as raw ``le``/``ge`` keys instead of
``maximum``/``minimum``. Query and path parameters arrive as text and use ``QueryId``.
"""

from typing import Annotated

from pydantic import Field

from orderyard.domain.values import COUNT_MAX, ID_MAX

Integer = Annotated[int, Field(strict=True)]
"""A JSON integer; every bounded type below builds on it."""

Count = Annotated[Integer, Field(ge=0, le=COUNT_MAX)]
"""A quantity, priority or type number: what an INTEGER column holds, never negative."""

Id = Annotated[Integer, Field(ge=1, le=ID_MAX)]
"""A record's id (a BIGINT column)."""

IdOrZero = Annotated[Integer, Field(ge=0, le=ID_MAX)]
"""An id where the vendor sends ``0`` for "none"."""

PAGE_MAX = COUNT_MAX
"""Highest page number a list accepts: its offset stays far inside a BIGINT."""
