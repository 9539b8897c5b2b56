"""Spans of Dutch text that must come out unchanged, or converted by rule.

A translation model is not to be trusted with "1.250.000", "14.35 uur",
``%(naam)s`` or ``<b>``: the bundled one turned "om 14.35 uur" into "at 235".
:func:`find_spans` finds such spans in a source sentence and gives each the
exact English text it must become:

* **numbers** in Dutch notation, converted to English (Babel parses with the
  ``nl`` locale and formats with ``en``): decimal comma ``2,5`` → ``2.5``,
  thousands dots ``1.250.000`` → ``1,250,000``, amounts ``€5,50`` → ``€5.50``,
  scale words ``3,7 miljard`` → ``3.7 billion``, percentages ``12,5%`` and
  ``12,5 procent`` → ``12.5%``/``12.5 percent``, ranges and scores ``2-1``,
  ordinals ``3e``/``21ste`` → ``3rd``/``21st``; integers written without
  separators (``1500``, ``2024``) stay as they are, since English writes
  years and many counts the same way;
* **times** ``14.35 uur`` → ``14:35`` and **dates** with Dutch month names
  ``12 maart 2024`` → ``12 March 2024`` (Babel's month names);
* **verbatim** spans, copied exactly: URLs, e-mail addresses, file names and
  paths, phone numbers, codes and identifiers (``ORD-2024-00917``, ``F-16``,
  ``CO2``; the Dutch plural ``F-16's`` becomes ``F-16s``), format
  placeholders (printf ``%s`` ``%1$d``, Python ``%(name)s`` ``{name}``, ICU
  ``{count, plural, ...}`` kept whole, Qt ``%1``), inline XML/HTML tags
  (attributes untouched), and emoji.

The glossary enforcer (:mod:`glossary.enforce`) masks these spans with the
model's placeholder tokens (:mod:`translate.placeholders`) together with the
glossary terms, restores and verifies them, and repairs what the model lost;
:func:`source_numbers` and :func:`output_numbers` serve the number check of
:mod:`translate.scoring.quality`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

# span kinds (also the ``reason`` the enforcer records)
NUMBER = "number"
TIME = "time"
DATE = "date"
URL = "url"
EMAIL = "email"
PATH = "path"
PHONE = "phone"
CODE = "code"
FORMAT = "format-placeholder"
TAG = "tag"
EMOJI = "emoji"
NAME = "name"
"""A proper name to copy (found by :mod:`glossary.names`, which needs a Dutch lexicon)."""

KINDS = (NUMBER, TIME, DATE, URL, EMAIL, PATH, PHONE, CODE, FORMAT, TAG, EMOJI, NAME)
"""Every span kind, as reported in ``--json`` records."""


@dataclass(frozen=True)
class ProtectedSpan:
    """``source[start:end]`` (``text``) must appear in the output as ``target``."""

    start: int
    end: int
    text: str
    target: str
    kind: str
    """One of :data:`KINDS`."""
    space_before: bool = True
    """Whether the source has a space (or nothing) before the span; tags keep their spacing."""
    space_after: bool = True
    """Whether the source has a space (or nothing) after the span."""

    @property
    def reason(self) -> str:
        """Why the span is protected (its kind); the name the enforcer reports."""
        return self.kind

    @property
    def opens_tag(self) -> bool:
        """True for an opening XML/HTML tag (``<b>``), whose content follows it unspaced."""
        return self.kind == TAG and not self.text.startswith("</") and not self.text.endswith("/>")

    @property
    def closes_tag(self) -> bool:
        """True for a closing XML/HTML tag (``</b>``)."""
        return self.kind == TAG and self.text.startswith("</")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"text": self.text, "target": self.target, "kind": self.kind}


# -- patterns ---------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\s*/?>")
_ICU_START = re.compile(
    r"\{\s*[A-Za-z_]\w*\s*,\s*(?:plural|select|selectordinal|number|date|time)\b"
)
_FORMAT = re.compile(
    r"%\([A-Za-z_]\w*\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # Python %(name)s
    r"|%\d+\$[#0 +'-]*\d*(?:\.\d+)?[diouxXeEfFgGaAcsp]"  # printf positional %1$d
    r"|%[#0+-]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGcsp](?![^\W\d_])"  # %s, %5.2f
    r"|%[1-9]\d?(?![\d$])"  # Qt %1
    r"|\{\{\s*[A-Za-z_][\w.]*\s*\}\}"  # {{name}}
    r"|\{(?:[A-Za-z_][\w.]*|\d+)(?:![rsa])?(?::[^{}\s]*)?\}"  # {name} {0} {x:.2f}
)
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'“”]+"
    r"|(?<![\w@.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|be|de|uk|io|gov|edu|info)"
    r"(?:/[^\s<>\"'“”]*)?(?![\w@-]|\.\w)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PATH = re.compile(
    r"[A-Za-z]:\\[^\s<>\"]+"  # C:\Users\x
    r"|(?<![\w/.])(?:~|\.{1,2})?/(?:[\w.-]+/)*[\w-]+(?:\.\w+)?"  # /etc/hosts, ~/x, ./a
    r"|(?<![\w/@.-])[\w-]+(?:\.[\w-]+)*\."
    r"(?:pdf|docx?|xlsx?|pptx?|odt|ods|txt|csv|tsv|json|xml|html?|png|jpe?g|gif|svg|zip"
    r"|py|po|md|yaml|yml|toml|ini|cfg|log|exe|sh|mp3|mp4|wav)(?![\w-])",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ -]?(?:\(0\)[ -]?)?|0)\d{1,4}(?:[ -]?\d{2,8}){1,4}(?![\w])"
)
_CODE = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*(?:'s)?")
_SLASHED = re.compile(r"(?<![\w/.,])\d+(?:/\d+)+(?![\w/]|[.,]\d)")
"""``24/7``, ``3/4``: kept whole, as one number."""
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?:\d{4}-\d{2}-\d{2}|\d{1,2}([-/.])\d{1,2}\1\d{2,4})(?![\w/-]|[.,]\d)"
)
_MONTHS_NL = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
)
_DATE = re.compile(
    rf"(?<![\w.,])(?:(?P<day>[1-9]|[12]\d|3[01])(?:e|ste|de)?\s+)?(?P<month>{_MONTHS_NL})"
    r"(?:\s+(?P<year>\d{4}))?(?![\w])",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\w.,:])(?P<hour>[01]?\d|2[0-3])[.:](?P<minute>[0-5]\d)"
    r"(?:\s*(?:uur|u)(?![\w])|(?<=:\d\d)(?![\w.,:]\d))"
)
# A Dutch number: thousands dots (groups of exactly three), optional decimal comma.
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+"
_SCALES = {
    "duizend": "thousand",
    "miljoen": "million",
    "mln": "million",
    "miljard": "billion",
    "mld": "billion",
    "mrd": "billion",
    "biljoen": "trillion",
}
_CURRENCY_SYMBOLS = "€$£¥"
_NUMBER = re.compile(
    rf"(?<![\w.,])(?P<currency>[{_CURRENCY_SYMBOLS}]\s?)?"
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?P<dash>[-–])\s?(?P<num2>{_NUM}))?"
    r"(?P<ordinal>e|ste|de)?"
    rf"(?:\s?(?P<percent>%)|\s(?P<procent>procent|procentpunt(?:en)?)(?![\w])"
    rf"|\s(?P<scale>{'|'.join(_SCALES)})(?![\w]))?"
    r"(?![\w]|[.,]\d)"
)
_EMOJI_PATTERN = (
    r"\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?"
    r"(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*"
    r"|[\U0001F1E6-\U0001F1FF]{2}"
)


# -- finding ----------------------------------------------------------------------


def find_spans(sentence: str) -> list[ProtectedSpan]:
    """The protected spans of one Dutch sentence, in order, not overlapping.

    Where candidates overlap, the kind found first in :func:`_candidates`
    wins (a tag before the URL in its attribute, a URL before the number in
    it), then the longer one.
    """
    if not _may_have_spans(sentence):
        return []
    taken: list[ProtectedSpan] = []
    for rank, span in sorted(
        ((rank, span) for rank, span in enumerate(_candidates(sentence))),
        key=lambda item: (_KIND_RANK[item[1].kind], -(item[1].end - item[1].start), item[0]),
    ):
        del rank
        if all(span.end <= other.start or span.start >= other.end for other in taken):
            taken.append(span)
    return [
        replace(
            span,
            space_before=span.start == 0 or sentence[span.start - 1].isspace(),
            space_after=span.end == len(sentence) or sentence[span.end].isspace(),
        )
        for span in sorted(taken, key=lambda span: span.start)
    ]


def _may_have_spans(sentence: str) -> bool:
    """Cheap test that skips the regular expressions for plain prose (most sentences)."""
    if any(c.isdigit() or c in "<%{@/\\€$£¥" for c in sentence):
        return True
    if _WORD_DOT_WORD.search(sentence) or any(ord(c) > 0x2000 for c in sentence):
        return True  # a file name or domain (rapport.pdf, nos.nl), or a symbol
    lowered = sentence.lower()
    return any(month in lowered for month in _MONTHS_NL.split("|"))


_WORD_DOT_WORD = re.compile(r"\w\.\w")

_KIND_RANK = {
    kind: rank
    for rank, kind in enumerate(
        (TAG, FORMAT, EMAIL, URL, PATH, DATE, TIME, PHONE, CODE, NUMBER, EMOJI)
    )
}


def _candidates(sentence: str) -> Iterator[ProtectedSpan]:
    def verbatim(found: re.Match[str], kind: str) -> ProtectedSpan:
        return ProtectedSpan(found.start(), found.end(), found.group(0), found.group(0), kind)

    for found in _TAG.finditer(sentence):
        yield verbatim(found, TAG)
    yield from _icu_messages(sentence)
    for found in _FORMAT.finditer(sentence):
        yield verbatim(found, FORMAT)
    for found in _URL.finditer(sentence):
        yield _trimmed(found, URL)
    for found in _EMAIL.finditer(sentence):
        yield verbatim(found, EMAIL)
    for found in _PATH.finditer(sentence):
        yield _trimmed(found, PATH)
    for found in _NUMERIC_DATE.finditer(sentence):
        yield verbatim(found, DATE)
    for found in _DATE.finditer(sentence):
        if found.group("day") or found.group("year"):
            yield ProtectedSpan(found.start(), found.end(), found.group(0), _date(found), DATE)
    for found in _TIME.finditer(sentence):
        target = f"{int(found.group('hour'))}:{found.group('minute')}"
        yield ProtectedSpan(found.start(), found.end(), found.group(0), target, TIME)
    for found in _PHONE.finditer(sentence):
        if sum(c.isdigit() for c in found.group(0)) >= 9 and not found.group(0).isdigit():
            yield verbatim(found, PHONE)
    for found in _CODE.finditer(sentence):
        code = _code(found)
        if code is not None:
            yield code
    for found in _SLASHED.finditer(sentence):
        yield verbatim(found, NUMBER)
    for found in _NUMBER.finditer(sentence):
        number = _number(found)
        if number is not None:
            yield number
    import regex  # type: ignore[import-untyped]

    for found in regex.finditer(_EMOJI_PATTERN, sentence):
        if found.group(0) not in "©®™":  # letter-like symbols the model copies or spells
            yield ProtectedSpan(found.start(), found.end(), found.group(0), found.group(0), EMOJI)


def _trimmed(found: re.Match[str], kind: str) -> ProtectedSpan:
    """A URL or path without the sentence punctuation that follows it."""
    text = found.group(0)
    trimmed = text.rstrip(".,;:!?)]}'\"”’")
    if kind == URL and trimmed.count("(") > trimmed.count(")") and text[len(trimmed) :][:1] == ")":
        trimmed += ")"  # Wikipedia-style URLs end in a parenthesis of their own
    return ProtectedSpan(found.start(), found.start() + len(trimmed), trimmed, trimmed, kind)


def _icu_messages(sentence: str) -> Iterator[ProtectedSpan]:
    """ICU MessageFormat arguments (``{count, plural, one {...} other {...}}``), kept whole."""
    for found in _ICU_START.finditer(sentence):
        depth = 0
        for position in range(found.start(), len(sentence)):
            if sentence[position] == "{":
                depth += 1
            elif sentence[position] == "}":
                depth -= 1
                if depth == 0:
                    text = sentence[found.start() : position + 1]
                    yield ProtectedSpan(found.start(), position + 1, text, text, FORMAT)
                    break


def _code(found: re.Match[str]) -> ProtectedSpan | None:
    """A code or identifier: letters and digits mixed (``F-16``, ``CO2``, ``ORD-2024-00917``).

    A lower-case word joined by a hyphen is Dutch to translate, not part of
    the code: ``COVID-19-pandemie`` protects ``COVID-19`` only, ``50-jarige``
    nothing (its number is protected as a number).
    """
    text = found.group(0)
    plural = text.endswith("'s")
    parts = re.split(r"([-/])", text[:-2] if plural else text)
    kept = parts[:1]
    for separator, part in zip(parts[1::2], parts[2::2], strict=True):
        if part.isalpha() and part.islower() and len(part) > 1:
            plural = False
            break
        kept += [separator, part]
    core = "".join(kept)
    text = core + ("'s" if plural else "")
    if found.end() > found.start() + len(text) and found.string[found.start() + len(text)] != "-":
        return None
    has_digit = any(c.isdigit() for c in core)
    has_letter = any(c.isalpha() for c in core)
    if not (has_digit and has_letter):
        return None
    if re.fullmatch(r"\d+(?:e|ste|de)", core) or re.fullmatch(r"\d+(?:mln|mld|mrd)", core):
        return None  # an ordinal or an amount, handled as a number
    if not any(c.isupper() for c in core) and "-" not in core:
        return None  # "3km", "2x": a number glued to a unit, not an identifier
    target = core + "s" if plural else core  # Dutch plural F-16's = English F-16s
    return ProtectedSpan(found.start(), found.start() + len(text), text, target, CODE)


def _date(found: re.Match[str]) -> str:
    month = english_month(found.group("month"))
    parts = [found.group("day"), month, found.group("year")]
    return " ".join(part for part in parts if part)


def english_month(dutch: str) -> str:
    """The English name of a Dutch month (``maart`` → ``March``), from Babel's locale data."""
    from babel.dates import get_month_names

    names = get_month_names("wide", locale="nl")
    for number, name in names.items():
        if name == dutch.lower():
            return str(get_month_names("wide", locale="en")[number])
    raise ValueError(f"not a Dutch month name: {dutch!r}")


