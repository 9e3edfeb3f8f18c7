"""``orderyard serve``: check the database (migrate SQLite), create the demo account, serve HTTP."""

from typing import Annotated

import typer
import uvicorn

from orderyard.cli.common import load_settings, prepare_database, run
from orderyard.cli.demo import ensure_demo_account
from orderyard.http.logs import logging_config


def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Processes (PostgreSQL).")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Create a demo account on first start.")
    ] = False,
) -> None:
    """Serve the API. On SQLite, pending migrations are applied first.

    Logs are JSON lines on standard error, with the trace id (``http/logs.py``). A
    PostgreSQL database that is unreachable or not at the code's migration head is
    refused before the server starts (``orderyard db upgrade`` migrates it).
    """
    settings = load_settings()
    if settings.is_sqlite and workers != 1:
        raise typer.BadParameter("SQLite serves from one process", param_hint="--workers")
    prepare_database(settings)
    if demo:
        console_url = f"http://{host}:{port}/console"
        run(lambda engines: ensure_demo_account(engines, console_url=console_url))
    uvicorn.run(
        "orderyard.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=logging_config(),
    )
