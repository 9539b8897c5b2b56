"""Cheap sanity checks on a translation: length ratio and untranslated segments.

A model that copies its input, or drifts back into Dutch, can still get a
few BLEU points from names and numbers; these checks name the lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

# Frequent Dutch function words that are not also common English words
# ("in", "is", "was", "over", "door", "die", "men", "want", "had" are left out).
DUTCH_FUNCTION_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "op",
        "te",
        "dat",
        "niet",
        "zijn",
        "voor",
        "met",
        "aan",
        "er",
        "maar",
        "om",
        "ook",
        "als",
        "bij",
        "nog",
        "wel",
        "naar",
        "werd",
        "wordt",
        "worden",
        "werden",
        "geen",
        "hij",
        "zij",
        "ze",
        "wij",
        "jij",
        "je",
        "ik",
        "jullie",
        "deze",
        "dit",
        "wat",
        "wie",
        "waar",
        "hoe",
        "dan",
        "toen",
        "omdat",
        "zoals",
        "tegen",
        "tussen",
        "onder",
        "hebben",
        "heeft",
        "kan",
        "kunnen",
        "moet",
        "moeten",
        "zal",
        "zullen",
        "wil",
        "meer",
        "veel",
        "nu",
        "hier",
        "daar",
        "zich",
        "hun",
        "haar",
        "mijn",
        "uit",
        "tot",
        "na",
        "zonder",
        "volgens",
        "weer",
        "alleen",
        "echter",
        "waren",
        "zou",
        "zouden",
        "kon",
        "mag",
        "gaat",
        "gaan",
        "komt",
        "hem",
        "ons",
        "onze",
        "zijn",
        "niets",
        "iets",
        "alle",
        "andere",
        "elke",
        "bovendien",
        "wel",
        "tijdens",
        "sinds",
        "hebt",
        "heb",
        "ben",
        "bent",
        "nog",
        "dus",
        "toch",
        "nooit",
        "altijd",
        "ook",
    ]
) - {"ben", "bent"}

ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "is",
        "are",
        "was",
        "were",
        "in",
        "on",
        "that",
        "this",
        "it",
        "with",
        "for",
        "as",
        "by",
        "not",
        "be",
        "been",
        "has",
        "have",
        "had",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "will",
        "would",
        "from",
        "at",
        "but",
        "or",
        "who",
        "which",
        "what",
        "when",
        "their",
        "his",
        "her",
        "its",
        "there",
        "these",
        "those",
        "than",
        "then",
        "also",
        "into",
        "about",
        "after",
        "before",
        "over",
        "under",
        "can",
        "could",
        "should",
        "must",
        "may",
        "said",
        "says",
    ]
)

SHORT_RATIO = 0.5
LONG_RATIO = 2.0
"""Per-line hypothesis/reference word ratios outside [SHORT_RATIO, LONG_RATIO] are flagged."""


def words(text: str) -> list[str]:
    """Alphabetic words of ``text``, lower-cased."""
    return [word.lower() for word in _WORD.findall(text)]


def dutch_share(text: str) -> tuple[int, int, int]:
    """``(words, Dutch function words, English function words)`` in ``text``."""
    tokens = words(text)
    dutch = sum(token in DUTCH_FUNCTION_WORDS for token in tokens)
    english = sum(token in ENGLISH_FUNCTION_WORDS for token in tokens)
    return len(tokens), dutch, english


def untranslated_reason(source: str | None, output: str) -> str | None:
    """Why ``output`` looks untranslated, or ``None`` when it looks like English."""
    same = source is not None and _squash(source) == _squash(output)
    if same and source is not None and len(words(source)) >= 2:
        return "identical to the source"
    total, dutch, english = dutch_share(output)
    if total >= 3 and dutch >= 2 and dutch > english and dutch / total >= 0.2:
        return f"mostly Dutch ({dutch} Dutch vs {english} English function words)"
    return None


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class LineFlag:
    """A line that needs a human look, and why."""

    line: int
    kind: str
    """``"untranslated"``, ``"short"`` or ``"long"``."""
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {"line": self.line, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class LengthStats:
    """Words in the hypothesis against the mean words of the references."""

    hypothesis_words: int
    reference_words: float
    """Mean over the reference streams."""

    @property
    def ratio(self) -> float:
        """Hypothesis words / mean reference words (1.0 = same length)."""
        return self.hypothesis_words / self.reference_words if self.reference_words else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "hypothesis_words": self.hypothesis_words,
            "reference_words": round(self.reference_words, 2),
            "ratio": round(self.ratio, 4),
        }


def length_stats(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> LengthStats:
    """Whole-corpus word counts; see :class:`LengthStats`."""
    hypothesis_words = sum(len(line.split()) for line in hypotheses)
    per_stream = [sum(len(line.split()) for line in stream) for stream in references]
    return LengthStats(hypothesis_words, sum(per_stream) / len(per_stream) if per_stream else 0.0)


def line_flags(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    sources: Sequence[str] | None = None,
) -> list[LineFlag]:
    """Lines that look untranslated or far too short/long, in line order."""
    flags: list[LineFlag] = []
    for index, hypothesis in enumerate(hypotheses):
        number = index + 1
        source = sources[index] if sources is not None else None
        reason = untranslated_reason(source, hypothesis)
        if reason:
            flags.append(LineFlag(number, "untranslated", reason))
            continue
        ref_words = sum(len(stream[index].split()) for stream in references) / max(
            len(references), 1
        )
        hyp_words = len(hypothesis.split())
        if ref_words >= 3:
            ratio = hyp_words / ref_words
            if ratio < SHORT_RATIO:
                flags.append(
                    LineFlag(number, "short", f"{hyp_words} words vs {ref_words:g} in reference")
                )
            elif ratio > LONG_RATIO:
                flags.append(
                    LineFlag(number, "long", f"{hyp_words} words vs {ref_words:g} in reference")
                )
    return flags


# -- per-segment flags that need no reference ---------------------------------------

NUMBER = "number"
PROTECTED = "protected"
UNTRANSLATED = "untranslated"
REPETITION = "repetition"
LENGTH = "length"
CONFIDENCE = "confidence"
SEGMENT_FLAGS = (NUMBER, PROTECTED, UNTRANSLATED, REPETITION, LENGTH, CONFIDENCE)
"""Every flag a segment can get, in the order summaries list them."""

LOW_CONFIDENCE = -2.0
"""Mean log-probability per output token (CTranslate2's scores) below which a segment
is flagged. On FLORES dev with the bundled model the score predicts a low sentence chrF
only weakly (``benchmarks/bench_fidelity.py --flags`` prints precision and recall for
several thresholds), so only clearly improbable output is flagged."""
RUNAWAY_RATIO = 2.0
"""Output words per source word above which the output is flagged as runaway."""
TRUNCATED_RATIO = 0.6
"""Output words per source word below which the output is flagged as cut short: the
small model's commonest failure, dropping half a sentence (tuned on FLORES dev)."""
REPEATS = 3
"""A word n-gram (n = 1..4) occurring this many times in a row, or an n-gram of 3+ words
occurring this many times anywhere, where the source has no such repetition."""


@dataclass(frozen=True)
class SegmentFlag:
    """Something in one translated segment that may be wrong, found without a reference."""

    name: str
    """One of :data:`SEGMENT_FLAGS`."""
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {"name": self.name, "reason": self.reason}


def segment_flags(
    source: str,
    output: str,
    spans: Sequence[Any] = (),
    confidence: float | None = None,
) -> list[SegmentFlag]:
    """The flags of one segment: numbers, protected spans, untranslated Dutch,
    repetition, runaway length, low model confidence.

    ``spans`` are the protected spans the enforcer kept (anything with
    ``text``, ``target``, ``kind`` and ``verified``); ``confidence`` is the
    mean log-probability per output token, when the engine measured it.
    """
    flags: list[SegmentFlag] = []
    if not source.strip():
        return flags
    number = number_problem(source, output)
    if number:
        flags.append(SegmentFlag(NUMBER, number))
    lost = [s for s in spans if not s.verified]
    if lost:
        described = ", ".join(f"{s.kind} {s.target!r}" for s in lost[:3])
        flags.append(SegmentFlag(PROTECTED, f"not kept exactly once: {described}"))
    untranslated = untranslated_reason(source, output)
    if untranslated:
        flags.append(SegmentFlag(UNTRANSLATED, untranslated))
    repeated = repetition(output)
    if repeated and not repetition(source):
        flags.append(SegmentFlag(REPETITION, repeated))
    source_words, output_words = len(source.split()), len(output.split())
    runaway = source_words >= 3 and output_words > RUNAWAY_RATIO * source_words
    cut_short = source_words >= 4 and output_words < TRUNCATED_RATIO * source_words
    if runaway or cut_short:
        flags.append(SegmentFlag(LENGTH, f"{output_words} words for {source_words} in the source"))
    if confidence is not None and confidence < LOW_CONFIDENCE:
        flags.append(
            SegmentFlag(
                CONFIDENCE,
                f"low model confidence ({confidence:.2f} mean log-probability per token)",
            )
        )
    return flags


def number_problem(source: str, output: str) -> str | None:
    """Which source numbers are missing from ``output`` in English notation, if any."""
    from collections import Counter

    from translate.protect import output_numbers, source_numbers

    wanted = Counter(source_numbers(source))
    if not wanted:
        return None
    found = Counter(output_numbers(output))
    missing = sorted((wanted - found).elements(), key=lambda v: source.find(v.split(".")[0]))
    if not missing:
        return None
    return f"source number{'s' if len(missing) > 1 else ''} {', '.join(missing)} not in the output"


def repetition(text: str) -> str | None:
    """Describe a suspicious repetition in ``text`` (a decoding loop), or ``None``."""
    tokens = words(text)
    for n in range(1, 5):
        for i in range(len(tokens) - n * REPEATS + 1):
            gram = tokens[i : i + n]
            if all(tokens[i + k * n : i + (k + 1) * n] == gram for k in range(1, REPEATS)):
                return f'"{" ".join(gram)}" repeated {REPEATS}+ times in a row'
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - 2):
        gram3 = tuple(tokens[i : i + 3])
        counts[gram3] = counts.get(gram3, 0) + 1
        if counts[gram3] >= REPEATS:
            return f'"{" ".join(gram3)}" occurs {counts[gram3]} times'
    return None


def flag_summary(flag_lists: Sequence[Sequence[SegmentFlag]]) -> str:
    """One line for stderr: ``3 of 45 sentences flagged: 2 number, 1 repetition``."""
    flagged = sum(1 for flags in flag_lists if flags)
    total = len(flag_lists)
    if not flagged:
        return f"flags: none of {total} sentences flagged"
    counts: dict[str, int] = {}
    for flags in flag_lists:
        for name in dict.fromkeys(flag.name for flag in flags):
            counts[name] = counts.get(name, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], SEGMENT_FLAGS.index(item[0])))
    parts = ", ".join(f"{count} {name}" for name, count in ordered)
    return f"flags: {flagged} of {total} sentences flagged: {parts}"