def _number(found: re.Match[str]) -> ProtectedSpan | None:
    first = english_number(found.group("num"))
    second = english_number(found.group("num2")) if found.group("num2") else None
    if first is None or (found.group("num2") and second is None):
        return None
    ordinal = found.group("ordinal")
    if ordinal and (second is not None or found.group("currency")):
        return None  # "2-3e" or "€5e": not a plain ordinal, leave it
    target = first + (english_ordinal_suffix(first) if ordinal else "")
    if second is not None:
        target += found.group("dash") + second
    if found.group("currency"):
        target = found.group("currency").strip() + target
    if found.group("percent"):
        target += "%"
    elif found.group("procent"):
        points = "percentage point" if "punt" in found.group("procent") else "percent"
        target += " " + points + ("s" if "punt" in found.group("procent") and first != "1" else "")
    elif found.group("scale"):
        target += " " + _SCALES[found.group("scale").lower()]
    return ProtectedSpan(found.start(), found.end(), found.group(0), target, NUMBER)


def english_number(dutch: str) -> str | None:
    """A Dutch-notation number in English notation (``1.250.000,5`` → ``1,250,000.5``).

    Integers written without separators are returned as they are (``1500``,
    ``2024``, ``007``); ``None`` when the text is not a Dutch number.
    """
    if dutch.isdigit():
        return dutch
    from babel.numbers import NumberFormatError, format_decimal, parse_decimal

    try:
        value = parse_decimal(dutch, locale="nl", strict=True)
    except NumberFormatError:
        return None
    decimals = len(dutch.split(",", 1)[1]) if "," in dutch else 0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale="en"))


