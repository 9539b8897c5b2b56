"""Translate a reference corpus with and without the glossary, score both, and test the difference.

The core of ``vertaal evaluate``. For every model, the corpus document is
translated twice through the real pipeline (:meth:`Engine.translate_document`,
once with the glossary enforcer, once without), each output is scored against
all references, and sacreBLEU's paired significance test (bootstrap
resampling or approximate randomization) says whether the glossary's effect
on BLEU/chrF is more than chance.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.errors import ScoringError
from translate.scoring.corpus import Corpus
from translate.scoring.metrics import MetricScore, create_metrics
from translate.scoring.quality import LengthStats, LineFlag, length_stats, line_flags
from translate.scoring.terms import TermAccuracy, term_accuracy
from translate.scoring.textfiles import split_lines

SIGNIFICANCE_TESTS = {"bs": "paired bootstrap resampling", "ar": "approximate randomization"}
DEFAULT_EVALUATE_METRICS: tuple[str, ...] = ("bleu", "chrf", "ter")
ALPHA = 0.05

StatusCallback = Callable[[str], None]
"""Receives one-line notes on what the evaluation is doing (the CLI prints them)."""


@dataclass(frozen=True)
class SegmentTerm:
    """A glossary term the enforcer put into a corpus segment's output (as evaluate reports it)."""

    source: str
    target: str
    verified: bool
    """The enforcer confirmed the target is present in the final output."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {"source": self.source, "target": self.target, "verified": self.verified}


@dataclass(frozen=True)
class SystemRun:
    """One model's translation of the corpus (with or without glossary) and its scores."""

    label: str
    model: str
    model_id: str
    glossary: bool
    outputs: list[str]
    """One output line per corpus segment."""
    seconds: float
    scores: list[MetricScore]
    chrf: list[float]
    """Sentence-level chrF of every segment (the chart and the worst-first order use it)."""
    length: LengthStats
    flags: list[LineFlag]
    terms: TermAccuracy | None
    applied: list[list[SegmentTerm]] = field(default_factory=list)
    """Terms the enforcer applied, per segment (empty without glossary)."""

    def score(self, metric: str) -> MetricScore:
        """The corpus score of registry name ``metric``."""
        for score in self.scores:
            if score.metric == metric:
                return score
        raise KeyError(metric)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "label": self.label,
            "model": self.model,
            "model_id": self.model_id,
            "glossary": self.glossary,
            "seconds": round(self.seconds, 3),
            "scores": {
                score.metric: {
                    "name": score.name,
                    "score": round(score.score, 4),
                    "signature": score.signature,
                }
                for score in self.scores
            },
            "length": self.length.to_dict(),
            "terms": self.terms.to_dict() if self.terms else None,
            "flags": [flag.to_dict() for flag in self.flags],
            "segments": [
                {
                    "line": number,
                    "output": output,
                    "chrf": round(chrf, 4),
                    "applied_terms": [
                        term.to_dict()
                        for term in (self.applied[number - 1] if self.applied else [])
                    ],
                }
                for number, (output, chrf) in enumerate(
                    zip(self.outputs, self.chrf, strict=True), 1
                )
            ],
        }


@dataclass(frozen=True)
class MetricDifference:
    """The glossary's effect on one metric and its p-value."""

    metric: str
    label: str
    baseline: float
    system: float
    p_value: float
    higher_is_better: bool
    alpha: float = ALPHA

    @property
    def delta(self) -> float:
        """System minus baseline."""
        return self.system - self.baseline

    @property
    def significant(self) -> bool:
        """p below alpha."""
        return self.p_value < self.alpha

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "metric": self.metric,
            "name": self.label,
            "baseline": round(self.baseline, 4),
            "system": round(self.system, 4),
            "delta": round(self.delta, 4),
            "p_value": round(self.p_value, 4),
            "significant": self.significant,
        }


@dataclass(frozen=True)
class Comparison:
    """Paired significance test of ``system`` against ``baseline`` on the same segments."""

    model: str
    baseline: str
    system: str
    test: str
    """``bs`` or ``ar``."""
    samples: int
    results: list[MetricDifference]
    signatures: dict[str, str]

    @property
    def test_name(self) -> str:
        """Human name of the test with its sample count."""
        unit = "resamples" if self.test == "bs" else "trials"
        return f"{SIGNIFICANCE_TESTS[self.test]}, {self.samples} {unit}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "model": self.model,
            "baseline": self.baseline,
            "system": self.system,
            "test": self.test,
            "test_name": SIGNIFICANCE_TESTS[self.test],
            "samples": self.samples,
            "results": [result.to_dict() for result in self.results],
            "signatures": self.signatures,
        }


