"""`vertaal score`: golden text and JSON outputs, and one-line errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

from .conftest import normalise

UPDATE = os.environ.get("VERTAAL_UPDATE_GOLDEN") == "1"
"""Set VERTAAL_UPDATE_GOLDEN=1 to rewrite the expected files after an intended change."""

BASE = ["score", "hyp.en.txt", "ref-a.en.txt", "ref-b.en.txt"]
TERMS = ["--source", "source.nl.txt", "-g", "glossary.po", "--no-default-glossary"]

CASES = {
    "score.txt": BASE,
    "score-sentence.txt": [*BASE, "--sentence-level", "-m", "bleu,chrf"],
    "score-terms.txt": [*BASE, *TERMS],
    "score-terms.json": [*BASE, *TERMS, "--json"],
    "score-sentence.json": [*BASE, "--json", "-s", "-m", "chrf,ter"],
}


@pytest.mark.parametrize("expected", list(CASES))
def test_output_matches_golden_file(runner: CliRunner, golden_dir: Path, expected: str) -> None:
    result = runner.invoke(cli, CASES[expected])
    assert result.exit_code == 0, result.output
    actual = normalise(result.stdout)
    path = golden_dir / "expected" / expected
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_json_structure(runner: CliRunner, golden_dir: Path) -> None:
    result = runner.invoke(cli, [*BASE, *TERMS, "--json"])
    data = json.loads(result.stdout)
    assert [score["metric"] for score in data["scores"]] == ["bleu", "chrf", "chrf++", "ter"]
    assert data["segments"] == 5
    assert data["terms"]["expected"] == 8
    assert data["terms"]["exact_found"] == 4 and data["terms"]["inflected_found"] == 5
    assert {"line": 5, "kind": "untranslated", "reason": "identical to the source"} in data["flags"]


def test_default_glossary_is_used_with_source(runner: CliRunner, golden_dir: Path) -> None:
    result = runner.invoke(cli, [*BASE, "--source", "source.nl.txt", "--json"])
    assert result.exit_code == 0, result.output
    assert "news.nl-en.po" in json.loads(result.stdout)["terms"]["glossary"]


def test_blank_lines_can_be_skipped(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "h.txt").write_text("Hello there.\n\nGoodbye now.\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("Hello there.\nGoodbye now.\n", encoding="utf-8")
    args = ["score", str(tmp_path / "h.txt"), str(tmp_path / "r.txt"), "--json", "-m", "chrf"]
    failed = runner.invoke(cli, args)
    assert failed.exit_code == 1 and "--skip-blank-lines" in failed.output
    result = runner.invoke(cli, [*args, "--skip-blank-lines"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["scores"][0]["score"] == 100.0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"h": "a\nb\n", "r": "a\n"}, "r.txt:1: reference ends at line 1 but"),
        ({"h": "a\n", "r": ""}, "r.txt: reference file is empty"),
        (
            {"h": b"caf\xe9\n", "r": "cafe\n"},
            "h.txt:1: hypothesis not valid utf-8 (byte 0xe9 at byte offset 3); "
            "convert it, e.g. iconv -f windows-1252 -t utf-8 h.txt\n",
        ),
    ],
)
def test_bad_files_fail_in_one_line(
    runner: CliRunner, tmp_path: Path, files: dict[str, str | bytes], message: str
) -> None:
    for name, content in files.items():
        path = tmp_path / f"{name}.txt"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["score", str(tmp_path / "h.txt"), str(tmp_path / "r.txt")])
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_misaligned_source_is_reported(runner: CliRunner, golden_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "src.txt"
    source.write_text("Een.\nTwee.\n", encoding="utf-8")
    result = runner.invoke(cli, [*BASE, "--source", str(source)])
    assert result.exit_code == 1
    assert f"{source}:2: source ends at line 2 but hyp.en.txt has 5 lines" in result.output


def test_usage_errors_exit_2(runner: CliRunner, golden_dir: Path) -> None:
    assert runner.invoke(cli, [*BASE, "-m", "meteor"]).exit_code == 2
    assert runner.invoke(cli, ["score", "hyp.en.txt"]).exit_code == 2
    assert runner.invoke(cli, [*BASE, "-g", "glossary.po"]).exit_code == 2
