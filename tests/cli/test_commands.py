import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderyard.cli import app

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cli_database")


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def new_account() -> dict[str, object]:
    code, output = invoke("accounts", "create", "--name", "Acme", "--json")
    assert code == 0, output
    return dict(json.loads(output))


def test_accounts_create_prints_the_id_and_key_as_json() -> None:
    created = new_account()

    assert isinstance(created["account_id"], int)
    assert len(str(created["key"])) >= 40


def test_keys_rotate_prints_a_different_key() -> None:
    created = new_account()

    code, output = invoke("keys", "rotate", "--account", str(created["account_id"]), "--json")

    assert code == 0
    assert json.loads(output)["key"] != created["key"]


def test_an_unknown_account_fails_with_one_line() -> None:
    code, output = invoke("locations", "create", "--account", "999", "--code", "X", "--name", "X")

    assert code == 1
    assert output.strip().count("\n") == 0
    assert "account 999 not found" in output


def test_a_duplicate_location_code_fails_with_one_line() -> None:
    account = str(new_account()["account_id"])
    invoke("locations", "create", "--account", account, "--code", "DC-1", "--name", "One")

    code, output = invoke(
        "locations", "create", "--account", account, "--code", "DC-1", "--name", "Again"
    )

    assert code == 1
    assert "already exists" in output


def test_registries_add_and_list() -> None:
    account = str(new_account()["account_id"])

    invoke("suppliers", "add", "--account", account, "Acme Supply")
    code, output = invoke("suppliers", "list", "--account", account)

    assert code == 0
    assert "Acme Supply" in output


def test_shipping_methods_start_with_the_seed_default() -> None:
    account = str(new_account()["account_id"])

    _, output = invoke("shipping-methods", "list", "--account", account)

    assert output.split() == ["1", "Pick"]


def test_an_account_created_without_shipedge_s_examples_registers_nothing() -> None:
    code, output = invoke(
        "accounts", "create", "--name", "Bare", "--no-shipedge-examples", "--json"
    )
    account = str(json.loads(output)["account_id"])

    methods = invoke("shipping-methods", "list", "--account", account)
    stores = invoke("channels", "list", "--account", account)

    assert code == 0
    assert (methods, stores) == ((0, ""), (0, ""))


class TestStockImport:
    @pytest.fixture
    def account(self) -> str:
        return str(new_account()["account_id"])

    def write(self, tmp_path: Path, text: str) -> Path:
        path = tmp_path / "stock.csv"
        path.write_text(text)
        return path

    def test_a_bad_row_is_reported_with_its_line_and_nothing_is_applied(
        self, tmp_path: Path, account: str
    ) -> None:
        invoke("locations", "create", "--account", account, "--code", "DC-1", "--name", "One")
        csv = self.write(tmp_path, "location,sku,on_hand\nDC-1,NOPE,5\n")

        code, output = invoke("stock", "import", "--account", account, str(csv))

        assert code == 1
        assert "line 2" in output
        assert "unknown location" not in output

    def test_a_non_integer_count_is_reported_with_its_line(
        self, tmp_path: Path, account: str
    ) -> None:
        csv = self.write(tmp_path, "location,sku,on_hand\nDC-1,SKU,5\nDC-1,SKU,five\n")

        code, output = invoke("stock", "import", "--account", account, str(csv))

        assert code == 1
        assert "line 3" in output

    def test_a_wrong_header_is_refused(self, tmp_path: Path, account: str) -> None:
        csv = self.write(tmp_path, "sku,qty\nA,1\n")

        code, output = invoke("stock", "import", "--account", account, str(csv))

        assert code == 1
        assert "line 1" in output