@dataclass(frozen=True)
class Evaluation:
    """Everything ``vertaal evaluate`` found."""

    corpus: Corpus
    runs: list[SystemRun]
    comparisons: list[Comparison]
    glossary: str | None
    alpha: float = ALPHA

    @property
    def metric_labels(self) -> list[str]:
        """Score names in column order."""
        return [score.name for score in self.runs[0].scores] if self.runs else []

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "corpus": {
                "name": self.corpus.name,
                "path": str(self.corpus.path),
                "segments": len(self.corpus.segments),
                "references": [str(path) for path in self.corpus.reference_paths],
            },
            "glossary": self.glossary,
            "alpha": self.alpha,
            "runs": [run.to_dict() for run in self.runs],
            "comparisons": [comparison.to_dict() for comparison in self.comparisons],
        }


def output_segments(text: str, expected: int, model: str) -> list[str]:
    """The non-empty lines of a translated document, which align with the corpus segments."""
    lines = [line for line in split_lines(text) if line.strip()]
    if len(lines) != expected:
        raise ScoringError(
            f"{model}: translation has {len(lines)} non-empty lines but the source has "
            f"{expected}; the engine did not preserve the layout"
        )
    return lines


def _line_of_each_segment(segments: Sequence[Any], sources: Sequence[str]) -> list[int | None]:
    # The engine reports sentences; a corpus segment (line) may hold several.
    # Walk both in order, assigning each sentence to the line that contains it.
    lines: list[int | None] = []
    line, cursor = 0, 0
    for segment in segments:
        sentence = str(segment.source).strip()
        while line < len(sources):
            position = sources[line].find(sentence, cursor) if sentence else cursor
            if position >= 0:
                cursor = position + len(sentence)
                break
            line, cursor = line + 1, 0
        lines.append(line if line < len(sources) else None)
    return lines


def _flags_per_line(segments: Sequence[Any], sources: Sequence[str]) -> list[LineFlag]:
    """The engine's per-sentence flags (numbers, repetition...) as flags of corpus lines."""
    flags: list[LineFlag] = []
    for segment, line in zip(segments, _line_of_each_segment(segments, sources), strict=True):
        if line is not None:
            flags += [LineFlag(line + 1, flag.name, flag.reason) for flag in segment.flags]
    return flags


def _applied_per_line(segments: Sequence[Any], sources: Sequence[str]) -> list[list[SegmentTerm]]:
    per_line: list[list[SegmentTerm]] = [[] for _ in sources]
    for segment, line in zip(segments, _line_of_each_segment(segments, sources), strict=True):
        if line is None:
            continue
        per_line[line] += [
            SegmentTerm(source=str(term.source), target=str(term.target), verified=term.verified)
            for term in segment.terms
        ]
    return per_line


def score_run(
    label: str,
    model: str,
    model_id: str,
    corpus: Corpus,
    outputs: list[str],
    seconds: float,
    metrics: Sequence[str],
    glossary: Any | None,
    glossary_label: str | None,
    with_glossary: bool,
    applied: list[list[SegmentTerm]] | None = None,
    segment_flags: Sequence[LineFlag] = (),
) -> SystemRun:
    """Score one system's outputs on ``corpus`` (exposed so tests can score fixed outputs).

    ``segment_flags`` are the engine's reference-free flags, by corpus line; they
    join the reference-based ones of :func:`line_flags`.
    """
    references = [list(stream) for stream in corpus.references]
    scores = [metric.corpus_score(outputs, references) for metric in create_metrics(metrics)]
    chrf = create_metrics(["chrf"])[0].sentence_scores(outputs, references)
    terms = (
        term_accuracy(corpus.segments, outputs, glossary, glossary_label)
        if glossary is not None
        else None
    )
    return SystemRun(
        label=label,
        model=model,
        model_id=model_id,
        glossary=with_glossary,
        outputs=outputs,
        seconds=seconds,
        scores=scores,
        chrf=chrf,
        length=length_stats(outputs, references),
        flags=sorted(
            [*line_flags(outputs, references, corpus.segments), *segment_flags],
            key=lambda flag: flag.line,
        ),
        terms=terms,
        applied=applied or [[] for _ in outputs],
    )


