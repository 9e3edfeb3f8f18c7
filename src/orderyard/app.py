"""Assembly: ``create_app(settings)`` builds the engines once and mounts every dialect."""

import dataclasses
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial

from fastapi import FastAPI
from starlette.routing import Route

from orderyard import console
from orderyard.console.config import ConsoleConfig, SignInLimits, sign_in_buckets
from orderyard.dialects import orderdynamics, shipedge
from orderyard.dialects.webhooks import RENDERERS
from orderyard.http import operations
from orderyard.http.deps import AppState
from orderyard.http.metrics import HttpMetrics
from orderyard.http.ratelimit import Limits, RateLimiter, create_limiter
from orderyard.http.routing import accept_newlines
from orderyard.kit.storage import DirectoryStore
from orderyard.services.account import KeyCache
from orderyard.services.answer_queue import AnswerQueue
from orderyard.services.media import Files
from orderyard.services.webhook_delivery import WebhookSender, lease_like_jobs
from orderyard.services.worker import BackgroundWorker
from orderyard.settings import Settings
from orderyard.store.engine import Engines, create_engines
from orderyard.store.replica import open_replica
from orderyard.store.uow import AnswerUnitOfWork

SHIPEDGE_ROOT = "/apirest/v4/oms"
ORDERDYNAMICS_ROOT = ""
CONSOLE_ROOT = "/console"


def create_app(settings: Settings) -> FastAPI:
    """The root ASGI app: ShipEdge, the console (``/console``), OrderDynamics at the root."""
    engines = engines_for(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Everything built so far (modules, routes, compiled statements) lives as long as the
        # process: out of the collector's generations, full collections stop re-scanning it
        # (and forked workers stop touching its pages). p99 at c=16 in bench/README.md.
        gc.freeze()
        worker = in_process_worker(engines, settings)
        state.answers.start()
        yield
        if worker is not None:
            await worker.stop()
        await state.answers.drain()
        if state.limiter is not None:
            await state.limiter.close()
        await engines.dispose()

    app = FastAPI(
        title="Orderyard", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    state = AppState(
        engines=engines,
        max_per_page=settings.max_per_page,
        keys=KeyCache(settings.auth_cache_seconds),
        files=Files(DirectoryStore(settings.storage.directory), settings.storage.max_file_bytes),
        answers=AnswerQueue(
            partial(AnswerUnitOfWork, engines.write),
            delay=settings.idempotency_answer_delay_seconds,
        ),
        emails_enabled=settings.smtp.enabled,
        limiter=rate_limiter(settings),
        key_lease=timedelta(seconds=settings.idempotency_lease_seconds),
    )
    app.state.orderyard = state
    dialects = (
        (SHIPEDGE_ROOT, shipedge.create_app(max_body_bytes=settings.max_body_bytes)),
        (CONSOLE_ROOT, console.create_app(console_config(settings))),
        # At the root, last: the vendor's paths (/v1/..., /StatusManagement/...) are its own.
        (
            ORDERDYNAMICS_ROOT,
            orderdynamics.create_app(
                max_body_bytes=settings.max_body_bytes,
                max_bulk_body_bytes=settings.max_bulk_body_bytes,
                max_file_bytes=settings.storage.max_file_bytes,
            ),
        ),
    )
    for root, sub_app in dialects:
        sub_app.state.orderyard = state
        app.mount(root, sub_app)
    accept_newlines(app)
    app.router.routes[:0] = operations.ROUTES  # before the OrderDynamics mount at the root
    app.router.routes.insert(0, Route(CONSOLE_ROOT, console.enter, methods=["GET"]))
    app.add_middleware(HttpMetrics, own_paths=operations.PATHS)
    return app


def console_config(settings: Settings) -> ConsoleConfig:
    """The console's configuration: its settings, and where the dialects are mounted."""
    chosen = settings.console
    limits = SignInLimits(
        email_burst=chosen.sign_in_email_burst,
        email_per_hour=chosen.sign_in_email_per_hour,
        address_burst=chosen.sign_in_address_burst,
        address_per_hour=chosen.sign_in_address_per_hour,
    )
    return ConsoleConfig(
        sign_in_buckets=sign_in_buckets(
            limits, redis_url=settings.redis.url, prefix=settings.redis.prefix
        ),
        session_lifetime=timedelta(hours=chosen.session_hours),
        shipedge_root=SHIPEDGE_ROOT,
        orderdynamics_root=ORDERDYNAMICS_ROOT,
    )


def rate_limiter(settings: Settings) -> RateLimiter | None:
    """The process's rate limiter: in memory, or shared in Redis when a URL is set."""
    limits = settings.rate_limit
    return create_limiter(
        Limits(limits.rate, limits.burst, limits.account_rate, limits.account_burst)
        if limits.enabled
        else None,
        redis_url=settings.redis.url,
        prefix=settings.redis.prefix,
    )


def engines_for(settings: Settings) -> Engines:
    """The primary's engines, with the read replica when ``DATABASE__REPLICA_URL`` is set."""
    database = settings.database
    engines = create_engines(
        database.url,
        pool_size=database.pool_size,
        echo=database.echo,
        prepared_statements=database.prepared_statements,
    )
    if database.replica_url is None:
        return engines
    replica = open_replica(
        database.replica_url,
        pool_size=database.pool_size,
        max_lag_seconds=database.replica_max_lag_seconds,
        check_seconds=database.replica_check_seconds,
        echo=database.echo,
    )
    return dataclasses.replace(engines, replica=replica)


def in_process_worker(engines: Engines, settings: Settings) -> BackgroundWorker | None:
    """Run bulk jobs in this server process too, unless jobs are left to ``orderyard worker``."""
    if not settings.worker_in_server:
        return None
    lease = timedelta(seconds=settings.job_lease_seconds)
    worker = BackgroundWorker(
        engines,
        poll_seconds=settings.job_poll_seconds,
        lease=lease,
        webhooks=WebhookSender(RENDERERS, lease=lease_like_jobs(lease)),
        emails=settings.smtp.sender(),
    )
    worker.start()
    return worker


def create_app_from_env() -> FastAPI:
    """The app configured from the environment (for ``uvicorn --factory`` and workers)."""
    return create_app(Settings())
