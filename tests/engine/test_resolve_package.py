"""One ``resolve_package``: every command that takes a model refuses a package for another pair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from translate.cli import cli
from translate.errors import ModelError
from translate.packages import resolve_package


def test_a_package_for_another_pair_is_refused_unless_asked_for(
    packages_root: Path, fake_package: Callable[..., Path]
) -> None:
    german = fake_package(packages_root / "german", "de", "en")
    for spec in ("german", str(german)):
        with pytest.raises(ModelError, match=r"translates de→en, not nl→en; choose another"):
            resolve_package(spec)
        assert resolve_package(spec, pair=("de", "en")).path == german
        assert resolve_package(spec, pair=None).path == german
    assert resolve_package(None, pair=("de", "en")).path == german
    assert resolve_package(None).bundled  # the German one is never the nl→en default


def _one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.stderr
    assert lines and lines[-1].startswith("Error: "), result.stderr
    return lines[-1]


@pytest.mark.parametrize("command", ["translate", "batch", "evaluate"])
def test_every_model_taking_command_refuses_a_de_en_package(
    command: str, tmp_path: Path, fake_package: Callable[..., Path]
) -> None:
    german = fake_package(tmp_path / "german", "de", "en")
    source = tmp_path / "in.txt"
    source.write_text("Hallo wereld.\n", encoding="utf-8")
    out = tmp_path / "out"
    args = {
        "translate": ["translate", str(source), "-o", str(out / "x.txt"), "--model", str(german)],
        "batch": ["batch", str(source), "-o", str(out), "--no-cache", "--model", str(german)],
        "evaluate": ["evaluate", "-m", str(german)],
    }[command]
    line = _one_line_error(CliRunner().invoke(cli, args))
    assert f"Error: {german}: package translates de→en, not nl→en" in line
    assert line.endswith("choose another with --model")
    assert not (out / "x.txt").exists() and not (out / "in.txt").exists()
