"""``orderyard worker``: run bulk jobs, send webhooks and e-mails, without serving HTTP."""

import asyncio
import signal
from datetime import timedelta
from typing import Annotated

import typer

from orderyard.cli.common import database_errors, load_settings, prepare_database
from orderyard.dialects.webhooks import RENDERERS
from orderyard.services import worker as worker_service
from orderyard.services.webhook_delivery import WebhookSender, lease_like_jobs
from orderyard.store.engine import create_engines


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run the jobs waiting now, then exit.")
    ] = False,
) -> None:
    """Run bulk jobs (BulkOnhand) until stopped (SIGINT or SIGTERM).

    Any number of workers may run against PostgreSQL: each job runs in one at a time. A
    worker that stops finishes its current operation and leaves the job to the next one.
    """
    settings = load_settings()
    prepare_database(settings)
    lease = timedelta(seconds=settings.job_lease_seconds)

    async def _main() -> int:
        engines = create_engines(
            settings.database.url,
            pool_size=2,
            prepared_statements=settings.database.prepared_statements,
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            if once:
                return await worker_service.run_pending(engines, lease=lease, stop=stop)
            await worker_service.work(
                engines,
                stop=stop,
                poll_seconds=settings.job_poll_seconds,
                lease=lease,
                webhooks=WebhookSender(RENDERERS, lease=lease_like_jobs(lease)),
                emails=settings.smtp.sender(),
            )
            return 0
        finally:
            await engines.dispose()

    with database_errors():
        ran = asyncio.run(_main())
    if once:
        typer.echo(f"{ran} jobs run")
