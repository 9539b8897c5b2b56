"""Finding glossary terms in Dutch text.

Rules (each match records which of them applied in :attr:`TermMatch.reason`):

* **Longest match first.** Candidates from all entries are collected, then
  taken longest first; a candidate overlapping one already taken is dropped
  (``Verenigde Naties`` wins over a ``Naties`` entry, ``secretaris-generaal``
  over ``secretaris``).
* **Word boundaries.** A term starts after a non-letter that is not a hyphen
  and ends before a non-letter, so ``NIS`` never matches in ``kennis``,
  ``vonnis``, ``Nissan`` or ``ANIS``. A term preceded by a hyphen is the tail
  of a compound and is left to the model (``Navo-secretaris-generaal``
  matches ``Navo`` only).
* **Case.** Terms match in any case (``NAVO``, ``Navo``, ``navo``; reason
  ``case-folded`` when the text differs) except entries flagged
  ``case-sensitive`` and *short acronyms*: an all-capitals term of at most
  three letters (``NIS``, ``VN``, ``VS``) only matches in capitals, because
  in lower case these are ordinary Dutch words (``nis`` = niche, ``vs`` =
  versus).
* **Inflection** (last word only; reason ``inflected``): common nouns take the
  Dutch plural ``-en``/``-s``/``-'s``/``-n`` with the usual spelling changes
  (doubled consonant ``toppen``, ``f``→``v``, ``s``→``z``, long vowel
  ``talen``), adjectives the ending ``-e`` (``Oekraïens`` → ``Oekraïense``);
  names take the genitive ``-s``/``-'s`` (``Poetins``), rendered as English
  ``'s``. Plurals are enforced with the English plural (``plural:`` flag or
  the regular English rule).
* **Hyphenated compounds** (reason ``compound-head``): a term followed by a
  hyphen and more word (``NAVO-top``, ``NAVO-landen``, ``Kremlin-woordvoerder``)
  matches the term only; the rest stays in the text for the model, unless the
  rest is itself a term (``Navo-secretaris-generaal``: reason ``compound-tail``
  for ``secretaris-generaal``). Entries flagged ``no-compound`` opt out.
* **Closed compounds** (reason ``closed-compound-head``): only for entries
  flagged ``closed-compound``, and only when at least three lower-case letters
  follow (``luchtafweersystemen``). Off by default: a Dutch word that merely
  starts with a term (``Brusselaars``, ``Navoleden``?) is too often something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from glossary.store import Glossary, GlossaryEntry

EXACT = "exact"
CASE_FOLDED = "case-folded"
INFLECTED = "inflected"
COMPOUND_HEAD = "compound-head"
COMPOUND_TAIL = "compound-tail"
CLOSED_COMPOUND_HEAD = "closed-compound-head"

_VOWELS = "aeiouy"


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a text: ``text[start:end]`` matched ``entry``."""

    start: int
    end: int
    entry: GlossaryEntry
    reason: str
    """Why it matched: ``exact`` or a comma-separated list of ``case-folded``,
    ``inflected (-en)``, ``compound-head``, ``closed-compound-head``."""
    text: str
    form: str = "base"
    """Grammatical form found: ``base``, ``plural``, ``adjective`` or ``genitive``."""

    @property
    def target(self) -> str:
        """The English text to enforce for this occurrence (plural or genitive when found so)."""
        english = self.entry.english
        if self.form == "plural" and not self.entry.no_translate:
            return self.entry.plural or english_plural(english)
        if self.form == "genitive":
            return english + ("'" if english.endswith("s") else "'s")
        return english


def english_plural(term: str) -> str:
    """The regular English plural of a term (last word), names and acronyms unchanged."""
    if not term or term[0].isupper() or term.isupper():
        return term
    head, _, last = term.rpartition(" ")
    lower = last.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in _VOWELS:
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def _is_short_acronym(source: str) -> bool:
    letters = [c for c in source if c.isalpha()]
    return source.isupper() and 0 < len(letters) <= 3 and " " not in source


