"""Process settings, read from the environment (prefix ``ORDERYARD_``) at the edges only."""

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from orderyard.http.guard import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BULK_BODY_BYTES
from orderyard.kit.storage import DEFAULT_DIRECTORY, DEFAULT_MAX_FILE_BYTES
from orderyard.services.email_delivery import EmailSender, SmtpConfig

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./orderyard.db"
ENV_PREFIX = "ORDERYARD_"
NESTED = "__"
NOT_SETTINGS = frozenset(
    {
        "ORDERYARD_TEST_POSTGRES_URL",
        "ORDERYARD_REQUIRE_POSTGRES",
        "ORDERYARD_REQUIRE_BROWSER",
        "ORDERYARD_REQUIRE_SCALE",
    }
)
"""Variables with the prefix that the test suite and CI read; the server ignores them."""
SUPPORTED_DRIVERS = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


class UnknownSettingError(ValueError):
    """An ``ORDERYARD_*`` variable names no setting: a typo would otherwise go unnoticed."""


class DatabaseSettings(BaseModel):
    """Where the data lives."""

    url: str = DEFAULT_DATABASE_URL
    """SQLAlchemy URL. ``sqlite:///path`` or ``postgresql://user@host/db``; drivers are implied."""
    pool_size: int = 10
    """Connections kept per server process (PostgreSQL)."""
    prepared_statements: bool = True
    """Keep named prepared statements on each PostgreSQL connection (asyncpg's cache). Set
    false behind a pooler that hands a session's statements to other server connections:
    PgBouncer in transaction mode before 1.21, or without ``max_prepared_statements``
    (docs/scaling.md, "Through PgBouncer")."""
    echo: bool = False
    """Log every SQL statement."""
    replica_url: str | None = None
    """A streaming replica of the PostgreSQL primary for the reads that may be a little stale
    (lists, searches, statistics, the console's pages); unset: every read on the primary."""
    replica_max_lag_seconds: float = Field(default=5.0, ge=0)
    """A replica lagging more than this is left aside: its reads go to the primary."""
    replica_check_seconds: float = Field(default=1.0, ge=0)
    """How long a process trusts its last check of the replica (reachable, lag)."""

    @field_validator("url", "replica_url")
    @classmethod
    def _async_driver(cls, url: str | None) -> str | None:
        """Accept plain URLs and pick the async driver Orderyard uses for each backend."""
        if url is None:
            return None
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql+psycopg://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if url.startswith(plain):
                return driver + url.removeprefix(plain)
        if not url.startswith(SUPPORTED_DRIVERS):
            scheme = url.partition(":")[0] or url
            raise ValueError(
                f"unsupported database URL scheme {scheme!r}:"
                " use sqlite:///path or postgresql://user@host:5432/db"
            )
        return url

    @model_validator(mode="after")
    def _replica_of_postgresql(self) -> "DatabaseSettings":
        """A replica is PostgreSQL's streaming replication: refuse it beside SQLite."""
        if self.replica_url is None:
            return self
        for name, url in (("URL", self.url), ("REPLICA_URL", self.replica_url)):
            if url.startswith("sqlite"):
                raise ValueError(
                    f"ORDERYARD_DATABASE__REPLICA_URL needs PostgreSQL, but"
                    f" ORDERYARD_DATABASE__{name} is SQLite: a read replica is a streaming"
                    " replica of a PostgreSQL primary; unset REPLICA_URL to use SQLite"
                )
        return self


class StorageSettings(BaseModel):
    """Where uploaded files (images, note attachments) are kept, and how large one may be."""

    directory: Path = Path(DEFAULT_DIRECTORY)
    """The directory of the default blob store (``kit/storage.DirectoryStore``), created on
    first use; relative paths are from the server's working directory."""
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, ge=1024)
    """The largest file accepted (413 beyond it). An upload route's body may be 4/3 of it
    (base64) plus 64 KiB, and is refused while streaming in once it passes that."""


class SmtpSettings(BaseModel):
    """Where the e-mails order events call for are sent (off while ``host`` is empty)."""

    model_config = ConfigDict(populate_by_name=True)

    host: str = ""
    """The SMTP server; empty (the default): no e-mail is logged or sent."""
    port: int = Field(default=25, ge=1, le=65535)
    username: str = ""
    """Login (AUTH) when set, with ``password``."""
    password: str = ""
    starttls: bool = False
    """Upgrade the connection with STARTTLS before logging in."""
    from_: str = Field(default="orderyard@localhost", alias="from")
    """The sender's address (``ORDERYARD_SMTP__FROM``)."""
    timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def enabled(self) -> bool:
        """Whether e-mails are sent at all."""
        return bool(self.host)

    def sender(self) -> EmailSender | None:
        """The job worker's e-mail sender; None while SMTP is not configured."""
        if not self.enabled:
            return None
        config = SmtpConfig(
            host=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            starttls=self.starttls,
            from_address=self.from_,
            timeout=self.timeout_seconds,
        )
        return EmailSender(config)


class RateLimitSettings(BaseModel):
    """Token buckets per key and per account (``http/ratelimit.py``; README "Rate limits")."""

    enabled: bool = True
    """``ORDERYARD_RATE_LIMIT__ENABLED=false`` turns rate limiting off."""
    rate: float = Field(default=50.0, gt=0)
    """Requests per second one key (an API key or a staff token) may sustain."""
    burst: int = Field(default=100, ge=1)
    """Requests one key may send at once after being idle (its bucket's size)."""
    account_rate: float = Field(default=100.0, gt=0)
    """Requests per second one account may sustain, all its keys together."""
    account_burst: int = Field(default=200, ge=1)
    """The account's bucket size."""