def compare(
    baseline: SystemRun,
    system: SystemRun,
    corpus: Corpus,
    metrics: Sequence[str],
    test: str = "bs",
    samples: int = 0,
    alpha: float = ALPHA,
) -> Comparison:
    """sacreBLEU's paired test (``bs`` or ``ar``) of ``system`` against ``baseline``.

    ``samples`` = 0 takes sacreBLEU's defaults (1000 resamples, 10000 trials).
    The seed is sacreBLEU's (``$SACREBLEU_SEED``, default 12345), so results repeat.
    Equal scores get p = 1 (sacreBLEU itself would call them significant).
    """
    if test not in SIGNIFICANCE_TESTS:
        raise ScoringError(f"unknown significance test {test!r}; choose bs or ar")
    from sacrebleu.significance import PairedTest

    instances = create_metrics(metrics)
    references = [list(stream) for stream in corpus.references]
    named: list[tuple[str, Sequence[str]]] = [
        (baseline.label, baseline.outputs),
        (system.label, system.outputs),
    ]
    paired = PairedTest(
        named,
        {metric.name: metric.sacrebleu_metric() for metric in instances},
        references,
        test_type=test,
        n_samples=samples,
    )
    signatures, results = paired()
    differences: list[MetricDifference] = []
    names = [name for name in results if name != "System"]
    for metric, name in zip(instances, names, strict=True):
        base_result, system_result = results[name][0], results[name][1]
        differences.append(
            MetricDifference(
                metric=metric.name,
                label=name,
                baseline=float(getattr(base_result, "score", 0.0)),
                system=float(getattr(system_result, "score", 0.0)),
                p_value=_p_value(base_result, system_result),
                higher_is_better=metric.higher_is_better,
                alpha=alpha,
            )
        )
    return Comparison(
        model=baseline.model,
        baseline=baseline.label,
        system=system.label,
        test=test,
        samples=paired.n_samples,
        results=differences,
        signatures={name: signature.format() for name, signature in signatures.items()},
    )


def _p_value(baseline: Any, system: Any) -> float:
    # sacreBLEU counts resamples whose difference *exceeds* the observed one, so
    # two systems with equal scores get p = 1/(n+1), i.e. "significant". No
    # difference is never evidence of one: report p = 1 instead.
    if float(baseline.score) == float(system.score):
        return 1.0
    value = getattr(system, "p_value", None)
    return 1.0 if value is None else float(value)


def evaluate_corpus(
    corpus: Corpus,
    models: Sequence[str | None] = (None,),
    glossary_paths: Sequence[Path] = (),
    use_default_glossary: bool = True,
    metrics: Sequence[str] = DEFAULT_EVALUATE_METRICS,
    domains: Sequence[str] = (),
    test: str = "bs",
    samples: int = 0,
    progress: StatusCallback | None = None,
) -> Evaluation:
    """Translate ``corpus`` with each model, without and with the glossary, and score it all.

    ``models`` are package specs for :func:`translate.packages.resolve_package`
    (``None`` = the best installed nl→en package, else the bundled one).
    Without any glossary (no paths and ``use_default_glossary`` false) only the
    plain translations are scored and nothing is compared.
    """
    from glossary.enforce import Enforcer
    from glossary.store import Glossary, load_glossaries
    from translate.engine import Engine
    from translate.packages import resolve_package

    report = progress or (lambda message: None)
    loaded = load_glossaries(glossary_paths, default=use_default_glossary, domains=domains or None)
    enforcer = Enforcer(loaded) if loaded.active() else None
    glossary: Glossary | None = loaded if enforcer is not None else None
    glossary_label = loaded.label if enforcer is not None else None
    # both runs keep protected spans (numbers, codes...), as `vertaal translate` does
    protection = Enforcer(None)

    runs: list[SystemRun] = []
    comparisons: list[Comparison] = []
    seen: set[str] = set()
    # every model is checked (installed, nl→en) before any is loaded
    for package in [resolve_package(spec) for spec in models]:
        name = package.name
        if name in seen:
            continue
        seen.add(name)
        engine = Engine.load(package)
        model_id = str(engine.model_id)

        variants: list[tuple[bool, Any]] = [(False, protection)]
        if enforcer is not None:
            variants.append((True, enforcer))
        pair: list[SystemRun] = []
        for with_glossary, active in variants:
            label = f"{name} +glossary" if with_glossary else name
            report(f"translating {corpus.name} with {label}")
            start = time.perf_counter()
            document = engine.translate_document(corpus.source_text, active, check=True)
            seconds = time.perf_counter() - start
            outputs = output_segments(document.text, len(corpus.segments), label)
            applied = (
                _applied_per_line(document.segments, corpus.segments) if with_glossary else None
            )
            pair.append(
                score_run(
                    label,
                    name,
                    model_id,
                    corpus,
                    outputs,
                    seconds,
                    metrics,
                    glossary,
                    glossary_label,
                    with_glossary,
                    applied,
                    _flags_per_line(document.segments, corpus.segments),
                )
            )
        runs.extend(pair)
        if len(pair) == 2:
            report(f"testing significance for {name} ({SIGNIFICANCE_TESTS[test]})")
            comparisons.append(compare(pair[0], pair[1], corpus, metrics, test, samples))
    return Evaluation(corpus=corpus, runs=runs, comparisons=comparisons, glossary=glossary_label)