def _dutch_forms(word: str, is_name: bool) -> list[tuple[str, str, str]]:
    """(suffix form, form kind, label) for the inflected forms of a last word."""
    forms: list[tuple[str, str, str]] = []
    if is_name:
        forms.append((word + "'s", "genitive", "-'s"))
        if not word.endswith(("s", "x", "z")):
            forms.append((word + "s", "genitive", "-s"))
        if word.isupper():
            return forms
        # proper adjectives/nouns written with a capital (Oekraïens → Oekraïense)
        forms.append((word + "e", "adjective", "-e"))
        return forms
    lower = word.lower()
    plural = "plural"
    forms.append((word + "en", plural, "-en"))
    forms.append((word + "s", plural, "-s"))
    if lower.endswith(("e", "é")):
        forms.append((word + "n", plural, "-n"))
    if lower[-1:] in "aiouy":
        forms.append((word + "'s", plural, "-'s"))
    if len(lower) >= 2 and lower[-1] not in _VOWELS and lower[-2] in _VOWELS:
        # short vowel before a final consonant: top → toppen
        if len(lower) < 3 or lower[-3] not in _VOWELS:
            forms.append((word + word[-1] + "en", plural, "-en"))
            forms.append((word + word[-1] + "e", "adjective", "-e"))
        # long vowel written double: taal → talen
        if len(lower) >= 3 and lower[-2] == lower[-3] and lower[-2] in "aeou":
            forms.append((word[:-2] + word[-1] + "en", plural, "-en"))
            forms.append((word[:-2] + word[-1] + "e", "adjective", "-e"))
    if lower.endswith("f"):
        forms.append((word[:-1] + "ven", plural, "-ven"))
    if lower.endswith("s") and not lower.endswith("ss"):
        forms.append((word[:-1] + "zen", plural, "-zen"))
    forms.append((word + "e", "adjective", "-e"))
    # deduplicate, keep first label
    seen: set[str] = set()
    unique = []
    for form in forms:
        if form[0].lower() not in seen:
            seen.add(form[0].lower())
            unique.append(form)
    return unique


@dataclass(frozen=True)
class _Variant:
    pattern: re.Pattern[str]
    entry: GlossaryEntry
    form: str
    label: str  # "" for the base form
    spelled: str  # the form as the glossary spells it, single spaces


_WORD_CHAR = r"[^\W_]"
_START = r"(?<![^\W_])(?<!-)(?<![^\W_]['’])"


def _variants(entry: GlossaryEntry) -> list[_Variant]:
    words = entry.source.split()
    if not words:
        return []
    prefix = r"\s+".join(re.escape(w) for w in words[:-1])
    prefix = prefix + r"\s+" if prefix else ""
    last = words[-1]
    is_name = entry.source[:1].isupper()
    case_sensitive = entry.case_sensitive or _is_short_acronym(entry.source)
    flags = 0 if case_sensitive else re.IGNORECASE
    # closed-compound entries may run on into letters; the candidate check judges the tail
    end = "" if entry.allows_closed_compound else r"(?![^\W_])"
    head = " ".join(words[:-1])
    head = head + " " if head else ""
    results = [
        _Variant(
            re.compile(_START + prefix + re.escape(last) + end, flags),
            entry,
            "base",
            "",
            head + last,
        )
    ]
    last_alpha = last[-1:].isalpha()
    if last_alpha:
        for form, kind, label in _dutch_forms(last, is_name):
            results.append(
                _Variant(
                    re.compile(_START + prefix + re.escape(form) + r"(?![^\W_])", flags),
                    entry,
                    kind,
                    label,
                    head + form,
                )
            )
    return results