class RedisSettings(BaseModel):
    """Redis, optional: several server processes share their rate-limit buckets there."""

    url: str | None = None
    """``redis://host:6379/0``; unset: each process keeps its buckets in memory."""
    prefix: str = "orderyard:"
    """Prefix of every key Orderyard writes (so several deployments can share one Redis)."""


class ConsoleSettings(BaseModel):
    """The web console (docs/console.md): how long a session lasts, how fast sign-in may go."""

    session_hours: float = Field(default=12.0, gt=0, le=24 * 365)
    """A session ends this long after signing in (sooner by signing out or being disabled)."""
    sign_in_email_burst: int = Field(default=5, ge=1)
    """Sign-in attempts one e-mail may make at once (right or wrong)."""
    sign_in_email_per_hour: float = Field(default=30.0, gt=0)
    """Attempts per hour one e-mail earns back after its burst."""
    sign_in_address_burst: int = Field(default=30, ge=1)
    """Sign-in attempts one client address may make at once, whatever the e-mails."""
    sign_in_address_per_hour: float = Field(default=600.0, gt=0)
    """Attempts per hour one client address earns back after its burst."""


class Settings(BaseSettings):
    """All of Orderyard's settings. ``ORDERYARD_DATABASE__URL`` selects the database."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=NESTED, env_file=".env", extra="forbid"
    )

    database: DatabaseSettings = DatabaseSettings()
    storage: StorageSettings = StorageSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()
    redis: RedisSettings = RedisSettings()
    console: ConsoleSettings = ConsoleSettings()
    max_per_page: int = 250
    """The cap on ``per_page`` for every list."""
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1024)
    """The largest request body accepted (413 beyond it, refused before it is read whole)."""
    max_bulk_body_bytes: int = Field(default=DEFAULT_MAX_BULK_BODY_BYTES, ge=1024)
    """The largest body of a bulk route that queues a job (OrderDynamics ``BulkOnhand``):
    100,000 rows with 100-character SKUs and 64-character locations fit in the default."""
    worker_in_server: bool = True
    """Whether each server process also runs bulk jobs in the background. Turn it off on
    PostgreSQL to leave jobs to ``orderyard worker`` processes alone."""
    job_poll_seconds: float = Field(default=1.0, gt=0)
    """How often an idle worker looks for a new job."""
    job_lease_seconds: float = Field(default=60.0, ge=1)
    """How long a job stays a worker's without news from it (one operation renews it); after
    that, a worker that died is presumed dead and another takes the job up."""
    idempotency_lease_seconds: float = Field(default=300.0, ge=1)
    """How long a retry waits for the answer of an ``Idempotency-Key``'s request that has
    committed its write: within it the retry is answered "in progress", past it "carried out,
    answer lost". Only a server that died between a request's commit and keeping its answer
    (20 ms later) leaves a key so; a request that had not committed leaves nothing, and its
    retry runs at once."""
    idempotency_answer_delay_seconds: float = Field(default=0.02, ge=0, le=1)
    """How long a keyed request's answer waits for others to be kept with it in one statement
    (``services/answer_queue.py``). A retry that reaches another server process within it
    waits that much longer for the answer; one stopped by ``kill -9`` loses what waits."""
    smtp: SmtpSettings = SmtpSettings()
    """E-mails to customers (order confirmation, shipment, return): ``ORDERYARD_SMTP__HOST``..."""
    auth_cache_seconds: float = 5.0
    """How long a server process trusts an API key it has verified (0: check every request).

    A rotated key or a deactivated account stops working within this time."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read as pydantic-settings does, after refusing unknown ``ORDERYARD_*`` variables."""
        refuse = _RefuseUnknownVariables(settings_cls)
        return refuse, init_settings, env_settings, dotenv_settings, file_secret_settings

    @property
    def is_sqlite(self) -> bool:
        """Whether the embedded SQLite database is in use."""
        return self.database.url.startswith("sqlite")


def known_variables(model: type[BaseModel] = Settings, prefix: str = ENV_PREFIX) -> set[str]:
    """Every environment variable that sets a field of ``model``, nested ones with ``__``.

    Derived from the fields, so a setting added to the model is known at once.
    """
    names: set[str] = set()
    for name, field in model.model_fields.items():
        variable = f"{prefix}{field.alias or name}".upper()
        names.add(variable)
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            names |= known_variables(nested, f"{variable}{NESTED}")
    return names


def check_environment(environ: Mapping[str, str]) -> None:
    """Refuse an ``ORDERYARD_*`` variable that sets nothing, naming the closest known one.

    pydantic-settings reads only the variables it knows, so ``ORDERYARD_DATABASE_URL`` (one
    underscore) would silently leave the default database in use.

    Raises:
        UnknownSettingError: the first unknown variable, in name order.
    """
    known = sorted(known_variables())
    for variable in sorted(environ):
        upper = variable.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known or upper in NOT_SETTINGS:
            continue
        # Compared without the prefix, which every name shares and would make all look alike.
        tails = {name.removeprefix(ENV_PREFIX): name for name in known}
        closest = difflib.get_close_matches(upper.removeprefix(ENV_PREFIX), tails, n=1)
        hint = f"did you mean {tails[closest[0]]}?" if closest else f"known: {', '.join(known)}"
        raise UnknownSettingError(f"unknown setting {variable} in the environment; {hint}")


class _RefuseUnknownVariables(PydanticBaseSettingsSource):
    """A source that reads nothing: it checks the environment before the others read it."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        check_environment(os.environ)
        return {}
