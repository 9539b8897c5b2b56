"""Format augmentation: numbers, dates, URLs, e-mail, format placeholders and inline tags.

A copy of a training pair gets one of these where the pair has a span that is
provably aligned (:func:`corpus.aligned_spans`), written the way each language
writes it:

* **number**: an aligned number becomes a random one, in Dutch format on the
  Dutch side (``1.500,25``) and English format on the English side
  (``1,500.25``), rendered by Babel;
* **date**: an aligned year becomes a full date (``4 december 2026`` →
  ``December 4, 2026``), Babel's long formats;
* **url**, **email**, **format**: an aligned name becomes a URL, an e-mail
  address or a format placeholder (``%s``, ``%1``, ``$1``, ``{name}``,
  ``{{count}}``), identical on both sides: the model must copy it unchanged;
* **tag**: an aligned span is wrapped in the same inline tags on both sides
  (``<b>…</b>``, ``<a href="…">…</a>``).

So the model meets every kind of protected span the fidelity layer may leave
to it, and learns to carry them over instead of translating or dropping them.
"""

from __future__ import annotations

import datetime
import random
import re

from translate.training.corpus import Pair, Span, aligned_spans, replace_spans

KINDS = ("number", "date", "url", "email", "format", "tag")
_HOSTS = ("voorbeeld.nl", "gemeente.nl", "nieuws.be", "example.com", "rijksoverheid.nl")
_PATHS = ("nieuws", "contact", "over-ons", "2026/12/verslag", "docs/handleiding.html", "")
_FORMATS = ("%s", "%d", "%1", "%2$s", "$1", "{name}", "{count}", "{{user}}", "{0}")
_TAGS = (("<b>", "</b>"), ("<i>", "</i>"), ("<em>", "</em>"), ("<strong>", "</strong>"))
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _number_pair(rng: random.Random) -> tuple[str, str]:
    from babel.numbers import format_decimal

    shape = rng.random()
    value: float
    if shape < 0.4:
        value = rng.randint(1000, 9_999_999)
    elif shape < 0.8:
        value = round(rng.uniform(0.1, 99_999), rng.choice((1, 2)))
    else:
        value = rng.randint(0, 999)
    return format_decimal(value, locale="nl_NL"), format_decimal(value, locale="en_US")


def _date_pair(rng: random.Random, year: int) -> tuple[str, str]:
    from babel.dates import format_date

    day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    english = format_date(day, "MMMM d, y" if rng.random() < 0.5 else "d MMMM y", locale="en")
    return format_date(day, "d MMMM y", locale="nl"), english


def _copy_text(kind: str, rng: random.Random) -> str:
    if kind == "url":
        host = rng.choice(_HOSTS)
        return f"https://www.{host}/{rng.choice(_PATHS)}"
    if kind == "email":
        return f"{rng.choice(('info', 'pers', 'j.jansen', 'redactie'))}@{rng.choice(_HOSTS)}"
    return rng.choice(_FORMATS)


def _numeric(pair: Pair, span: Span) -> str:
    text = pair[0][span.source_start : span.source_end]
    return text if _NUMBER.fullmatch(text) else ""


def format_copy(pair: Pair, rng: random.Random, kinds: tuple[str, ...] = KINDS) -> Pair | None:
    """A copy of ``pair`` with one format item put in (see the module docstring), or None."""
    spans = aligned_spans(*pair)
    if not spans:
        return None
    span = rng.choice(spans)
    source, target = pair
    same = (
        source[span.source_start : span.source_end] == target[span.target_start : span.target_end]
    )
    number = _numeric(pair, span)
    possible = [
        kind
        for kind in kinds
        if (kind == "number" and number)
        or (kind == "date" and _YEAR.fullmatch(number))
        or (kind in ("url", "email", "format") and same and not number)
        or kind == "tag"
    ]
    if not possible:
        return None
    kind = rng.choice(possible)
    if kind == "number":
        dutch, english = _number_pair(rng)
    elif kind == "date":
        dutch, english = _date_pair(rng, int(number))
    elif kind == "tag":
        opening, closing = rng.choice(_TAGS)
        if rng.random() < 0.3:
            opening, closing = f'<a href="{_copy_text("url", rng)}">', "</a>"
        inner_source = source[span.source_start : span.source_end]
        inner_target = target[span.target_start : span.target_end]
        dutch = f"{opening}{inner_source}{closing}"
        english = f"{opening}{inner_target}{closing}"
    else:
        dutch = english = _copy_text(kind, rng)
    return (
        replace_spans(source, [(span.source_start, span.source_end, dutch)]),
        replace_spans(target, [(span.target_start, span.target_end, english)]),
    )
