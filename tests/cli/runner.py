"""Invoking the ``orderyard`` command in tests, from sync and from async tests."""

import asyncio
from collections.abc import Iterator
from typing import Any

import typer.main
from typer.testing import CliRunner

from orderyard.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    """Run the command; its exit code and everything it printed (stderr included)."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


async def ainvoke(*args: str) -> tuple[int, str]:
    """``invoke`` from an async test: in a thread, since the command runs its own loop."""
    return await asyncio.to_thread(invoke, *args)


def leaf_commands() -> Iterator[tuple[str, ...]]:
    """The path of every command that does something (``("stock", "import")``, ...)."""

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            yield path
            return
        for name, sub in subcommands.items():
            yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(app), ())


def one_line(output: str) -> str:
    """The single line printed, failing the test if there were more."""
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    return lines[0]
