"""Every write operation of both dialects was seen succeeding, and leaving an event.

Collected after both dialects' end-to-end tests (pytest walks a folder in name order:
``orderdynamics/``, ``shipedge/``, then this file), whose requests ``event_walk.EventWitness``
watched. Only meaningful when the session ran all of them, so it is skipped otherwise.
"""

from pathlib import Path

import pytest

from orderyard.app import create_app
from orderyard.settings import DatabaseSettings, Settings
from tests.dialects import event_walk

HERE = Path(__file__).parent
DIALECT_TESTS = ("orderdynamics", "shipedge")


def ran_every_dialect_test(session: pytest.Session) -> bool:
    """Whether this session collected every test file of both dialects, unfiltered."""
    if session.config.option.keyword or session.config.option.markexpr:
        return False
    ran = {Path(str(item.path)) for item in session.items}
    wanted = {path for name in DIALECT_TESTS for path in (HERE / name).glob("test_*.py")}
    return wanted <= ran


def test_every_write_operation_succeeded_and_left_an_event(
    request: pytest.FixtureRequest, db_url: str
) -> None:
    if not ran_every_dialect_test(request.session):
        pytest.skip("the walk needs every end-to-end test of both dialects in the session")
    app = create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=1)))
    operations = set(event_walk.write_operations(app.routes))

    never_seen = sorted(operations - event_walk.seen)

    assert never_seen == [], "write operations no end-to-end test saw succeed"
