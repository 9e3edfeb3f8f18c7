import pytest
from pydantic import BaseModel, ValidationError

from orderyard.settings import (
    ConsoleSettings,
    DatabaseSettings,
    RateLimitSettings,
    RedisSettings,
    Settings,
    SmtpSettings,
    StorageSettings,
    UnknownSettingError,
    check_environment,
    known_variables,
)


def test_known_variables_follow_the_models_fields_nested_with_two_underscores() -> None:
    known = known_variables()

    assert {
        "ORDERYARD_DATABASE",
        "ORDERYARD_DATABASE__URL",
        "ORDERYARD_DATABASE__POOL_SIZE",
        "ORDERYARD_DATABASE__ECHO",
        "ORDERYARD_MAX_PER_PAGE",
        "ORDERYARD_AUTH_CACHE_SECONDS",
    } <= known
    nested = {
        "DATABASE": DatabaseSettings,
        "RATE_LIMIT": RateLimitSettings,
        "REDIS": RedisSettings,
        "STORAGE": StorageSettings,
        "SMTP": SmtpSettings,
        "CONSOLE": ConsoleSettings,
    }
    assert known == {f"ORDERYARD_{name.upper()}" for name in Settings.model_fields} | {
        f"ORDERYARD_{prefix}__{(field.alias or name).upper()}"
        for prefix, model in nested.items()
        for name, field in model.model_fields.items()
    }
    assert "ORDERYARD_SMTP__FROM" in known


def test_a_field_added_to_a_model_is_known_without_a_list_to_update() -> None:
    class Limits(BaseModel):
        max_body_bytes: int = 1

    class Extended(Settings):
        limits: Limits = Limits()

    assert "ORDERYARD_LIMITS__MAX_BODY_BYTES" in known_variables(Extended)


@pytest.mark.parametrize(
    ("variable", "suggestion"),
    [
        ("ORDERYARD_DATABASE_URL", "ORDERYARD_DATABASE__URL"),
        ("ORDERYARD_MAX_PERPAGE", "ORDERYARD_MAX_PER_PAGE"),
        ("orderyard_database__pool", "ORDERYARD_DATABASE__POOL_SIZE"),
    ],
)
def test_an_unknown_variable_is_refused_naming_the_closest_known_one(
    variable: str, suggestion: str
) -> None:
    with pytest.raises(UnknownSettingError) as refused:
        check_environment({variable: "x", "ORDERYARD_DATABASE__URL": "sqlite:///a.db"})

    assert str(refused.value) == (
        f"unknown setting {variable} in the environment; did you mean {suggestion}?"
    )


def test_a_variable_like_no_setting_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(UnknownSettingError) as refused:
        check_environment({"ORDERYARD_PORT": "8080"})

    assert "known: ORDERYARD_AUTH_CACHE_SECONDS, ORDERYARD_CONSOLE," in str(refused.value)


def test_known_variables_others_and_the_test_suites_own_pass() -> None:
    check_environment(
        {
            "ORDERYARD_DATABASE__URL": "sqlite:///a.db",
            "orderyard_max_per_page": "10",
            "ORDERYARD_TEST_POSTGRES_URL": "postgresql://x/y",
            "ORDERYARD_REQUIRE_POSTGRES": "1",
            "ORDERYARD_REQUIRE_BROWSER": "1",
            "ORDERYARD_REQUIRE_SCALE": "1",
            "PATH": "/bin",
            "ORDERYARDX": "not ours",
        }
    )


def test_settings_refuse_an_unknown_variable_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORDERYARD_DATABASE_URL", "sqlite:///typo.db")

    with pytest.raises(UnknownSettingError):
        Settings()


@pytest.mark.parametrize("url", ["mysql://u@h/db", "sqlite+pysqlite:///a.db", "nonsense"])
def test_an_unsupported_database_url_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        DatabaseSettings(url=url)

    assert "unsupported database URL scheme" in str(refused.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./a.db", "sqlite+aiosqlite:///./a.db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_supported_urls_get_the_async_driver(url: str, expected: str) -> None:
    assert DatabaseSettings(url=url).url == expected
