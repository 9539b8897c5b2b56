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
