"""Every command documents itself: help text with an example, and a mention in the README.

In the manner of sqlite-utils' documentation tests: commands are found by
walking the real ``vertaal`` group, so a new command fails here until it has
an example in its help and a line in README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from translate.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _walk(group: click.Group, ctx: click.Context) -> Iterator[tuple[str, click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{ctx.command_path} {name}: listed but not loadable"
        path = f"{ctx.command_path} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _walk(command, click.Context(command, info_name=name, parent=ctx))


COMMANDS = dict(_walk(cli, click.Context(cli, info_name="vertaal")))


def test_the_walk_finds_nested_commands() -> None:
    assert {"vertaal translate", "vertaal glossary add", "vertaal models train"} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_help_has_an_example(path: str) -> None:
    result = CliRunner().invoke(cli, [*path.split()[1:], "--help"])
    assert result.exit_code == 0, result.output
    summary, _, rest = (COMMANDS[path].help or "").strip().partition("\n")
    assert summary.strip(), f"{path}: no help text"
    assert "Example" in rest, f"{path}: its help has no example"
    examples = result.output.split("Example", 1)[1]
    assert re.search(rf"{re.escape(path)}(\s|$)", examples), f"{path}: no example runs it"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_readme_mentions_command(path: str) -> None:
    # `vertaal models list` also mentions the group `vertaal models`
    mention = re.compile(rf"`{re.escape(path)}[` ]")
    assert mention.search(README.read_text(encoding="utf-8")), f"README.md lacks `{path}`"
