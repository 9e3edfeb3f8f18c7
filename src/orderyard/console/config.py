"""What the console is built with: session lifetime, sign-in limits, the dialects' roots."""

from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import Request

from orderyard.http.ratelimit import Buckets, Limits, MemoryBuckets, RedisBuckets

SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class SignInLimits:
    """Sign-in attempts allowed per e-mail and per client address (token buckets)."""

    email_burst: int = 5
    email_per_hour: float = 30.0
    address_burst: int = 30
    address_per_hour: float = 600.0

    def as_limits(self) -> Limits:
        """As rate limits: the "key" bucket is the e-mail's, the "account" the address's."""
        return Limits(
            rate=self.email_per_hour / SECONDS_PER_HOUR,
            burst=self.email_burst,
            account_rate=self.address_per_hour / SECONDS_PER_HOUR,
            account_burst=self.address_burst,
        )


def sign_in_buckets(
    limits: SignInLimits, *, redis_url: str | None, prefix: str = "orderyard:"
) -> Buckets:
    """Where sign-in attempts are counted: this process, or Redis shared by all processes."""
    if redis_url:
        return RedisBuckets(limits.as_limits(), redis_url, prefix=f"{prefix}signin:")
    return MemoryBuckets(limits.as_limits())


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    """The console's knobs, read from the settings by ``orderyard.app``."""

    sign_in_buckets: Buckets
    session_lifetime: timedelta = timedelta(hours=12)
    shipedge_root: str = "/apirest/v4/oms"
    """Where the root app mounts each dialect: the API Integration page shows both URLs."""
    orderdynamics_root: str = ""


def console_config(request: Request) -> ConsoleConfig:
    """The console's configuration, stored on its app by ``create_app``."""
    config: ConsoleConfig = request.app.state.console
    return config
