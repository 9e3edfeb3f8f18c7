"""The outside programs the scale-out tests start, and what happens when one is missing.

``make scale-tools`` (run by ``make test``) installs Debian's ``pgbouncer`` and ``haproxy``
and allows replication from 127.0.0.1. Without one of them the tests that need it skip saying
why, unless ``ORDERYARD_REQUIRE_SCALE`` is set (``.ci/run`` sets it): then they fail, as the
browser tests do.
"""

import os
import shutil
from pathlib import Path

import pytest

REQUIRED = "ORDERYARD_REQUIRE_SCALE"
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
"""The server's own programs (``postgres``, ``pg_basebackup``, ``pg_ctl``) on Debian."""


def program(name: str) -> Path | None:
    """Where ``name`` is on this machine (``PATH``, ``/usr/sbin``, PostgreSQL's bin), or None."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found:
        return Path(found)
    candidate = POSTGRES_BIN / name
    return candidate if candidate.exists() else None


def require(*names: str) -> dict[str, Path]:
    """The programs ``names``; skip the test when one is missing, or fail when they are required."""
    found = {name: program(name) for name in names}
    missing = sorted(name for name, path in found.items() if path is None)
    if missing:
        why = f"{', '.join(missing)} missing (make scale-tools installs them)"
        if os.environ.get(REQUIRED):
            pytest.fail(f"the scale-out tests are required ({REQUIRED}) but cannot run: {why}")
        pytest.skip(why)
    return {name: path for name, path in found.items() if path is not None}


def unavailable(why: str) -> None:
    """A program is installed but could not start: always a failure, never a skip."""
    pytest.fail(f"the scale-out set-up could not start: {why}")
