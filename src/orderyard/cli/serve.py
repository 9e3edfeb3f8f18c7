"""``orderyard serve``: migrate SQLite if needed, create the demo account, serve HTTP."""

from typing import Annotated

import typer
import uvicorn

from orderyard.cli.common import run, system, tenant
from orderyard.services import account as account_service
from orderyard.services import location as location_service
from orderyard.settings import Settings
from orderyard.store import migrate
from orderyard.store.engine import Engines

DEMO_LOCATION = location_service.CreateLocation(
    code="DC-CODE", name="Demo distribution center", priority=1
)
"""The seed's own example code, so that its examples work against the demo account."""


def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Processes (PostgreSQL).")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Create a demo account on first start.")
    ] = False,
) -> None:
    """Serve the API. On SQLite, pending migrations are applied first."""
    settings = Settings()
    if settings.is_sqlite:
        migrate.upgrade(settings.database.url)
        if workers != 1:
            raise typer.BadParameter("SQLite serves from one process", param_hint="--workers")
    if demo:
        run(_ensure_demo_account)
    uvicorn.run(
        "orderyard.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


async def _ensure_demo_account(engines: Engines) -> None:
    existing = await account_service.first_account(system(engines))
    if existing is not None:
        typer.echo(
            f"Demo account exists: AccountID {existing}. Its key was shown on first start;"
            f" `orderyard keys rotate --account {existing}` issues a new one."
        )
        return
    created = await account_service.create_account(system(engines), "Demo")
    await location_service.create_location(tenant(engines, created.account_id), DEMO_LOCATION)
    typer.echo(
        "Demo account created (the key is shown only now):\n"
        f"  AccountID: {created.account_id}\n  Key: {created.key}\n"
        f"  Distribution center: {DEMO_LOCATION.code}"
    )
