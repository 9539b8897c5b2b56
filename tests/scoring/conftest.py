"""Fixtures for the scoring tests: the golden inputs and small corpora built on the fly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary.store import load_glossary
from translate.scoring.corpus import load_corpus
from translate.scoring.evaluate import Evaluation, compare, score_run

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO_ROOT = Path(__file__).resolve().parents[2]
NOS = REPO_ROOT / "corpora" / "nos-article"

_VERSION = re.compile(r"version:[0-9][0-9a-z.]*")


def normalise(text: str) -> str:
    """Hide sacreBLEU's version in signatures so golden files survive a sacreBLEU upgrade."""
    return _VERSION.sub("version:*", text)


@pytest.fixture(autouse=True)
def fixed_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """sacreBLEU's significance tests read their seed from the environment."""
    monkeypatch.setenv("SACREBLEU_SEED", "12345")


@pytest.fixture
def golden_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run inside tests/scoring/golden so paths in outputs are short and stable."""
    monkeypatch.chdir(GOLDEN)
    return GOLDEN


def write_corpus(root: Path, source: list[str], references: dict[str, list[str]]) -> Path:
    """A corpus directory: source lines separated by blank lines, one file per reference."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "source.nl.txt").write_text("\n\n".join(source) + "\n", encoding="utf-8")
    for name, lines in references.items():
        (root / f"ref-{name}.en.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def fixed_evaluation(
    corpus_spec: str | Path | None = None, worse: dict[int, str] | None = None
) -> Evaluation:
    """An Evaluation built from fixed outputs, no model: the last reference plays the
    system with glossary, a copy with glossary terms undone plays the system without."""
    corpus = load_corpus(corpus_spec)
    glossary = load_glossary(GOLDEN / "glossary.po")
    system = list(corpus.references[-1])
    baseline = [
        line.replace("NATO", "NAVO").replace("Kyiv", "Kiev").replace("Putin", "Poetin")
        for line in system
    ]
    for index, text in (worse or {}).items():
        baseline[index] = text
    metrics = ["bleu", "chrf", "ter"]
    base = score_run("toy", "toy", "toy@1", corpus, baseline, 0.5, metrics, glossary, "g.po", False)
    best = score_run(
        "toy +glossary", "toy", "toy@1", corpus, system, 0.6, metrics, glossary, "g.po", True
    )
    comparison = compare(base, best, corpus, metrics, "bs", 200)
    return Evaluation(corpus, [base, best], [comparison], "g.po")
