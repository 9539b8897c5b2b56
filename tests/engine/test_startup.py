"""The command line starts without heavy libraries and every command has help."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from translate.cli import cli

HEAVY = ("ctranslate2", "sentencepiece", "argostranslate", "sacrebleu", "dask", "torch")

_PROBE = """
import sys
from translate.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="vertaal", standalone_mode=False)
except SystemExit:
    pass
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("HEAVY:" + ",".join(heavy))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["models", "--help"], ["glossary", "--help"], ["translate", "--help"]]
)
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Usage:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:", result.stdout[-500:]


def _walk(group: click.Group, ctx: click.Context, path: list[str]) -> list[list[str]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{' '.join([*path, name])} is listed but cannot be loaded"
        found.append([*path, name])
        if isinstance(command, click.Group):
            sub_ctx = click.Context(command, info_name=name, parent=ctx)
            found.extend(_walk(command, sub_ctx, [*path, name]))
    return found


def test_every_command_has_help(runner: CliRunner) -> None:
    root = click.Context(cli, info_name="vertaal")
    commands = _walk(cli, root, [])
    assert ["models", "install"] in commands and ["models", "train"] in commands
    for command in [[], *commands]:
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0, f"vertaal {' '.join(command)} --help: {result.output}"
        assert "Usage:" in result.output


def test_models_help_lists_its_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["models", "--help"])
    for name in ("list", "install", "remove", "train"):
        assert f"  {name}" in result.output
    assert "Install a package" in result.output
