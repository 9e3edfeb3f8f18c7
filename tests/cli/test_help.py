"""Help screens show what an option takes, and nothing for a flag (which takes nothing)."""

import pytest

from tests.cli.runner import invoke, leaf_commands

GROUPS = sorted({path[:-1] for path in leaf_commands()})


@pytest.mark.parametrize("command", [*GROUPS, *sorted(leaf_commands())], ids=" ".join)
def test_help_shows_no_value_placeholder_for_flags(command: tuple[str, ...]) -> None:
    code, output = invoke(*command, "--help")

    assert code == 0
    assert "--help" in output
    assert "<bool>" not in output


def test_the_top_level_help_lists_the_shipping_and_manufacture_commands() -> None:
    _, output = invoke("--help")

    assert "shipments" in output
    assert "manufacture" in output
