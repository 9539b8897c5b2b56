"""Dutch sentence splitting that keeps the exact layout of a document.

A document is cut into *sentences* (what the model translates) and
*separators* (everything else: line breaks, blank lines, indentation,
the spaces between sentences). ``separators[0] + sentences[0] +
separators[1] + ... + separators[-1]`` is the input again, byte for byte,
so putting translations in the place of the sentences reproduces the layout:
paragraphs, blank lines, leading and trailing whitespace, and one output
line for every non-empty input line.

Sentences never cross a line break; within a line the splitter uses rules
for Dutch instead of a statistical model (no stanza, torch or ONNX):
abbreviations (``o.a.``, ``bijv.``, ``dhr.``), initials (``J.F. Kennedy``),
numbers (``3.5``, ``1.000``), ellipses, quotes and brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Abbreviations that are followed by more of the same sentence: titles,
# prepositional and adverbial shorthands. Lower-cased, with their dots.
_NEVER_FINAL = frozenset(
    [
        "a.d.h.v.",
        "afb.",
        "afd.",
        "alg.",
        "art.",
        "bijv.",
        "bijz.",
        "blz.",
        "bv.",
        "ca.",
        "dhr.",
        "dr.",
        "drs.",
        "e.v.",
        "evt.",
        "excl.",
        "fa.",
        "gem.",
        "hr.",
        "i.c.m.",
        "i.e.",
        "i.h.a.",
        "i.o.m.",
        "i.p.v.",
        "i.s.m.",
        "i.t.t.",
        "i.v.m.",
        "ing.",
        "ir.",
        "jhr.",
        "kol.",
        "lt.",
        "m.a.w.",
        "m.b.t.",
        "m.b.v.",
        "m.i.v.",
        "m.n.",
        "m.u.v.",
        "max.",
        "min.",
        "mevr.",
        "mgr.",
        "mr.",
        "mw.",
        "n.a.v.",
        "nl.",
        "nr.",
        "nrs.",
        "o.a.",
        "o.b.v.",
        "o.l.v.",
        "o.m.",
        "o.v.v.",
        "ong.",
        "p.",
        "pag.",
        "plm.",
        "prof.",
        "red.",
        "resp.",
        "st.",
        "t.a.v.",
        "t.b.v.",
        "t.g.v.",
        "t.h.v.",
        "t.o.v.",
        "t.w.",
        "tel.",
        "v.",
        "vgl.",
        "vs.",
        "z.g.",
        "z.s.m.",
        "zgn.",
        "zg.",
        "zn.",
        "ds.",
        "gen.",
        "kap.",
        "lgo.",
    ]
)

# Abbreviations that often end a sentence ("appels, peren enz. Daarna ...");
# they close a sentence only when a capital letter follows.
_MAY_END = frozenset(
    ["a.s.", "c.s.", "e.a.", "e.d.", "enz.", "etc.", "jl.", "jr.", "sr.", "o.i.d."]
)

_OPENERS = "\"'“‘«([{„‚"
_CLOSERS = "\"'”’»)]}"

# A candidate boundary: terminal punctuation, closing quotes or brackets
# glued to it, then whitespace.
_CANDIDATE = re.compile(r"(?:[.!?]+|…)[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_INITIALS = re.compile(r"(?:[A-ZÀ-Þ]\.)+")
_WORD_BEFORE = re.compile(r"\S*$")
_ELIDED_ARTICLE = re.compile(r"['’](?:s|t|k|n)\b")


@dataclass(frozen=True)
class Segmentation:
    """A text cut into sentences and the separators around them.

    ``len(separators) == len(sentences) + 1``; :meth:`join` with the
    sentences themselves gives back the original text exactly.
    """

    sentences: list[str]
    separators: list[str]

    def join(self, outputs: Sequence[str]) -> str:
        """Put ``outputs`` (one per sentence) where the sentences were.

        Line breaks inside an output are turned into spaces so every input
        line stays one output line.
        """
        if len(outputs) != len(self.sentences):
            raise ValueError(f"expected {len(self.sentences)} outputs, got {len(outputs)}")
        parts = [self.separators[0]]
        for output, separator in zip(outputs, self.separators[1:], strict=True):
            parts.append(_one_line(output))
            parts.append(separator)
        return "".join(parts)

    def map(self, translate: Callable[[list[str]], list[str]]) -> str:
        """Translate all sentences with one call and reassemble the text."""
        return self.join(translate(list(self.sentences)))


_LINE_BREAK = re.compile("(\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])")


def _one_line(text: str) -> str:
    if not _LINE_BREAK.search(text):
        return text
    return _LINE_BREAK.sub(" ", text)


def segment(text: str) -> Segmentation:
    """Cut a document into sentences and separators, line by line.

    Every line break (``\\n``, ``\\r\\n``, a lone ``\\r``, and the other
    Unicode line separators) belongs to a separator, so no sentence spans two
    lines.
    """
    sentences: list[str] = []
    separators: list[str] = [""]
    parts = _LINE_BREAK.split(text)
    for index, line in enumerate(parts):
        if index % 2:  # a captured line break
            separators[-1] += line
            continue
        position = 0
        for start, end in sentence_spans(line):
            separators[-1] += line[position:start]
            sentences.append(line[start:end])
            separators.append("")
            position = end
        separators[-1] += line[position:]
    return Segmentation(sentences, separators)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (without surrounding whitespace), in order."""
    return segment(text).sentences


