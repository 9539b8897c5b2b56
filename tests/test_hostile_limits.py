"""Hostile numbers: every numeric option of every command is bounded, and says so in --help."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from translate.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


NUMERIC_OPTIONS = [
    (path, param.name)
    for path in _commands(cli)
    for param in _command(path).params
    if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType))
]


def test_there_are_numeric_options_to_check() -> None:
    assert len(NUMERIC_OPTIONS) >= 15


@pytest.mark.parametrize(("path", "name"), NUMERIC_OPTIONS, ids=lambda v: str(v))
def test_every_numeric_option_has_both_bounds_and_shows_them(
    runner: CliRunner, path: tuple[str, ...], name: str
) -> None:
    param = next(p for p in _command(path).params if p.name == name)
    bounded = param.type
    assert isinstance(bounded, click.types._NumberRangeBase), f"{path} --{name} is unbounded"
    assert bounded.min is not None and bounded.max is not None, f"{path} --{name}"
    help_text = runner.invoke(cli, [*path, "--help"], terminal_width=200).stdout
    assert f"<=x<={bounded.max}" in help_text.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize(
    "arguments",
    [
        ["evaluate", "--samples", "100000000"],
        ["translate", "--beam-size", "1000"],
        ["translate", "--threads", "0"],
        ["batch", "x", "-o", "y", "--workers", "100000"],
        ["batch", "x", "-o", "y", "--chunk-size", "0"],
        ["models", "install", "nl", "en", "--timeout", "1e12"],
        ["models", "train", "--d-model", "99999999"],
        ["glossary", "extract", "x", "--min-count", "-1"],
    ],
    ids=lambda v: " ".join(v[:3]),
)
def test_out_of_range_values_are_refused_before_any_work(
    runner: CliRunner, arguments: list[str]
) -> None:
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert "is not in the range" in result.stderr
    assert "Traceback" not in result.output
