"""The core raises plain exceptions; the CLI root alone renders them (and only it imports click)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import BatchError, InputError, VertaalError, option

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    path
    for package in ("translate", "glossary")
    for path in sorted((ROOT / package).rglob("*.py"))
    if (ROOT / "translate" / "cli") not in path.parents
]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_scan_sees_the_core_and_would_see_click() -> None:
    assert ROOT / "translate" / "engine.py" in CORE and ROOT / "glossary" / "store.py" in CORE
    assert not any("cli" in path.relative_to(ROOT).parts for path in CORE)
    assert "click" in _imported_modules(ROOT / "translate" / "cli" / "__init__.py")


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_does_not_import_click(path: Path) -> None:
    clicky = {name for name in _imported_modules(path) if name.split(".")[0] == "click"}
    assert not clicky, f"{path.relative_to(ROOT)} imports {sorted(clicky)}; only translate/cli may"


def test_errors_are_plain_exceptions_with_message_and_hint() -> None:
    assert not issubclass(VertaalError, click.ClickException)
    bare = InputError("a.txt: empty input")
    assert (bare.message, bare.hint) == ("a.txt: empty input", None)
    assert str(bare) == "a.txt: empty input"
    hinted = BatchError("out: locked", hint=f"choose another {option('outdir')}")
    assert hinted.message == "out: locked"
    assert hinted.hint == "choose another --outdir"  # the setting's conventional spelling
    assert str(hinted) == hinted.format_message() == "out: locked; choose another --outdir"
    assert hinted.render({"outdir": "--output"}) == "out: locked; choose another --output"
    recast = InputError("a.tsv:1: no column", hint=f"pass {option('column')}").recast(BatchError)
    assert type(recast) is BatchError
    assert recast.render({"column": "-c"}) == "a.tsv:1: no column; pass -c"  # marker kept
    copy = pickle.loads(pickle.dumps(hinted))  # crosses process pools intact
    assert type(copy) is BatchError and str(copy) == str(hinted)


def test_root_renders_a_core_error_once_with_the_commands_flag(tmp_path: Path) -> None:
    unknown = tmp_path / "a.xyz"
    unknown.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(unknown), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    # `format_name` is the core's setting; the batch command spells it --format
    assert lines == [f"Error: {unknown}: unknown file type '.xyz'; pass --format"]
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_usage_errors_keep_exit_status_2() -> None:
    assert CliRunner().invoke(cli, ["score", "--metrics", "meteor", "h", "r"]).exit_code == 2
