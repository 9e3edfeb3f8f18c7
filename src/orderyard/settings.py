"""Process settings, read from the environment (prefix ``ORDERYARD_``) at the edges only."""

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from orderyard.http.guard import DEFAULT_MAX_BODY_BYTES

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./orderyard.db"


class DatabaseSettings(BaseModel):
    """Where the data lives."""

    url: str = DEFAULT_DATABASE_URL
    """SQLAlchemy URL. ``sqlite:///path`` or ``postgresql://user@host/db``; drivers are implied."""
    pool_size: int = 10
    """Connections kept per server process (PostgreSQL)."""
    echo: bool = False
    """Log every SQL statement."""

    @field_validator("url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        """Accept plain URLs and pick the async driver Orderyard uses for each backend."""
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql+psycopg://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if url.startswith(plain):
                return driver + url.removeprefix(plain)
        return url


class Settings(BaseSettings):
    """All of Orderyard's settings. ``ORDERYARD_DATABASE__URL`` selects the database."""

    model_config = SettingsConfigDict(
        env_prefix="ORDERYARD_", env_nested_delimiter="__", env_file=".env", extra="forbid"
    )

    database: DatabaseSettings = DatabaseSettings()
    max_per_page: int = 250
    """The cap on ``per_page`` for every list."""
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1024)
    """The largest request body accepted (413 beyond it, refused before it is read whole)."""
    auth_cache_seconds: float = 5.0
    """How long a server process trusts an API key it has verified (0: check every request).

    A rotated key or a deactivated account stops working within this time."""

    @property
    def is_sqlite(self) -> bool:
        """Whether the embedded SQLite database is in use."""
        return self.database.url.startswith("sqlite")
