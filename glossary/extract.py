"""Proposing glossary candidates from a Dutch corpus.

Three kinds of candidates, counted over the corpus:

* acronyms: 2–6 capitals, optionally with digits (``NAVO``, ``NIS``, ``G7``),
  also as the head of a hyphenated compound (``NAVO-top``);
* names: runs of capitalised words not at the start of a sentence
  (``Tweede Kamer``, ``Mark Rutte``), joined by Dutch name particles
  (``van``, ``de``, ``der``: ``minister van Defensie``);
* frequent noun phrases: an adjective ending in ``-e`` followed by a noun
  (``vragende partij``), when they occur at least ``min_count`` times.

Candidates become fuzzy entries (empty target unless the term is an acronym,
which is proposed as ``no-translate`` review material) for a person to review.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from glossary.match import Matcher
from glossary.store import FUZZY, Glossary, GlossaryEntry

_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5})(?![a-z])")
_WORD = re.compile(r"[\w'’-]+")
_PARTICLES = {"van", "de", "der", "den", "het", "voor"}
_STOPWORDS = {
    "de",
    "het",
    "een",
    "die",
    "deze",
    "dat",
    "dit",
    "hij",
    "zij",
    "ze",
    "we",
    "wij",
    "ik",
    "in",
    "op",
    "en",
    "maar",
    "ook",
    "volgens",
    "daar",
    "daarbij",
    "intussen",
    "beide",
    "niemand",
    "president",
}
_ADJ_NOUN = re.compile(r"\b([a-zë]{3,}e)\s+([a-zë]{4,})\b")


@dataclass(frozen=True)
class Candidate:
    """A proposed term, its kind and how often it occurs."""

    term: str
    kind: str
    count: int


def extract_candidates(lines: Iterable[str], min_count: int = 2) -> list[Candidate]:
    """Candidates from Dutch ``lines``, most frequent first."""
    acronyms: Counter[str] = Counter()
    names: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for line in lines:
        for found in _ACRONYM.finditer(line):
            acronyms[found.group(1)] += 1
        for sentence in re.split(r"(?<=[.!?])\s+|[\"“”:]", line):
            words = _WORD.findall(sentence)
            run: list[str] = []
            for index, word in enumerate([*words, ""]):
                capital = word[:1].isupper() and not word.isupper() and index > 0
                if capital and "-" in word:
                    # the head of a compound (Kremlin-woordvoerder) is a name on its own
                    _flush(run, names)
                    run = []
                    if not word.split("-")[0].isupper():
                        names[word.split("-")[0]] += 1
                elif capital and word.lower() not in _STOPWORDS:
                    run.append(word)
                elif run and word in _PARTICLES and index + 1 < len(words):
                    nxt = words[index + 1]
                    if nxt[:1].isupper():
                        run.append(word)
                        continue
                    _flush(run, names)
                    run = []
                else:
                    _flush(run, names)
                    run = []
        for found in _ADJ_NOUN.finditer(line):
            if found.group(1) not in _STOPWORDS:
                phrases[f"{found.group(1)} {found.group(2)}"] += 1
    result = [Candidate(t, "acronym", n) for t, n in acronyms.items() if n >= 1]
    result += [Candidate(t, "name", n) for t, n in names.items() if n >= min_count or " " in t]
    result += [Candidate(t, "phrase", n) for t, n in phrases.items() if n >= min_count]
    result.sort(key=lambda c: (-c.count, c.term))
    return result


def _flush(run: list[str], names: Counter[str]) -> None:
    while run and run[-1] in _PARTICLES:
        run.pop()
    if run:
        names[" ".join(run)] += 1


def candidates_to_entries(
    candidates: Iterable[Candidate], existing: Glossary | None = None
) -> list[GlossaryEntry]:
    """Fuzzy entries for candidates that ``existing`` does not already cover.

    A candidate is covered when it is a term of ``existing`` or one of its
    entries matches the whole candidate (``Oekraïense`` by ``Oekraïens``).
    """
    known = {e.source.casefold() for e in existing.entries} if existing else set()
    matcher = Matcher(existing.entries) if existing else None
    entries = []
    for candidate in candidates:
        if candidate.term.casefold() in known:
            continue
        if matcher and any(
            m.start == 0 and m.end == len(candidate.term) for m in matcher.find(candidate.term)
        ):
            continue
        known.add(candidate.term.casefold())
        entries.append(
            GlossaryEntry(
                source=candidate.term,
                target="",
                flags=(FUZZY,),
                notes=f"extracted: {candidate.kind}, {candidate.count}x in corpus",
            )
        )
    return entries
