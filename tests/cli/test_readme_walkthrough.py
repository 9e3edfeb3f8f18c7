"""The README's "Try the seed's examples" runs, as written, against a fresh demo server.

Every ``sh`` block of the section is run in one bash process, command by command, after
``orderyard serve --demo`` started on a fresh SQLite file: the variables the reader sets from
what the server printed are set the same way here, ``.venv/bin/orderyard`` is this venv's, and
each ``curl`` also prints its status code. Every command must succeed, and every answer be a
200 in ShipEdge's success envelope. It runs once, on SQLite, as ``make serve`` does.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECTION = "## Try the seed's examples"
STATUS = "\n%{http_code}"


def section_blocks(readme: str) -> list[str]:
    """The ``sh`` blocks between the section's heading and the next one."""
    start = readme.index(f"\n{SECTION}\n")
    end = readme.find("\n## ", start + 1)
    section = readme[start : end if end != -1 else None]
    return re.findall(r"^```sh\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


def commands(block: str) -> Iterator[str]:
    """Each command of a block: its lines up to the one that closes its quotes and ``\\``."""
    pending: list[str] = []
    for line in block.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending.append(line)
        text = "\n".join(pending)
        if line.endswith("\\"):
            continue
        try:
            shlex.split(text, comments=True)
        except ValueError:  # a quote still open: the body goes on
            continue
        yield text
        pending = []
    assert not pending, f"unfinished command: {pending}"


@dataclass
class Server:
    base: str
    account_id: int
    key: str

    def get(self, path: str) -> Any:
        answer = httpx.get(
            f"{self.base}{path}", headers={"AccountID": str(self.account_id), "Key": self.key}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("ORDERYARD_")}
    env["ORDERYARD_DATABASE__URL"] = f"sqlite:///{tmp_path}/orderyard.db"
    return env


def _wait_for_key(log: Path, process: subprocess.Popen[bytes]) -> tuple[int, str]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        printed = log.read_text()
        found = re.search(r"AccountID: (\d+)\n\s+Key: (\S+)", printed)
        if found and "Uvicorn running" in (log.with_suffix(".err").read_text()):
            return int(found.group(1)), found.group(2)
        assert process.poll() is None, printed + log.with_suffix(".err").read_text()
        time.sleep(0.05)
    raise AssertionError(f"the server did not start: {log.read_text()}")


@pytest.fixture
def server(tmp_path: Path, backend: str) -> Iterator[Server]:
    """``orderyard serve --demo`` on a fresh SQLite file and a free port."""
    if backend != "sqlite":
        pytest.skip("runs once, on SQLite, as make serve does")
    port = _free_port()
    log = tmp_path / "serve.out"
    with log.open("wb") as out, log.with_suffix(".err").open("wb") as err:
        process = subprocess.Popen(  # noqa: S603 - this venv's orderyard, fixed arguments
            [str(BIN / "orderyard"), "serve", "--demo", "--port", str(port)],
            cwd=tmp_path,
            env=_environment(tmp_path),
            stdout=out,
            stderr=err,
        )
    try:
        account_id, key = _wait_for_key(log, process)
        yield Server(f"http://127.0.0.1:{port}{SHIPEDGE_ROOT}", account_id, key)
    finally:
        process.terminate()
        process.wait(timeout=10)


def script(server: Server, readme: str) -> tuple[str, list[str]]:
    """The section as one bash script that records each command's output and exit code."""
    port = server.base.split(":")[2].split("/")[0]
    parts = ["set -u"]
    ran: list[str] = []
    for block in section_blocks(readme):
        block = block.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{port}")
        block = re.sub(r"(?m)^ACCOUNT_ID=.*$", f"ACCOUNT_ID={server.account_id}", block)
        block = re.sub(r"(?m)^KEY=.*$", f"KEY={shlex.quote(server.key)}", block)
        block = block.replace(".venv/bin/orderyard", str(BIN / "orderyard"))
        for command in commands(block):
            n = len(ran)
            ran.append(command)
            if command.startswith("curl "):
                command = f"curl -sS -w {shlex.quote(STATUS)} " + command.removeprefix("curl ")
            parts.append(f"{{ {command}\n}} > out.{n} 2> err.{n}; echo $? > rc.{n}")
    return "\n".join(parts) + "\n", ran


def check_answer(command: str, output: str) -> None:
    """A 200 in the success envelope; every item of a bulk answer succeeded."""
    body, _, status = output.rpartition("\n")
    assert status == "200", f"{command}\n-> {output}"
    answer = json.loads(body)
    assert "data" in answer, f"{command}\n-> {body}"
    assert set(answer) <= {"data", "metadata"}, f"{command}\n-> {body}"
    items = answer["data"] if isinstance(answer["data"], list) else [answer["data"]]
    failed = [item for item in items if isinstance(item, dict) and item.get("success") is False]
    assert not failed, f"{command}\n-> {body}"


def test_the_readme_walkthrough_works_against_a_fresh_demo_server(
    server: Server, tmp_path: Path
) -> None:
    readme = (ROOT / "README.md").read_text()
    text, ran = script(server, readme)
    (tmp_path / "walkthrough.sh").write_text(text)

    subprocess.run(  # noqa: S603 - bash running the README's commands
        ["/bin/bash", str(tmp_path / "walkthrough.sh")],
        cwd=tmp_path,
        env=_environment(tmp_path),
        check=True,
        timeout=60,
    )

    assert len(ran) >= 10
    for n, command in enumerate(ran):
        rc = (tmp_path / f"rc.{n}").read_text().strip()
        output = (tmp_path / f"out.{n}").read_text()
        assert rc == "0", f"{command}\n-> {output}{(tmp_path / f'err.{n}').read_text()}"
        if command.startswith("curl "):
            check_answer(command, output)
    order = server.get("/orders/ORD-001?identify_by=order_number")["data"]
    assert (order["order_id"], order["status"]) == (1, "Shipped")
    returns = server.get("/inventory/returns")
    assert returns["metadata"]["total_records"] == 1
    assert [item["sku"] for item in returns["data"][0]["items"]] == ["PROD-001"]
    built = server.get("/manufacture")["data"]
    assert [(m["sku"], m["quantity"]) for m in built] == [("BUNDLE-001", 1)]
    stock = server.get("/inventory/stock?sku=PROD-001")["data"][0]["total"]
    assert (stock["on_hand"], stock["allocated"]) == (8, 0)


def test_commands_are_split_where_their_quotes_and_continuations_end() -> None:
    block = '# a comment\nA=1\ncurl -X POST $OY \\\n-d \'{\n"x": 1\n}\'\n\ncurl "$OY/x?a=1&b=2"\n'

    assert list(commands(block)) == [
        "A=1",
        "curl -X POST $OY \\\n-d '{\n\"x\": 1\n}'",
        'curl "$OY/x?a=1&b=2"',
    ]
