"""Score a hypothesis file against reference files: the core of ``vertaal score``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import ScoringError
from translate.fileio import is_stdin
from translate.scoring.metrics import DEFAULT_METRICS, MetricScore, create_metrics
from translate.scoring.quality import LengthStats, LineFlag, length_stats, line_flags
from translate.scoring.terms import TermAccuracy, term_accuracy
from translate.scoring.textfiles import check_aligned, drop_blank, read_lines


@dataclass(frozen=True)
class SentenceScores:
    """Per-line scores of every metric, as ``sacrebleu --sentence-level`` computes them."""

    metrics: list[str]
    """Registry names, column order."""
    labels: list[str]
    signatures: dict[str, str]
    rows: list[list[float]]
    """``rows[i][j]``: line ``i + 1``, metric ``metrics[j]``."""

    def to_list(self) -> list[dict[str, Any]]:
        """JSON-ready rows."""
        return [
            {"line": number, **{m: round(v, 4) for m, v in zip(self.metrics, row, strict=True)}}
            for number, row in enumerate(self.rows, 1)
        ]


@dataclass(frozen=True)
class ScoreReport:
    """Everything ``vertaal score`` reports about one hypothesis."""

    hypothesis_path: str
    reference_paths: list[str]
    source_path: str | None
    segments: int
    scores: list[MetricScore]
    length: LengthStats
    flags: list[LineFlag]
    terms: TermAccuracy | None = None
    sentences: SentenceScores | None = None
    skipped_blank_lines: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (stable keys; see tests/scoring/golden/)."""
        result: dict[str, Any] = {
            "hypothesis": self.hypothesis_path,
            "references": self.reference_paths,
            "source": self.source_path,
            "segments": self.segments,
            "skip_blank_lines": self.skipped_blank_lines,
            "scores": [
                {
                    "metric": score.metric,
                    "name": score.name,
                    "score": round(score.score, 4),
                    "signature": score.signature,
                    "higher_is_better": score.higher_is_better,
                    **({"details": score.details} if score.details else {}),
                }
                for score in self.scores
            ],
            "length": self.length.to_dict(),
            "flags": [flag.to_dict() for flag in self.flags],
            "terms": self.terms.to_dict() if self.terms else None,
        }
        if self.sentences is not None:
            result["sentence_signatures"] = self.sentences.signatures
            result["sentences"] = self.sentences.to_list()
        return result


def score_lines(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    sentence_level: bool = False,
) -> tuple[list[MetricScore], SentenceScores | None]:
    """Corpus scores (and optionally per-line scores) of aligned lines."""
    instances = create_metrics(metrics)
    scores = [metric.corpus_score(hypotheses, references) for metric in instances]
    if not sentence_level:
        return scores, None
    columns = [metric.sentence_scores(hypotheses, references) for metric in instances]
    sentences = SentenceScores(
        metrics=[metric.name for metric in instances],
        labels=[metric.label for metric in instances],
        signatures={metric.name: metric.sentence_signature() for metric in instances},
        rows=[list(row) for row in zip(*columns, strict=True)],
    )
    return scores, sentences


def score_files(
    hypothesis_path: Path,
    reference_paths: Sequence[Path],
    metrics: Sequence[str] = DEFAULT_METRICS,
    sentence_level: bool = False,
    source_path: Path | None = None,
    glossary_paths: Sequence[Path] = (),
    use_default_glossary: bool = True,
    skip_blank_lines: bool = False,
    domains: Sequence[str] = (),
) -> ScoreReport:
    """Read, validate and score files; see ``vertaal score --help``.

    Term accuracy is computed when ``source_path`` is given, with the glossaries
    in ``glossary_paths`` merged over the default glossary (unless
    ``use_default_glossary`` is false), restricted to ``domains`` when given.
    """
    named = [hypothesis_path, *reference_paths, *([source_path] if source_path else [])]
    if sum(is_stdin(path) for path in named) > 1:
        raise ScoringError("only one of the files can be read from stdin (-)")
    hypotheses = read_lines(hypothesis_path, "hypothesis")
    reference_lines = [read_lines(path, "reference") for path in reference_paths]
    sources = read_lines(source_path, "source") if source_path is not None else None
    if skip_blank_lines:
        hypotheses = drop_blank(hypotheses)
        reference_lines = [drop_blank(lines) for lines in reference_lines]
        sources = drop_blank(sources) if sources is not None else None
    for path, lines in zip(reference_paths, reference_lines, strict=True):
        check_aligned(hypotheses, hypothesis_path, lines, path, "reference")
    if sources is not None and source_path is not None:
        check_aligned(hypotheses, hypothesis_path, sources, source_path, "source")

    scores, sentences = score_lines(hypotheses, reference_lines, metrics, sentence_level)
    terms = None
    if sources is not None:
        from glossary.store import load_glossaries

        glossary = load_glossaries(
            glossary_paths, default=use_default_glossary, domains=domains or None
        )
        terms = term_accuracy(sources, hypotheses, glossary, glossary.label)
    return ScoreReport(
        hypothesis_path=str(hypothesis_path),
        reference_paths=[str(path) for path in reference_paths],
        source_path=str(source_path) if source_path is not None else None,
        segments=len(hypotheses),
        scores=scores,
        length=length_stats(hypotheses, reference_lines),
        flags=line_flags(hypotheses, reference_lines, sources),
        terms=terms,
        sentences=sentences,
        skipped_blank_lines=skip_blank_lines,
    )
