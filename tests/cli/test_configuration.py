"""Every command refuses a misconfigured environment in one line, before touching anything."""

from pathlib import Path

import pytest

from orderyard.cli import serve
from tests.cli.runner import invoke, leaf_commands, one_line

ARGS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("serve",): (),
    ("db", "upgrade"): (),
    ("db", "downgrade"): ("base",),
    ("db", "check"): (),
    ("accounts", "create"): ("--name", "Acme"),
    ("accounts", "deactivate"): ("--account", "1"),
    ("accounts", "activate"): ("--account", "1"),
    ("keys", "rotate"): ("--account", "1"),
    ("locations", "create"): ("--account", "1", "--code", "DC-1", "--name", "One"),
    ("locations", "list"): ("--account", "1"),
    ("strategies", "list"): ("--account", "1"),
    ("strategies", "show"): ("--account", "1"),
    ("strategies", "set"): ("--account", "1", "nearest"),
    ("custom-fields", "define"): ("--account", "1", "--owner-type", "location", "--name", "Z"),
    ("custom-fields", "list"): ("--account", "1", "--owner-type", "location"),
    ("custom-fields", "delete"): ("--account", "1", "--owner-type", "location", "--name", "Z"),
    ("pools", "create"): ("--account", "1", "--name", "P", "--location", "WH1"),
    ("pools", "list"): ("--account", "1"),
    ("pools", "delete"): ("--account", "1", "--name", "P"),
    ("pool-groups", "create"): ("--account", "1", "--name", "G", "--pool", "P"),
    ("pool-groups", "list"): ("--account", "1"),
    ("pool-groups", "delete"): ("--account", "1", "--name", "G"),
    ("stock", "import"): ("--account", "1", "stock.csv"),
    ("shipments", "ship"): ("--account", "1", "--order", "1"),
    ("shipments", "auto-create"): ("on", "--account", "1"),
    ("manufacture", "create"): ("--account", "1", "--kit", "K", "--quantity", "1"),
    ("worker",): ("--once",),
    ("staff", "create"): (
        *("--account", "1", "--email", "a@example.com", "--role", "admin"),
        *("--password", "twelve-chars-long"),
    ),
    ("staff", "list"): ("--account", "1"),
    ("staff", "disable"): ("--account", "1", "--id", "1"),
    ("settings", "list"): ("--account", "1"),
    ("settings", "set"): ("--account", "1", "allocation_strategy", "nearest"),
    ("webhooks", "list"): ("--account", "1"),
    ("webhooks", "add"): (
        *("--account", "1", "--url", "https://example.com/hook", "--event", "order.created"),
    ),
    ("webhooks", "remove"): ("--account", "1", "1"),
    ("webhooks", "deliveries"): ("--account", "1", "1"),
    ("emails", "list"): ("--account", "1"),
    ("emails", "send-pending"): (),
    ("taxes", "list"): ("--account", "1"),
    ("taxes", "set"): ("--account", "1", "--name", "ON", "--country", "CA", "--rate", "13"),
    ("taxes", "delete"): ("--account", "1", "--name", "ON"),
    ("shipping-rates", "list"): ("--account", "1"),
    ("shipping-rates", "set"): (
        *("--account", "1", "--name", "STD", "--country", "CA"),
        *("--method", "Pick", "--currency", "CAD", "--tier", "5"),
    ),
    ("shipping-rates", "delete"): ("--account", "1", "--name", "STD"),
    **{
        (registry, verb): ("--account", "1", *(("Name",) if verb == "add" else ()))
        for registry in ("suppliers", "package-types", "shipping-methods", "channels")
        for verb in ("add", "list")
    },
}


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, where the default SQLite file would appear."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ORDERYARD_DATABASE__URL", raising=False)
    (tmp_path / "stock.csv").write_text("location,sku,on_hand\n")

    def _no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server must not start")

    monkeypatch.setattr(serve.uvicorn, "run", _no_server)
    return tmp_path


def test_the_table_names_every_command() -> None:
    assert set(leaf_commands()) == set(ARGS)


@pytest.mark.parametrize("command", sorted(ARGS), ids=" ".join)
def test_a_typo_in_a_variable_is_refused_by_every_command_naming_the_right_one(
    command: tuple[str, ...], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERYARD_DATABASE_URL", f"sqlite:///{workdir}/meant.db")

    code, output = invoke(*command, *ARGS[command])

    assert code == 1
    assert one_line(output) == (
        "error: unknown setting ORDERYARD_DATABASE_URL in the environment;"
        " did you mean ORDERYARD_DATABASE__URL?"
    )
    assert sorted(p.name for p in workdir.iterdir()) == ["stock.csv"]


def test_a_bad_value_is_refused_in_one_line(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERYARD_MAX_PER_PAGE", "many")

    code, output = invoke("accounts", "create", "--name", "Acme")

    assert code == 1
    assert one_line(output).startswith("error: invalid settings: max_per_page: ")
    assert sorted(p.name for p in workdir.iterdir()) == ["stock.csv"]


def test_an_unknown_key_in_dotenv_is_refused_in_one_line(workdir: Path) -> None:
    (workdir / ".env").write_text("ORDERYARD_DATABASE__URL=sqlite:///./x.db\nORDERYARD_NOPE=1\n")

    code, output = invoke("accounts", "create", "--name", "Acme")

    assert code == 1
    assert one_line(output).startswith("error: invalid settings: orderyard_nope: ")
    assert not (workdir / "x.db").exists()


def test_an_unsupported_database_url_is_refused_in_one_line(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERYARD_DATABASE__URL", "mysql://u@db.internal/orderyard")

    code, output = invoke("accounts", "create", "--name", "Acme")

    assert code == 1
    assert one_line(output) == (
        "error: invalid settings: database.url: unsupported database URL scheme 'mysql':"
        " use sqlite:///path or postgresql://user@host:5432/db"
    )