def english_ordinal_suffix(number: str) -> str:
    """``st``, ``nd``, ``rd`` or ``th`` for an English ordinal of ``number``."""
    digits = number.replace(",", "")
    if digits[-2:] in ("11", "12", "13"):
        return "th"
    return {"1": "st", "2": "nd", "3": "rd"}.get(digits[-1:], "th")


# -- numbers for the fidelity check ------------------------------------------------

_ENGLISH_NUMBER = re.compile(
    r"(?<![\w.,])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?!\d)"
    r"|(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d]|[.,]\d)"
)


def source_numbers(sentence: str) -> list[str]:
    """The numbers of a Dutch sentence as comparable values (``14.35 uur`` → ``14:35``).

    Numbers inside verbatim spans (codes, phone numbers, URLs) are left out:
    those spans are checked whole by the protection layer.
    """
    values: list[str] = []
    for span in find_spans(sentence):
        if span.kind in (NUMBER, DATE, TIME):
            values += output_numbers(span.target)
    return values


def output_numbers(text: str) -> list[str]:
    """The numbers of an English text as comparable values (``1,500`` → ``1500``, ``2:05``)."""
    values: list[str] = []
    for found in _ENGLISH_NUMBER.finditer(text):
        if found.group("hour") is not None:
            values.append(f"{int(found.group('hour'))}:{found.group('minute')}")
        else:
            values.append(_canonical(found.group("num")))
    return values


def _canonical(english: str) -> str:
    value = Decimal(english.replace(",", ""))
    text = format(value.normalize(), "f")
    return text