class Matcher:
    """Compiled patterns for one set of entries; use :func:`find_terms` for one-off calls."""

    def __init__(self, entries: Iterable[GlossaryEntry]):
        self.entries = list(entries)
        self._variants = [v for e in self.entries for v in _variants(e)]

    def find(self, text: str) -> list[TermMatch]:
        """All terms in ``text``, non-overlapping, in text order."""
        folded = text.casefold()
        candidates: list[TermMatch] = []
        for variant in self._variants:
            # cheap prefilter: every form starts with the term's first two letters
            if variant.entry.source[:2].casefold() not in folded:
                continue
            for found in variant.pattern.finditer(text):
                match = self._candidate(text, found, variant)
                if match is not None:
                    candidates.append(match)
        # longest first; on equal length the earlier, then the more exact (base form, exact case)
        candidates.sort(
            key=lambda m: (-(m.end - m.start), m.start, m.reason != EXACT, m.entry.context or "")
        )
        taken: list[TermMatch] = []
        occupied: set[int] = set()
        for cand in candidates:
            span = range(cand.start, cand.end)
            if any(i in occupied for i in span):
                continue
            taken.append(cand)
            occupied.update(span)
        taken.sort(key=lambda m: m.start)
        return self._with_compound_tails(text, taken)

    def _with_compound_tails(self, text: str, taken: list[TermMatch]) -> list[TermMatch]:
        """Add a term that completes a hyphenated compound whose head is a term.

        ``Navo-secretaris-generaal``: the head ``Navo`` matched; the rest,
        ``secretaris-generaal``, is itself a term, so it is enforced too.
        """
        result: list[TermMatch] = []
        for match in taken:
            result.append(match)
            if COMPOUND_HEAD not in match.reason:
                continue
            rest_start = match.end + 1
            rest = text[rest_start:]
            tails = [m for m in self.find(rest) if m.start == 0]
            if not tails:
                continue
            tail = tails[0]
            if any(m.start < rest_start + tail.end and m.end > rest_start for m in taken):
                continue
            result.append(
                TermMatch(
                    start=rest_start + tail.start,
                    end=rest_start + tail.end,
                    entry=tail.entry,
                    reason=f"{COMPOUND_TAIL}, {tail.reason}"
                    if tail.reason != EXACT
                    else COMPOUND_TAIL,
                    text=tail.text,
                    form=tail.form,
                )
            )
        return result

    @staticmethod
    def _candidate(text: str, found: re.Match[str], variant: _Variant) -> TermMatch | None:
        entry = variant.entry
        start, end = found.start(), found.end()
        matched = text[start:end]
        reasons: list[str] = []
        if variant.label:
            reasons.append(f"{INFLECTED} ({variant.label})")
        if " ".join(matched.split()) != variant.spelled:
            reasons.append(CASE_FOLDED)
        following = text[end : end + 2]
        if following[:1] == "-" and following[1:2].isalpha():
            if not entry.allows_compound:
                return None
            reasons.append(COMPOUND_HEAD)
        elif following[:1].isalpha():
            # only reachable for closed-compound entries (base pattern without end boundary)
            rest = re.match(r"[^\W\d_]*", text[end:])
            tail = rest.group(0) if rest else ""
            if len(tail) < 3 or not tail.islower():
                return None
            reasons.append(CLOSED_COMPOUND_HEAD)
        return TermMatch(
            start=start,
            end=end,
            entry=entry,
            reason=", ".join(reasons) if reasons else EXACT,
            text=matched,
            form=variant.form,
        )


@lru_cache(maxsize=32)
def _matcher_for(entries: tuple[GlossaryEntry, ...]) -> Matcher:
    return Matcher(entries)


def matcher_for(entries: Sequence[GlossaryEntry]) -> Matcher:
    """A (cached) matcher for these entries."""
    return _matcher_for(tuple(entries))


def find_terms(text: str, glossary: Glossary, include_fuzzy: bool = False) -> list[TermMatch]:
    """Glossary terms in ``text`` (approved entries; fuzzy ones too when asked), in text order."""
    return matcher_for(glossary.active(include_fuzzy)).find(text)
