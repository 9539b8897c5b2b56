"""Metric registry, and agreement with sacreBLEU's own command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.errors import ScoringError
from translate.scoring.metrics import METRICS, Metric, create_metrics, parse_metric_names
from translate.scoring.score import score_files

from .conftest import GOLDEN, NOS

SACREBLEU_FLAGS = {
    "bleu": ["-m", "bleu"],
    "chrf": ["-m", "chrf"],
    "chrf++": ["-m", "chrf", "--chrf-word-order", "2"],
    "ter": ["-m", "ter"],
}


def sacrebleu_cli(args: list[str]) -> str:
    """Run sacreBLEU's CLI from this environment; its stdout."""
    executable = shutil.which("sacrebleu", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "sacrebleu"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def test_registry_holds_every_metric_under_its_cli_name() -> None:
    assert list(METRICS) == ["bleu", "chrf", "chrf++", "ter"]
    for name, cls in METRICS.items():
        assert issubclass(cls, Metric)
        assert cls.name == name
    assert METRICS["ter"].higher_is_better is False


def test_metric_names_are_parsed_case_insensitively_and_deduplicated() -> None:
    assert parse_metric_names(" BLEU, chrf ,bleu,,TER") == ["bleu", "chrf", "ter"]


@pytest.mark.parametrize("spec", ["meteor", "bleu,comet", ",,"])
def test_unknown_or_missing_metric_is_a_one_line_error(spec: str) -> None:
    with pytest.raises(ScoringError) as caught:
        parse_metric_names(spec)
    assert "\n" not in caught.value.message
    assert "bleu, chrf, chrf++, ter" in caught.value.message


def test_sacrebleu_is_imported_only_when_a_metric_is_used() -> None:
    code = (
        "import sys; from translate.scoring import metrics, score, terms, evaluate, render; "
        "from translate.cli import score_cmd, evaluate_cmd; "
        "m = metrics.create_metrics(['bleu']); assert 'sacrebleu' not in sys.modules, 'early'; "
        "m[0].corpus_score(['a b'], [['a b']]); assert 'sacrebleu' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize(
    ("hypothesis", "references"),
    [
        (GOLDEN / "hyp.en.txt", [GOLDEN / "ref-a.en.txt", GOLDEN / "ref-b.en.txt"]),
        (NOS / "ref-b.en.txt", [NOS / "ref-a.en.txt"]),
    ],
    ids=["golden-2refs", "nos-1ref"],
)
@pytest.mark.parametrize("metric", list(METRICS))
def test_corpus_scores_equal_sacrebleu_cli(
    hypothesis: Path, references: list[Path], metric: str
) -> None:
    report = score_files(hypothesis, references, metrics=[metric])
    (ours,) = report.scores
    output = sacrebleu_cli(
        [*map(str, references), "-i", str(hypothesis), *SACREBLEU_FLAGS[metric], "-w", "4"]
    )
    theirs = json.loads(output)
    assert ours.name == theirs["name"]
    assert round(ours.score, 4) == pytest.approx(theirs["score"], abs=1e-9)
    assert ours.signature == theirs["signature"]


@pytest.mark.parametrize("metric", list(METRICS))
def test_sentence_scores_equal_sacrebleu_cli(metric: str) -> None:
    hypothesis = GOLDEN / "hyp.en.txt"
    references = [GOLDEN / "ref-a.en.txt", GOLDEN / "ref-b.en.txt"]
    report = score_files(hypothesis, references, metrics=[metric], sentence_level=True)
    assert report.sentences is not None
    output = sacrebleu_cli(
        [
            *map(str, references),
            "-i",
            str(hypothesis),
            *SACREBLEU_FLAGS[metric],
            "-sl",
            "-w",
            "4",
            "-b",
        ]
    )
    theirs = [float(line) for line in output.split()]
    ours = [round(row[0], 4) for row in report.sentences.rows]
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_sentence_signature_reports_effective_order_for_bleu() -> None:
    (bleu,) = create_metrics(["bleu"])
    bleu.sentence_scores(["a b c"], [["a b c"]])
    assert "eff:yes" in bleu.sentence_signature()
    assert "eff:no" in bleu.corpus_score(["a b c"], [["a b c"]]).signature