def sentence_spans(line: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in one line (no ``\\n`` in ``line``).

    Spans are stripped of surrounding whitespace and never empty.
    """
    spans: list[tuple[int, int]] = []
    start = _skip_space(line, 0)
    if start == len(line):
        return spans
    for match in _CANDIDATE.finditer(line):
        end = match.end()
        if end <= start:
            continue
        following = _skip_space(line, end)
        if following == len(line):
            break
        if _is_boundary(line, start, match.start(), match.group(), following):
            spans.append((start, end))
            start = following
    end = len(line.rstrip())
    if end > start:
        spans.append((start, end))
    return spans


def _skip_space(line: str, position: int) -> int:
    while position < len(line) and line[position].isspace():
        position += 1
    return position


def _is_boundary(line: str, sentence_start: int, punct_start: int, punct: str, nxt: int) -> bool:
    """Decide whether the punctuation ``punct`` at ``punct_start`` ends a sentence."""
    next_text = line[nxt:]
    starts_sentence = _starts_sentence(next_text)
    if not starts_sentence:
        return False
    word = _WORD_BEFORE.search(line, sentence_start, punct_start)
    before = word.group() if word else ""
    terminal = punct.rstrip(_CLOSERS)
    if terminal in ("...", "…") or (terminal.startswith("...") and not before):
        # "zei hij ... Dat" (an elision mark standing alone) continues the
        # sentence; "Hij wachtte... Toen" ends it.
        return bool(before)
    if terminal != ".":
        return True  # ! ? ?! and the like
    if not before:
        return True
    if before.isdigit() and punct_start - len(before) == sentence_start:
        return False  # a numbered item: "1. De eerste stap"
    token = before.lstrip(_OPENERS) + "."
    lowered = token.lower()
    if lowered in _NEVER_FINAL:
        return False
    if _INITIALS.fullmatch(token):
        return False  # "J.F. Kennedy", "W. Alexander"
    if lowered in _MAY_END:
        return next_text[:1].isupper()
    return True


def _starts_sentence(text: str) -> bool:
    """Whether ``text`` looks like the start of a Dutch sentence."""
    if _ELIDED_ARTICLE.match(text):
        return True  # "'s Avonds", "'t Is"
    stripped = text.lstrip(_OPENERS + "-–—•*")
    if not stripped:
        return False
    first = stripped[0]
    return first.isupper() or first.isdigit()
