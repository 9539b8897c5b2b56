"""Terminology accuracy: did the translation use the glossary's English terms?

For every occurrence of a glossary term in a source line (found with
:func:`glossary.match.find_terms`), the entry's English target is *expected*
in the hypothesis line. Two accuracies are reported:

* **exact** — WMT21 terminology exact-match accuracy (Alam et al., 2021): the
  fraction of expected target terms that occur in the hypothesis, compared
  case-insensitively. We match whole words only (``war`` is not found inside
  ``toward``), and a term expected twice in a line must occur twice.
* **inflection-tolerant** — the same count, but words are compared after a
  small English normalisation (plural ``-s``/``-es``/``-ies``, possessive
  ``'s``, ``-ed``/``-ing``, and hyphen versus space), so "allies'" still counts
  for "ally" and "air-defence systems" for "air defence system".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary.store import Glossary

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class ExpectedTerm:
    """One source occurrence of a glossary term and whether its target was found."""

    line: int
    """1-based line (segment) number."""
    source: str
    """The source text that matched, as written in the line."""
    target: str
    """The English term the glossary prescribes."""
    source_span: tuple[int, int]
    """Character offsets of :attr:`source` in the source line."""
    exact: bool
    """Found by WMT21 exact match."""
    inflected: bool
    """Found by the inflection-tolerant match (always true when :attr:`exact` is)."""
    output_span: tuple[int, int] | None
    """Where the target was found in the hypothesis line (inflection-tolerant), if anywhere."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "line": self.line,
            "source": self.source,
            "target": self.target,
            "exact": self.exact,
            "inflected": self.inflected,
            "source_span": list(self.source_span),
            "output_span": list(self.output_span) if self.output_span else None,
        }


@dataclass(frozen=True)
class TermAccuracy:
    """Term accuracy of one hypothesis against a source and a glossary."""

    terms: list[ExpectedTerm]
    glossary: str
    """Where the glossary came from (paths, joined)."""
    glossary_version: str

    @property
    def total(self) -> int:
        """Number of expected term occurrences."""
        return len(self.terms)

    @property
    def exact_found(self) -> int:
        """Expected terms found by exact match."""
        return sum(term.exact for term in self.terms)

    @property
    def inflected_found(self) -> int:
        """Expected terms found by the inflection-tolerant match."""
        return sum(term.inflected for term in self.terms)

    @property
    def exact_accuracy(self) -> float | None:
        """Fraction found exactly, or ``None`` when the source contains no glossary term."""
        return self.exact_found / self.total if self.terms else None

    @property
    def inflected_accuracy(self) -> float | None:
        """Fraction found with inflection tolerance, or ``None`` without expected terms."""
        return self.inflected_found / self.total if self.terms else None

    def for_line(self, line: int) -> list[ExpectedTerm]:
        """The expected terms of 1-based ``line``."""
        return [term for term in self.terms if term.line == line]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "glossary": self.glossary,
            "glossary_version": self.glossary_version,
            "expected": self.total,
            "exact_found": self.exact_found,
            "inflected_found": self.inflected_found,
            "exact_accuracy": _round(self.exact_accuracy),
            "inflected_accuracy": _round(self.inflected_accuracy),
            "terms": [term.to_dict() for term in self.terms],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def normalise_word(word: str) -> str:
    """Reduce an English word to a crude stem so that inflected forms compare equal."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 5 and word.endswith("ing"):
        return _strip_e(word[:-3])
    if len(word) > 4 and word.endswith("ed"):
        return _strip_e(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return _strip_e(word[:-1])
    return _strip_e(word)


def _strip_e(stem: str) -> str:
    # "defence"/"defences", "continue"/"continued": drop a final e on both sides
    return stem[:-1] if len(stem) > 3 and stem.endswith("e") else stem


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(match.group(), match.start(), match.end()) for match in _WORD.finditer(text)]


def _exact_spans(target: str, output: str) -> list[tuple[int, int]]:
    if not target.strip():
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(target.strip()) + r"(?!\w)", re.IGNORECASE)
    return [(match.start(), match.end()) for match in pattern.finditer(output)]


def _inflected_spans(target: str, output: str) -> list[tuple[int, int]]:
    wanted = [normalise_word(word) for word, _, _ in _words(target)]
    if not wanted:
        return []
    words = _words(output)
    stems = [normalise_word(word) for word, _, _ in words]
    spans: list[tuple[int, int]] = []
    index = 0
    while index + len(wanted) <= len(words):
        if stems[index : index + len(wanted)] == wanted:
            spans.append((words[index][1], words[index + len(wanted) - 1][2]))
            index += len(wanted)
        else:
            index += 1
    return spans


def _assign(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    # Each occurrence in the output can satisfy one expected occurrence only.
    for span in spans:
        if all(span[1] <= other[0] or span[0] >= other[1] for other in taken):
            taken.append(span)
            return span
    return None


def line_terms(
    line_number: int, source: str, output: str, glossary: Glossary
) -> list[ExpectedTerm]:
    """Expected terms of one source line and whether ``output`` contains them."""
    from glossary.match import find_terms

    expected: list[ExpectedTerm] = []
    taken_exact: list[tuple[int, int]] = []
    taken_inflected: list[tuple[int, int]] = []
    for match in sorted(find_terms(source, glossary), key=lambda m: (m.start, m.end)):
        # the form the source calls for (plural, genitive) is the exact expectation;
        # the tolerant match also accepts the glossary's base form
        target = match.target
        exact_span = _assign(_exact_spans(target, output), taken_exact)
        tolerant = _inflected_spans(target, output) + _inflected_spans(match.entry.english, output)
        inflected_span = _assign(sorted(set(tolerant)), taken_inflected)
        if exact_span is not None and inflected_span is None:
            # exact implies tolerant; an exact hit that the tokenizer split differently
            # (e.g. a term with punctuation) still counts
            inflected_span = exact_span
        expected.append(
            ExpectedTerm(
                line=line_number,
                source=source[match.start : match.end],
                target=target,
                source_span=(match.start, match.end),
                exact=exact_span is not None,
                inflected=inflected_span is not None,
                output_span=inflected_span,
            )
        )
    return expected


def term_accuracy(
    sources: Sequence[str],
    outputs: Sequence[str],
    glossary: Glossary,
    glossary_label: str | None = None,
) -> TermAccuracy:
    """Term accuracy of ``outputs`` (line-aligned with ``sources``) for ``glossary``."""
    terms: list[ExpectedTerm] = []
    for number, (source, output) in enumerate(zip(sources, outputs, strict=True), 1):
        terms.extend(line_terms(number, source, output, glossary))
    path = getattr(glossary, "path", None)
    label = glossary_label or (str(path) if path else "glossary")
    return TermAccuracy(
        terms=terms, glossary=label, glossary_version=str(getattr(glossary, "version", ""))
    )
