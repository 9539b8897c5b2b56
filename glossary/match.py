"""Finding glossary terms in Dutch text.

Rules (each match records which of them applied in :attr:`TermMatch.reason`):

* **Longest match first.** Candidates from all entries are collected, then
  taken longest first; a candidate overlapping one already taken is dropped
  (``Verenigde Naties`` wins over a ``Naties`` entry, ``secretaris-generaal``
  over ``secretaris``). For the same words the tie goes to an entry with a
  (chosen) domain over one without, a ``case-sensitive`` entry over a
  case-insensitive one, the exact form over an inflected one, and the entry
  of the later glossary file (see :mod:`glossary.store`).
* **One automaton.** Every form of every term is a key of one Aho–Corasick
  automaton (:class:`Matcher`), so the cost of finding terms grows with the
  text, not with the number of terms; the rules below are checked only for
  the forms the automaton finds.
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

import contextlib
import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from glossary.store import Glossary, GlossaryEntry

EXACT = "exact"
CASE_FOLDED = "case-folded"
INFLECTED = "inflected"
COMPOUND_HEAD = "compound-head"
COMPOUND_TAIL = "compound-tail"
CLOSED_COMPOUND_HEAD = "closed-compound-head"

logger = logging.getLogger(__name__)

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


def dutch_forms(word: str, is_name: bool) -> list[tuple[str, str, str]]:
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
    """One spelling of one entry: the base form or an inflected form of its last word."""

    entry: GlossaryEntry
    form: str
    label: str  # "" for the base form
    spelled: str  # the form as the glossary spells it, single spaces
    case_sensitive: bool
    open_end: bool  # may run on into letters (closed-compound entries, base form only)

    @property
    def key(self) -> str:
        """What the automaton looks for: the case-folded spelling."""
        return self.spelled.casefold()


def _spellings(source: str) -> list[tuple[str, str, str]]:
    """(spelling, form kind, label) of a term: the base form first, then its inflections."""
    words = source.split()
    if not words:
        return []
    head = " ".join(words[:-1])
    head = head + " " if head else ""
    last = words[-1]
    results = [(head + last, "base", "")]
    if last[-1:].isalpha():
        is_name = source[:1].isupper()
        results += [(head + form, kind, label) for form, kind, label in dutch_forms(last, is_name)]
    return results


def _variants(entry: GlossaryEntry) -> list[_Variant]:
    case_sensitive = entry.case_sensitive or _is_short_acronym(entry.source)
    return [
        _Variant(
            entry,
            kind,
            label,
            spelled,
            case_sensitive,
            kind == "base" and entry.allows_closed_compound,
        )
        for spelled, kind, label in _spellings(entry.source)
    ]


_WORD_CHAR = re.compile(r"[^\W_]")
_ODD_SPACE = re.compile(r"[^\S ]| {2}")
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]|'|’")

CACHE_MIN_ENTRIES = 2000
"""Glossaries with fewer entries build their automaton in milliseconds: no disk cache."""

CACHE_KEEP = 8
"""Automata kept on disk (most recently used); a 50,000-term one takes about 40 MB."""

_MAX_VARIANTS = 256  # variants per entry; an automaton value is entry index * 256 + variant


def _is_word_char(char: str) -> bool:
    return bool(char) and _WORD_CHAR.match(char) is not None


def _fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` case-folded with whitespace runs as one space, and each folded char's origin.

    The origin list is ``None`` when folding keeps every position (the usual case).
    """
    folded = text.casefold()
    if len(folded) == len(text) and not _ODD_SPACE.search(text):
        return folded, None
    chars: list[str] = []
    origin: list[int] = []
    after_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if not after_space:
                chars.append(" ")
                origin.append(index)
            after_space = True
            continue
        after_space = False
        for part in char.casefold():
            chars.append(part)
            origin.append(index)
    return "".join(chars), origin


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/vertaal/glossary`` (``~/.cache`` when the variable is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vertaal" / "glossary"


def _prune(directory: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently used automata in ``directory``.

    Another process may be reading a file deleted here: it then finds none
    and builds the automaton again, so pruning never breaks a run.
    """
    cached = []
    for path in directory.glob("*.pickle"):
        try:
            cached.append((path.stat().st_mtime, path))
        except FileNotFoundError:
            continue
    for _, path in sorted(cached, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


class _AutomatonUnpickler(pickle.Unpickler):
    """Loads only an automaton and plain containers: a cache file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("ahocorasick", "Automaton"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a glossary cache")


class Matcher:
    """One Aho–Corasick automaton over every form of every entry.

    All forms (base, inflected) of all terms go into one automaton, so finding
    terms costs time in proportion to the text, not to the number of terms.
    Large glossaries keep the automaton on disk (``cache_dir``, default
    :func:`default_cache_dir`) under a hash of the terms, their flags and this
    module, so the next run with the same glossary loads it instead of building it.
    Use :func:`find_terms` for one-off calls.
    """

    def __init__(
        self,
        entries: Iterable[GlossaryEntry],
        cache_dir: Path | None = None,
        cache_min_entries: int = CACHE_MIN_ENTRIES,
    ):
        self.entries = list(entries)
        self._rank = {id(entry): index for index, entry in enumerate(self.entries)}
        self._forms: dict[int, list[_Variant]] = {}
        self.cache_path: Path | None = None
        if len(self.entries) >= cache_min_entries:
            self.cache_path = (cache_dir or default_cache_dir()) / f"{self._content_key()}.pickle"
        loaded = self._load_cached()
        if loaded is None:
            loaded = self._build()
            self._save_cached(loaded)
        self._automaton, self._shared = loaded

    def _content_key(self) -> str:
        digest = hashlib.sha256(Path(__file__).read_bytes())
        for entry in self.entries:
            digest.update(f"{entry.source}\x1f{','.join(entry.flags)}\x1e".encode())
        return digest.hexdigest()[:32]

    def _variants_of(self, index: int) -> list[_Variant]:
        forms = self._forms.get(index)
        if forms is None:
            forms = self._forms[index] = _variants(self.entries[index])
        return forms

    def _build(self) -> tuple[Any, dict[int, list[int]]]:
        import ahocorasick

        codes: dict[str, list[int]] = {}
        for index, entry in enumerate(self.entries):
            # only the keys here; the variants of the entries found are made when found
            spellings = _spellings(entry.source)[:_MAX_VARIANTS]
            for number, (spelled, _, _) in enumerate(spellings):
                key = spelled.casefold()
                codes.setdefault(key, []).append(index * _MAX_VARIANTS + number)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        shared: dict[int, list[int]] = {}
        for key, found in codes.items():
            if len(found) == 1:
                automaton.add_word(key, found[0])
            else:  # several forms spelled alike: a negative value points to their list
                shared[-1 - len(shared)] = found
                automaton.add_word(key, -len(shared))
        if len(automaton):
            automaton.make_automaton()
        return automaton, shared

    def _load_cached(self) -> tuple[Any, dict[int, list[int]]] | None:
        if self.cache_path is None:
            return None
        try:
            with self.cache_path.open("rb") as stream:
                automaton, shared = _AutomatonUnpickler(stream).load()
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
            # a damaged cache is rebuilt, not trusted
            logger.info("glossary cache %s unusable (%s); rebuilding", self.cache_path, exc)
            return None
        with contextlib.suppress(OSError):  # a read-only cache is still usable
            os.utime(self.cache_path)  # recently used: pruning keeps it
        return automaton, shared

    def _save_cached(self, built: tuple[Any, dict[int, list[int]]]) -> None:
        if self.cache_path is None:
            return
        directory = self.cache_path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            # content-addressed: concurrent writers write the same bytes; os.replace is atomic
            handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump(built, stream, protocol=pickle.HIGHEST_PROTOCOL)
                Path(temporary).replace(self.cache_path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            _prune(directory, CACHE_KEEP)
        except OSError as exc:
            # a cache that cannot be written only costs time next run
            logger.info("glossary cache not written to %s: %s", directory, exc)

    def _hits(self, text: str) -> Iterator[tuple[int, int, _Variant]]:
        """(start, end, variant) for every form found in ``text`` at a word start."""
        if not self.entries or not len(self._automaton):
            return
        folded, origin = _fold(text)
        starts = {m.start() for m in _WORD_START.finditer(folded)}
        for last, value in self._automaton.iter(folded):
            codes = self._shared[value] if value < 0 else (value,)
            for code in codes:
                variant = self._variants_of(code // _MAX_VARIANTS)[code % _MAX_VARIANTS]
                first = last - len(variant.key) + 1
                if first not in starts:
                    continue
                if origin is None:
                    yield first, last + 1, variant
                else:
                    start, end = origin[first], origin[last] + 1
                    if " ".join(text[start:end].split()).casefold() == variant.key:
                        yield start, end, variant

    def entries_in(self, text: str) -> set[int]:
        """Indexes of the entries some form of which occurs anywhere in ``text`` (unchecked:
        boundaries and case are not tested, so this is a superset of what :meth:`find` finds)."""
        if not self.entries or not len(self._automaton):
            return set()
        found: set[int] = set()
        for _, value in self._automaton.iter(_fold(text)[0]):
            codes = self._shared[value] if value < 0 else (value,)
            found.update(code // _MAX_VARIANTS for code in codes)
        return found

    def find(self, text: str) -> list[TermMatch]:
        """All terms in ``text``, non-overlapping, in text order."""
        candidates: list[TermMatch] = []
        for start, end, variant in self._hits(text):
            match = self._candidate(text, start, end, variant)
            if match is not None:
                candidates.append(match)
        candidates.sort(key=self._precedence)
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

    def _precedence(self, match: TermMatch) -> tuple[int, int, bool, bool, bool, int]:
        """Sort key, best first: longest, earliest, chosen domain, case-sensitive, exact, latest."""
        entry = match.entry
        return (
            -(match.end - match.start),
            match.start,
            entry.context is None,
            not entry.case_sensitive,
            match.reason != EXACT,
            -self._rank.get(id(entry), 0),
        )

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
    def _candidate(text: str, start: int, end: int, variant: _Variant) -> TermMatch | None:
        """The match of ``variant`` at ``text[start:end]`` if word boundaries and case allow it."""
        entry = variant.entry
        before = text[start - 1] if start else ""
        if _is_word_char(before) or before == "-":
            return None
        if before in "'’" and start >= 2 and _is_word_char(text[start - 2]):
            return None
        matched = text[start:end]
        spelled_as = " ".join(matched.split())
        if variant.case_sensitive and spelled_as != variant.spelled:
            return None
        reasons: list[str] = []
        if variant.label:
            reasons.append(f"{INFLECTED} ({variant.label})")
        if spelled_as != variant.spelled:
            reasons.append(CASE_FOLDED)
        following = text[end : end + 2]
        if following[:1] == "-" and following[1:2].isalpha():
            if not entry.allows_compound:
                return None
            reasons.append(COMPOUND_HEAD)
        elif _is_word_char(following[:1]):
            if not variant.open_end:
                return None
            # closed-compound entries: the tail must be at least three lower-case letters
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
