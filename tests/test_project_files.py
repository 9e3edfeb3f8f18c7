"""The project's own files: packaging metadata a current setuptools accepts, make targets."""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")


def test_the_license_is_an_spdx_string_that_setuptools_reads_without_a_warning() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())

    assert pyproject["project"]["license"] == "Apache-2.0"
    [setuptools] = [r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")]
    found = re.fullmatch(r"setuptools>=(\d+)", setuptools)
    assert found is not None
    assert int(found.group(1)) >= 77  # the first to read license = "SPDX"


def make(*args: str) -> str:
    """What ``make ARGS`` prints in the project's folder."""
    assert MAKE is not None
    done = subprocess.run(  # noqa: S603 - make with fixed arguments
        [MAKE, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_serve_takes_a_host_and_a_port() -> None:
    planned = make("-n", "serve", "HOST=0.0.0.0", "PORT=8123")

    assert ".venv/bin/orderyard serve --demo --host 0.0.0.0 --port 8123" in planned
    assert "PORT" in make("help")
