"""What the hypothesis state machines over the services share: a fresh account on one loop.

Each run of a machine gets a new account of the test's database (``fresh_account``) and an
event loop of its own, since hypothesis drives rules synchronously; every rule runs its
coroutines on that loop with ``run``.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any, ClassVar, TypeVar

from hypothesis.stateful import RuleBasedStateMachine

from orderyard.domain.errors import DomainError
from orderyard.domain.values import AccountId
from orderyard.store.uow import UnitOfWork
from tests.services.checks import fresh_account

T = TypeVar("T")


class ServiceMachine(RuleBasedStateMachine):
    """A state machine over the services of one fresh account with ``LOCATIONS`` and ``SKUS``."""

    db_url: str = ""
    LOCATIONS: ClassVar[tuple[str, ...]] = ()
    SKUS: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.account = fresh_account(self.db_url, self.LOCATIONS, self.SKUS)
        self.engines, self.account_id = self.run(self.account.__aenter__())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engines.write, AccountId(self.account_id), actor="machine")

    def teardown(self) -> None:
        try:
            self.run(self.account.__aexit__(None, None, None))
        finally:
            self.loop.close()

    def attempt(self, coroutine: Coroutine[Any, Any, object]) -> bool:
        """Run a use case the rules may legitimately see refused; whether it was applied."""
        try:
            self.run(coroutine)
        except DomainError:
            return False
        return True
