"""`vertaal evaluate` through the real pipeline with the bundled model.

Nothing here depends on what the model translates: only on properties the
pipeline guarantees (alignment, scores in range, the glossary's terms present
when it is enforced, a report that renders).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.packages import bundled_package_path
from translate.scoring.corpus import load_corpus
from translate.scoring.evaluate import evaluate_corpus
from translate.scoring.html_report import render_html, write_html
from translate.scoring.render import render_evaluation, to_json

from .conftest import write_corpus
from .test_html_report import _console_messages, browser, run_chromium

MODEL = os.environ.get("VERTAAL_EVAL_TEST_MODEL", "bundled")
"""Package to evaluate; the bundled model unless overridden to try another one."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, str]:
    """One evaluation of the default corpus: its JSON, HTML report and text table."""
    if MODEL == "bundled":
        assert bundled_package_path().is_dir(), "translate/bundled/nl_en is missing"
    evaluation = evaluate_corpus(load_corpus(None), [MODEL], samples=200)
    html = tmp_path_factory.mktemp("evaluate") / "report.html"
    write_html(html, render_html(evaluation))
    data = json.loads(to_json(evaluation.to_dict()))
    return data, html, render_evaluation(evaluation)


def test_cli_prints_json_and_writes_html(runner: CliRunner, tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "mini",
        ["De NAVO-top begint morgen in Brussel.", "Poetin reageerde niet."],
        {"a": ["The NATO summit starts tomorrow in Brussels.", "Putin did not respond."]},
    )
    html = tmp_path / "out" / "r.html"
    html.parent.mkdir()
    args = ["evaluate", str(corpus), "--model", MODEL, "--samples", "50", "--test", "ar"]
    result = runner.invoke(cli, [*args, "--json", "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "translating mini" in result.stderr  # progress goes to stderr, not stdout
    data = json.loads(result.stdout)
    assert data["comparisons"][0]["test"] == "ar"
    assert [run["glossary"] for run in data["runs"]] == [False, True]
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(path.name for path in html.parent.iterdir()) == ["r.html"]
    plain = runner.invoke(cli, [*args, "--no-default-glossary"])
    assert plain.exit_code == 0, plain.output
    assert "+glossary" not in plain.stdout and "glossary effect" not in plain.stdout


def test_default_corpus_is_translated_with_and_without_glossary(
    evaluated: tuple[dict[str, Any], Path, str],
) -> None:
    data, _, _ = evaluated
    assert data["corpus"]["name"] == "nos-article"
    plain, glossed = data["runs"]
    assert (plain["glossary"], glossed["glossary"]) == (False, True)
    for run in (plain, glossed):
        assert len(run["segments"]) == 13
        assert all(segment["output"].strip() for segment in run["segments"])
        assert 0 <= run["scores"]["bleu"]["score"] <= 100
        assert 0 <= run["scores"]["chrf"]["score"] <= 100
    (comparison,) = data["comparisons"]
    assert all(0 < result["p_value"] <= 1 for result in comparison["results"])


def test_enforced_glossary_terms_are_in_the_output(
    evaluated: tuple[dict[str, Any], Path, str],
) -> None:
    data, _, _ = evaluated
    plain, glossed = data["runs"]
    assert glossed["terms"]["expected"] > 40
    assert glossed["terms"]["exact_accuracy"] >= 0.9
    assert glossed["terms"]["inflected_found"] >= plain["terms"]["inflected_found"]
    applied = [t for segment in glossed["segments"] for t in segment["applied_terms"]]
    assert applied, "the enforcer reported no applied term"
    for segment in glossed["segments"]:
        for term in segment["applied_terms"]:
            if term["verified"]:
                assert term["target"].lower() in segment["output"].lower()


def test_table_is_compact_and_names_both_systems(
    evaluated: tuple[dict[str, Any], Path, str],
) -> None:
    data, _, table = evaluated
    lines = table.splitlines()
    assert lines[0] == "nos-article: 13 segments, 2 references (ref-a.en.txt, ref-b.en.txt)"
    header = lines[2].split()
    assert header == ["system", "BLEU", "chrF2", "TER", "terms", "terms~", "time"]
    for run in data["runs"]:
        row = next(line for line in lines if line.strip().startswith(run["label"] + "  "))
        assert f"{run['scores']['bleu']['score']:.1f}" in row
    assert any(line.startswith("glossary effect on ") for line in lines)
    assert len(lines) < 20
    table_rows = lines[2 : 3 + len(data["runs"])]
    assert max(map(len, table_rows)) <= 80  # fits any terminal


@pytest.mark.browser
@browser
def test_report_of_a_real_run_renders(
    evaluated: tuple[dict[str, Any], Path, str], tmp_path: Path
) -> None:
    data, html, _ = evaluated
    done = run_chromium(html, tmp_path / "profile", "--dump-dom")
    assert 'data-rendered="yes"' in done.stdout
    assert _console_messages(done.stderr) == []
    glossed = data["runs"][1]
    row = re.search(r'<tr data-system="[^"]*\+glossary">(.*?)</tr>', done.stdout)
    assert row is not None
    assert f">{glossed['scores']['chrf']['score']:.1f}<" in row.group(1)


def test_several_models_are_compared_each_with_its_own_glossary_run(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = write_corpus(
        tmp_path / "mini", ["De NAVO vergadert in Brussel."], {"a": ["NATO meets in Brussels."]}
    )
    source = bundled_package_path() if MODEL == "bundled" else Path(MODEL)
    second = tmp_path / "second-model"
    shutil.copytree(source, second)
    html = tmp_path / "r.html"
    models = ["-m", MODEL, "-m", str(second), "-m", MODEL]
    options = ["--samples", "20", "--json", "--html", str(html)]
    result = runner.invoke(cli, ["evaluate", str(corpus), *models, *options])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first_name = data["runs"][0]["model"]
    assert [(run["model"], run["glossary"]) for run in data["runs"]] == [
        (first_name, False),
        (first_name, True),
        ("second-model", False),
        ("second-model", True),
    ]  # the repeated model is evaluated once
    assert [c["model"] for c in data["comparisons"]] == [first_name, "second-model"]
    assert html.read_text(encoding="utf-8").count('<section class="model"') == 2
