"""`vertaal glossary ...` through click's runner, on real PO files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.store import load_glossary
from translate.cli import cli

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).resolve().parents[2]


def _run(runner: CliRunner, *args: str, code: int = 0, stdin: str | None = None) -> str:
    result = runner.invoke(cli, ["glossary", *args], input=stdin)
    assert result.exit_code == code, result.output + str(result.exception)
    return result.output


def test_add_remove_approve_edit_in_place(runner: CliRunner, tmp_path: Path) -> None:
    po = str(tmp_path / "mijn.po")
    _run(runner, "add", "vragende partij", "asking party", "-g", po, "-n", "Idiom.")
    _run(runner, "add", "NIS", "--no-translate", "--case-sensitive", "-g", po)
    _run(runner, "add", "wapenstilstand", "armistice", "--fuzzy", "-g", po)
    _run(runner, "add", "persoon", "person", "--plural", "people", "-g", po)
    _run(runner, "add", "Kiev", "Kiev", "-g", po)
    out = _run(runner, "add", "kiev", "Kyiv", "-g", po, code=1)
    assert "exists already" in out and "--replace" in out
    _run(runner, "add", "kiev", "Kyiv", "--replace", "-g", po)
    _run(runner, "remove", "persoon", "-g", po)
    _run(runner, "approve", "wapenstilstand", "-g", po)
    assert Path(po).read_bytes() == (GOLDEN / "cli-edited.po").read_bytes()


def test_writes_require_an_explicit_glossary(runner: CliRunner) -> None:
    out = _run(runner, "add", "NAVO", "NATO", code=2)
    assert "--glossary" in out


def test_remove_and_approve_unknown_terms_fail(runner: CliRunner, tmp_path: Path) -> None:
    po = str(tmp_path / "g.po")
    _run(runner, "add", "NAVO", "NATO", "-g", po)
    assert "no term 'Poetin'" in _run(runner, "remove", "Poetin", "-g", po, code=1)
    assert "no fuzzy term" in _run(runner, "approve", "NAVO", "-g", po, code=1)


def test_list_and_show_default_glossary(runner: CliRunner) -> None:
    listing = _run(runner, "list")
    assert "vragende partij" in listing and "asking party" in listing
    rows = json.loads(_run(runner, "list", "--json", "--fuzzy"))
    assert rows and all("fuzzy" in row["flags"] for row in rows)
    shown = _run(runner, "show", "navo")
    assert "english: NATO" in shown and "news.nl-en.po:" in shown


def test_match_shows_spans_and_reasons(runner: CliRunner) -> None:
    out = _run(runner, "match", "De vragende partijen op de NAVO-top; kennis van het vonnis.")
    lines = out.strip().splitlines()
    assert lines[0].startswith("3-20\t'vragende partijen'\t→ asking parties\t[inflected (-en)]")
    assert "[compound-head]" in lines[1]
    assert len(lines) == 3  # two matches and the count; kennis/vonnis never match NIS
    rows = json.loads(_run(runner, "match", "--json", stdin="De Navo"))
    assert rows[0]["reason"] == "case-folded"


def test_lint_reports_errors_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    po = tmp_path / "lint.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Source-Language: nl\\n"\n\n'
        'msgid "NAVO"\nmsgstr "NATO"\n\n'
        'msgid "Navo"\nmsgstr "OTAN"\n\n'
        'msgid "Poetin"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "wapenstilstand"\nmsgstr "armistice"\n\n'
        '#, made-up\nmsgid "Moskou"\nmsgstr "Moscow"\n',
        encoding="utf-8",
    )
    corpus = tmp_path / "c.txt"
    corpus.write_text("De NAVO en Poetin.\n", encoding="utf-8")
    out = _run(runner, "lint", "-g", str(po), "--corpus", str(corpus), code=1)
    assert f"{po}:9: error: conflicting targets for 'Navo'" in out
    assert f"{po}:12: error: empty English target for 'Poetin'" in out
    assert "warning: fuzzy (not approved" in out
    assert "unknown flag 'made-up'" in out
    assert "'Moskou' matches nothing in the corpus" in out


def test_lint_of_shipped_glossary_has_no_errors(runner: CliRunner) -> None:
    _run(runner, "lint")


def test_po_syntax_error_is_one_line_with_line_number(runner: CliRunner, tmp_path: Path) -> None:
    po = tmp_path / "broken.po"
    po.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr\n', encoding="utf-8")
    out = _run(runner, "list", "-g", str(po), code=1)
    assert out.startswith(f"Error: {po}:5: PO syntax error")
    assert "Traceback" not in out


def test_import_export_via_cli(runner: CliRunner, tmp_path: Path) -> None:
    csv_file = tmp_path / "deepl.csv"
    csv_file.write_text("source,target\nNAVO,NATO\nPoetin,Putin\n", encoding="utf-8")
    po = str(tmp_path / "g.po")
    _run(runner, "add", "NAVO", "Nato", "-g", po)
    _run(runner, "import", str(csv_file), "-g", po, "--fuzzy")
    glossary = load_glossary(Path(po))
    assert {(e.source, e.target, e.fuzzy) for e in glossary} == {
        ("NAVO", "Nato", False),
        ("Poetin", "Putin", True),
    }
    out_file = tmp_path / "out.tsv"
    _run(runner, "export", "-g", po, "-o", str(out_file))
    assert out_file.read_text(encoding="utf-8") == "nl\ten\nNAVO\tNato\nPoetin\tPutin\n"
    assert "<term>Putin</term>" in _run(runner, "export", "-g", po, "--format", "tbx")


def test_extract_proposes_fuzzy_entries(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "nieuws.txt"
    corpus.write_text(
        "De OVSE kwam bijeen. Volgens de OVSE is de Raad van Europa bezorgd.\n"
        "De NAVO en de Raad van Europa spraken over de vragende partij.\n",
        encoding="utf-8",
    )
    po = tmp_path / "voorstel.po"
    _run(runner, "extract", str(corpus), "-o", str(po))
    glossary = load_glossary(po)
    assert {e.source for e in glossary} == {"OVSE", "Raad van Europa"}
    assert all(e.fuzzy for e in glossary)


@pytest.mark.parametrize(
    "command",
    ["list", "show", "add", "remove", "approve", "lint", "import", "export", "match", "extract"],
)
def test_every_command_has_help_with_example(runner: CliRunner, command: str) -> None:
    assert "Example" in _run(runner, command, "--help")


def test_glossary_commands_do_not_import_heavy_modules(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from translate.cli import cli\n"
        "r = CliRunner().invoke(cli, ['glossary', 'match', 'De NAVO-top'])\n"
        "assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(cli, ['glossary', 'lint'])\n"
        "heavy = {'ctranslate2', 'sentencepiece', 'sacrebleu', 'torch', 'dask'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"
