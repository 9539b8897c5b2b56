"""Plain-text rendering of score and evaluation results (the CLI prints these strings)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from translate.scoring.quality import LineFlag
from translate.scoring.terms import TermAccuracy

if TYPE_CHECKING:
    from translate.scoring.evaluate import Evaluation
    from translate.scoring.score import ScoreReport


def to_json(data: dict[str, Any]) -> str:
    """Stable, human-diffable JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _table(rows: Sequence[Sequence[str]], right: set[int], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def _ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1-3, 5"``."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = previous = ordered[0]
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


def _wrap_items(items: Sequence[str], prefix: str, width: int = 100) -> list[str]:
    """Comma-separated ``items`` in lines of at most ``width``, never splitting an item."""
    lines: list[str] = []
    current = prefix
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if current.strip() and len(current) + len(piece) + 1 > width and current != prefix:
            lines.append(current.rstrip())
            current = "  "
        current += piece + " "
    lines.append(current.rstrip())
    return lines


def render_terms(terms: TermAccuracy, verbose: bool = True) -> list[str]:
    """Term accuracy summary, and (``verbose``) one row per expected term."""
    if not terms.terms:
        return [f"terms: no glossary term in the source   glossary: {terms.glossary}"]
    lines = [
        f"terms: {terms.exact_found}/{terms.total} exact ({_percent(terms.exact_accuracy)}), "
        f"{terms.inflected_found}/{terms.total} inflection-tolerant "
        f"({_percent(terms.inflected_accuracy)})   glossary: {terms.glossary}"
    ]
    if verbose:
        rows = [["line", "source", "expected", "exact", "tolerant"]]
        rows += [
            [
                str(term.line),
                term.source,
                term.target,
                "yes" if term.exact else "NO",
                "yes" if term.inflected else "NO",
            ]
            for term in terms.terms
        ]
        lines += _table(rows, right={0})
    return lines


def render_flags(flags: Sequence[LineFlag]) -> list[str]:
    """Lines flagged as untranslated or of suspicious length."""
    if not flags:
        return ["flags: none (no untranslated or oddly long/short line)"]
    return ["flags:"] + [f"  line {flag.line}  {flag.kind}: {flag.reason}" for flag in flags]


def render_score_report(report: ScoreReport) -> str:
    """The text ``vertaal score`` prints."""
    refs = len(report.reference_paths)
    header = (
        f"{report.hypothesis_path}: {report.segments} lines, "
        f"{refs} reference{'s' if refs != 1 else ''}"
        + (" (blank lines skipped)" if report.skipped_blank_lines else "")
    )
    lines = [header, ""]
    length = report.length
    rows = [[score.name, f"{score.score:.1f}", score.signature] for score in report.scores]
    rows.append(
        [
            "length",
            f"{length.ratio:.2f}",
            f"hypothesis/reference words ({length.hypothesis_words} / {length.reference_words:g})",
        ]
    )
    lines += _table(rows, right={1})
    if report.sentences is not None:
        lines.append("")
        sentences = report.sentences
        rows = [["line", *[score.name for score in report.scores]]]
        rows += [
            [str(number), *[f"{value:.1f}" for value in row]]
            for number, row in enumerate(sentences.rows, 1)
        ]
        lines += _table(rows, right=set(range(len(rows[0]))))
        lines.append(
            "  sentence-level signatures: "
            + "; ".join(f"{name}: {sig}" for name, sig in sentences.signatures.items())
        )
    lines.append("")
    if report.terms is not None:
        lines += render_terms(report.terms)
    lines += render_flags(report.flags)
    return "\n".join(lines) + "\n"


def render_evaluation(evaluation: Evaluation, verbose: bool = False) -> str:
    """The compact table ``vertaal evaluate`` prints."""
    corpus = evaluation.corpus
    refs = len(corpus.references)
    lines = [
        f"{corpus.name}: {len(corpus.segments)} segments, {refs} reference"
        f"{'s' if refs != 1 else ''} ({', '.join(p.name for p in corpus.reference_paths)})",
        "",
    ]
    metric_names = evaluation.metric_labels
    header = ["system", *metric_names, "terms", "terms~", "time"]
    rows = [header]
    for run in evaluation.runs:
        rows.append(
            [
                run.label,
                *[f"{score.score:.1f}" for score in run.scores],
                _percent(run.terms.exact_accuracy) if run.terms else "–",
                _percent(run.terms.inflected_accuracy) if run.terms else "–",
                f"{run.seconds:.1f}s",
            ]
        )
    lines += _table(rows, right=set(range(1, len(header))))
    for comparison in evaluation.comparisons:
        parts = [
            f"{result.label} {result.delta:+.1f} p={result.p_value:.3f}"
            + ("*" if result.significant else "")
            for result in comparison.results
        ]
        lines.append("")
        lines.append(f"glossary effect on {comparison.model}: " + "  ".join(parts))
        lines.append(f"  {comparison.test_name}; * p < {evaluation.alpha:g}: unlikely to be chance")
    lines.append("")
    lines.append(
        "terms: glossary terms found in the output (WMT21 exact match); terms~: inflection-tolerant"
    )
    models = {run.model: run.model_id for run in evaluation.runs}
    lines.append(
        "model: "
        + ", ".join(f"{name} = {model_id}" for name, model_id in models.items())
        + (f"   glossary: {evaluation.glossary}" if evaluation.glossary else "")
    )
    for run in evaluation.runs:
        kinds: dict[str, list[int]] = {}
        for flag in run.flags:
            kinds.setdefault(flag.kind, []).append(flag.line)
        if kinds:
            described = "; ".join(
                f"{kind} {_ranges(numbers)}" for kind, numbers in sorted(kinds.items())
            )
            lines.append(f"check {run.label} lines: {described}")
    if verbose:
        lines.append("")
        lines.append("signatures:")
        for score in evaluation.runs[0].scores:
            lines.append(f"  {score.name}: {score.signature}")
        for run in evaluation.runs:
            if run.terms is not None and run.terms.terms:
                missed = [term for term in run.terms.terms if not term.inflected]
                if missed:
                    lines += _wrap_items(
                        [f"{t.line}:{t.source}→{t.target}" for t in missed],
                        f"missed by {run.label} ({len(missed)}): ",
                    )
    return "\n".join(lines) + "\n"
