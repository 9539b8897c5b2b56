"""Evaluation: scoring fixed outputs (golden), significance tests, and the real pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.scoring.corpus import load_corpus
from translate.scoring.evaluate import compare, score_run
from translate.scoring.render import render_evaluation, to_json

from .conftest import GOLDEN, fixed_evaluation, normalise, write_corpus

UPDATE = os.environ.get("VERTAAL_UPDATE_GOLDEN") == "1"


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / "expected" / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_evaluation_table_matches_golden_file() -> None:
    evaluation = fixed_evaluation(
        worse={4: "Poetin liet eerder deze week weten dat hij wil praten."}
    )
    _golden("evaluate.txt", normalise(render_evaluation(evaluation, verbose=True)))


def test_evaluation_json_structure() -> None:
    data = json.loads(to_json(fixed_evaluation().to_dict()))
    assert data["corpus"]["name"] == "nos-article" and data["corpus"]["segments"] == 13
    assert [run["label"] for run in data["runs"]] == ["toy", "toy +glossary"]
    run = data["runs"][1]
    assert set(run["scores"]) == {"bleu", "chrf", "ter"}
    assert len(run["segments"]) == 13 and run["segments"][0]["line"] == 1
    (comparison,) = data["comparisons"]
    assert comparison["test"] == "bs" and comparison["samples"] == 200
    assert [r["metric"] for r in comparison["results"]] == ["bleu", "chrf", "ter"]
    assert all(0 < r["p_value"] <= 1 for r in comparison["results"])


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_identical_systems_are_never_significant(test: str) -> None:
    corpus = load_corpus(None)
    outputs = list(corpus.references[0])
    a = score_run("a", "m", "m", corpus, outputs, 0.0, ["bleu", "chrf"], None, None, False)
    b = score_run("b", "m", "m", corpus, outputs, 0.0, ["bleu", "chrf"], None, None, True)
    comparison = compare(a, b, corpus, ["bleu", "chrf"], test, 100)
    assert [(r.delta, r.p_value, r.significant) for r in comparison.results] == [
        (0.0, 1.0, False),
        (0.0, 1.0, False),
    ]


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_a_large_difference_is_significant(test: str) -> None:
    corpus = load_corpus(None)
    good = list(corpus.references[1])
    bad = ["Something else entirely, nothing like it." for _ in good]
    a = score_run("bad", "m", "m", corpus, bad, 0.0, ["chrf"], None, None, False)
    b = score_run("good", "m", "m", corpus, good, 0.0, ["chrf"], None, None, True)
    (result,) = compare(a, b, corpus, ["chrf"], test, 200).results
    assert result.delta > 50 and result.significant


def test_misaligned_corpus_fails_before_any_model_loads(runner: CliRunner, tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "bad", ["Een.", "Twee."], {"a": ["One."]})
    result = runner.invoke(cli, ["evaluate", str(root), "--model", str(tmp_path / "no-model")])
    assert result.exit_code == 1
    assert "ref-a.en.txt:1: reference has 1 lines" in result.output
    assert "Traceback" not in result.output
