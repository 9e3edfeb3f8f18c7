"""The haproxy configuration operators are given is the one the balancer test runs."""

import subprocess
from pathlib import Path

import pytest

from tests.scale import tools
from tests.scale.haproxy import Node, configuration

pytestmark = pytest.mark.scale
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "haproxy.cfg"


def settings(text: str) -> list[str]:
    """The configuration's lines, without comments, addresses and the stats socket's path."""
    kept = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words or words[0] in {"bind", "server"}:
            continue
        kept.append(" ".join(words[:2] if words[:2] == ["stats", "socket"] else words))
    return kept


def test_the_example_holds_the_tested_settings_line_for_line() -> None:
    tested = configuration(
        [Node("node1", "127.0.0.1:1")], bind="127.0.0.1:2", stats=Path("orderyard.sock")
    )

    assert settings(EXAMPLE.read_text()) == settings(tested)


def test_haproxy_accepts_the_example(tmp_path: Path) -> None:
    program = tools.require("haproxy")["haproxy"]
    socket_path = tmp_path / "orderyard.sock"
    text = EXAMPLE.read_text().replace("/run/haproxy/orderyard.sock", str(socket_path))
    (tmp_path / "haproxy.cfg").write_text(text)

    checked = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(program), "-c", "-f", str(tmp_path / "haproxy.cfg")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
