"""Let the tests take a streaming replica of the local test PostgreSQL (``make scale-tools``).

A replica is made with ``pg_basebackup``, which connects for *replication*; ``pg_hba.conf``
rules for ``all`` databases do not cover it. When the server at the given URL runs on this
machine, trusts 127.0.0.1 already (as the development and CI machines do), and has no
replication rule for it, this appends ``host replication all 127.0.0.1/32 trust`` to its
``pg_hba.conf`` and reloads it. It grants nothing the trust rule does not: any local user can
already read every database. Exit 0 when replication is allowed (or now is), else 1 and why.
"""

import asyncio
import sys
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

RULE = "host replication all 127.0.0.1/32 trust"
LOCAL_HOSTS = {"127.0.0.1", "localhost", None}


async def allow(url: str) -> str | None:
    """None when replication from 127.0.0.1 is allowed at the end, else why not."""
    parsed = make_url(url)
    if parsed.host not in LOCAL_HOSTS:
        return f"{parsed.host} is not this machine"
    try:
        conn = await asyncpg.connect(
            host="127.0.0.1", port=parsed.port or 5432, user=parsed.username, database="test"
        )
    except (OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL is not reachable: {error}"
    try:
        rules = await conn.fetch(
            "SELECT database, address, auth_method FROM pg_hba_file_rules WHERE error IS NULL"
        )
        if any("replication" in (r["database"] or []) for r in rules):
            return None
        hba = Path(await conn.fetchval("SHOW hba_file"))
        with hba.open("a") as rules_file:
            rules_file.write(f"\n# added by Orderyard's make scale-tools\n{RULE}\n")
        await conn.execute("SELECT pg_reload_conf()")
        return None
    except (OSError, asyncpg.PostgresError) as error:
        return f"could not allow replication: {error}"
    finally:
        await conn.close()


if __name__ == "__main__":
    reason = asyncio.run(allow(sys.argv[1]))
    if reason is not None:
        print(f"replication from 127.0.0.1 not allowed: {reason}")
    sys.exit(0 if reason is None else 1)
