"""Proper names in a Dutch sentence that the model should copy, not translate.

A small model spells a rare name as it likes: the bundled one turned
"Trafalgar" into "Trphalgaria" and "Ovechkin" into "Ovekinchkin". On the
first 300 sentences of FLORES-200 dev, 178 of 452 capitalised source words
that the English reference keeps as they are were missing from the output.
A name masked with a placeholder, like a protected code, comes through
letter for letter (the enforcer does that; see :class:`NameFinder`).

A *name* here is a capitalised word inside a sentence (never its first
word) that is no word of general Dutch: absent from the reference table of
``vertaal glossary extract`` (:mod:`glossary.extract`), and no compound
ending in a common Dutch word (Gravelkoning, Sovjetleger). Words Dutch
capitalises but English spells differently are left to the model and the
glossary:

* Dutch names of countries, languages and cities whose English name
  differs (Babel's locale data: territories, languages, time-zone cities):
  Moskou, Lissabon, Kenia, Tsjaad;
* demonyms, adjectives and other Dutch word shapes, by their endings
  (Bulgaarse, Irakese, Braziliaan, Duitser, Fransman, Pinksteren, Torentje)
  and spellings (Oeigoerse, Straatsburg, Filipijnen, Israël);
* words with a hyphen or apostrophe (Ghraib-gevangenis, Emmy's: the
  Dutch part must be translated), words in capitals (NAVO, VS: the
  glossary's and the model's), and anything with a digit (codes are
  protected by :mod:`translate.protect`).

Neighbouring names become one span (Trafalgar Square). Names are *soft*:
where the model loses a name's placeholder, the enforcer translates the
sentence again without name protection rather than force the name in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from translate.protect import NAME, ProtectedSpan

if TYPE_CHECKING:
    from babel import Locale

_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]+(?:[-'’][^\W\d_]+)*(?![\w'’-])")
_DUTCH_ENDING = re.compile(
    r"(?:se|sche|isch|ië|iën|ie|ije|aan|anen|ees|ese|er|ers|man|en|je|tje|ijn)$"
)
_DUTCH_SPELLING = re.compile(r"ij|oe|ë|ï|ui|aa|uu")
_SENTENCE_OPENERS = frozenset(".!?:;\"“”‘’'(—–-•")
_COMMON_HEAD = 3
"""A compound whose last part (4 letters or more) occurs this often in general Dutch is Dutch."""


class NameFinder:
    """Finds the names of a sentence; built once per enforcer from the word lists."""

    def __init__(self, dutch_words: Mapping[str, int], exonyms: Iterable[str]) -> None:
        """``dutch_words``: lower-cased word counts of general Dutch; ``exonyms``:
        lower-cased Dutch words of place and language names English spells otherwise."""
        self._dutch_words = dutch_words
        self._exonyms = frozenset(exonyms)

    @classmethod
    def shipped(cls) -> NameFinder:
        """The finder on the shipped reference table and Babel's Dutch and English names."""
        from glossary.extract import load_reference

        return cls(load_reference().counts, dutch_exonyms())

    def is_name(self, word: str) -> bool:
        """Whether ``word`` (inside a sentence) is a name to copy."""
        if len(word) < 2 or not word[0].isupper() or word.isupper():
            return False
        if not word.isalpha():
            return False  # hyphen, apostrophe or digit
        lower = word.lower()
        if self._dutch_words.get(lower, 0) > 0 or lower in self._exonyms:
            return False
        if _DUTCH_ENDING.search(lower) or _DUTCH_SPELLING.search(lower):
            return False
        return not any(
            self._dutch_words.get(lower[cut:], 0) >= _COMMON_HEAD
            for cut in range(1, len(lower) - 3)
        )

    def find(self, sentence: str, taken: Sequence[tuple[int, int]] = ()) -> list[ProtectedSpan]:
        """The name spans of ``sentence`` that overlap none of the ``taken``
        (start, end) ranges (terms and other spans), in order."""
        spans: list[ProtectedSpan] = []
        for found in _WORD.finditer(sentence):
            start, end = found.span()
            before = sentence[:start].rstrip()
            if not before or before[-1] in _SENTENCE_OPENERS:
                continue  # a capital there says nothing
            if not self.is_name(found.group()):
                continue
            if _overlaps(start, end, taken):
                continue
            neighbour = spans[-1] if spans else None
            if (
                neighbour is not None
                and sentence[neighbour.end : start] == " "
                and not _overlaps(neighbour.start, end, taken)
            ):
                start = spans.pop().start
            text = sentence[start:end]
            spans.append(ProtectedSpan(start, end, text, text, NAME))
        return spans


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def dutch_exonyms() -> set[str]:
    """Lower-cased words of Babel's Dutch country, language and city names that
    are not in the English name (``Moskou`` for Moscow, ``Verenigde`` for United)."""
    from babel import Locale

    dutch, english = Locale("nl"), Locale("en")
    pairs: list[tuple[str, str]] = []
    for table in ("territories", "languages"):
        english_names = getattr(english, table)
        for code, name in getattr(dutch, table).items():
            pairs.append((name, english_names.get(code, "")))
    pairs += _city_names(dutch, english)
    words: set[str] = set()
    for dutch_name, english_name in pairs:
        if dutch_name != english_name:
            dutch_words = re.findall(r"[^\W\d_]+", dutch_name)
            words.update(word.lower() for word in dutch_words if word not in english_name)
    return words


def _city_names(dutch: Locale, english: Locale) -> list[tuple[str, str]]:
    """(Dutch, English) exemplar city of every time zone Babel names."""
    import zoneinfo

    from babel.dates import get_timezone_location

    return [
        (
            get_timezone_location(zone, dutch, return_city=True),
            get_timezone_location(zone, english, return_city=True),
        )
        for zone in sorted(zoneinfo.available_timezones())
    ]
