"""The operators' endpoints, at the server's root: ``/healthz``, ``/readyz``, ``/metrics``.

- ``/healthz``: 200 while the process serves HTTP; touches nothing else.
- ``/readyz``: 200 when the database answers and its schema is at the code's migration head
  (``alembic_version`` against the scripts' head), else 503 saying which. Load balancers
  send traffic only to a ready process.
- ``/metrics``: Prometheus' text format. Counters and histograms are this process's
  (``http/metrics.py``, ``kit/metrics.py``); the queue gauges are read from the database at
  scrape time (``store/queries/operations.py``: two indexed aggregates), NaN when it does
  not answer.

None of them takes a key: they say nothing about any account's data (put ``/metrics``
behind the network's access rules if its route names and counts are private).
"""

import asyncio
import math
from functools import cache

from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from orderyard.http.deps import system_uow
from orderyard.services import operations
from orderyard.store import migrate

READY_TIMEOUT_SECONDS = 2.0
JOBS_QUEUED = Gauge("orderyard_jobs_queued", "Bulk jobs waiting for a worker (at scrape).")
JOBS_OLDEST = Gauge(
    "orderyard_jobs_oldest_queued_seconds", "Age of the oldest waiting bulk job (0: none)."
)
DELIVERIES_PENDING = Gauge(
    "orderyard_webhook_deliveries_pending", "Webhook deliveries not yet delivered nor given up."
)
DELIVERIES_OLDEST = Gauge(
    "orderyard_webhook_deliveries_oldest_pending_seconds",
    "Age of the oldest pending webhook delivery (0: none).",
)


@cache
def migration_head() -> str | None:
    """The code's migration head, read from the scripts once per process."""
    return migrate.head()


async def healthz(_: Request) -> Response:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The database answers and is at the migration head."""
    head = migration_head()
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            revision = await operations.schema_revision(system_uow(request))
    except Exception as error:
        reason = f"database unreachable: {type(error).__name__}"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    if revision != head:
        reason = f"database at migration {revision}, the code at {head}"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready", "migration": revision})


async def metrics(request: Request) -> Response:
    """Every metric of this process, the queue gauges read now."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            queues = await operations.queue_figures(system_uow(request))
    except Exception:
        queues = operations.QueueFigures(*(math.nan,) * 4)  # type: ignore[arg-type]
    JOBS_QUEUED.set(queues.jobs_queued)
    JOBS_OLDEST.set(queues.jobs_oldest_seconds)
    DELIVERIES_PENDING.set(queues.deliveries_pending)
    DELIVERIES_OLDEST.set(queues.deliveries_oldest_seconds)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


ROUTES = (
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
)
PATHS = frozenset(route.path for route in ROUTES)
