"""What every tenant-scoped piece of the store holds: its connection and its account."""

from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.values import AccountId


class TenantScoped:
    """Bound to one connection and one account; every statement it runs is scoped to it."""

    def __init__(self, conn: AsyncConnection, account_id: AccountId) -> None:
        self.conn = conn
        self.account_id = account_id
