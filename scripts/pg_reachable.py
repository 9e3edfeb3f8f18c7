"""Exit 0 when the PostgreSQL server of the given URL accepts connections, else 1."""

import asyncio
import sys

import asyncpg
from sqlalchemy.engine import make_url


async def reachable(url: str) -> bool:
    """Try one connection to the server's ``test`` database within five seconds."""
    parsed = make_url(url)
    try:
        conn = await asyncpg.connect(
            host=parsed.host,
            port=parsed.port or 5432,
            user=parsed.username,
            database="test",
            timeout=5,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(reachable(sys.argv[1])) else 1)
