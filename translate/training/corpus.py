"""Reading, cleaning and augmenting a Dutch–English parallel corpus.

Augmentations (each on a configurable share of pairs, all driven by one seeded
:class:`random.Random`):

* **placeholders**: spans that are provably aligned without a word aligner
  (tokens identical on both sides, such as names, numbers and acronyms, merged
  into multiword spans when they are adjacent on both sides, plus a small
  dictionary of unambiguous nouns) are replaced on *both* sides by numbered
  placeholders ``｟i｠``; some copies are numbered out of order so the model
  learns to copy the exact token rather than to count;
* **names**: identical capitalised tokens are replaced on both sides by
  invented names (syllables, hyphens, Dutch particles), so the model learns to
  copy names it has never seen;
* **concatenation**: 2–4 random pairs joined into one, because Tatoeba
  sentences are short and the text we translate is not.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TrainingError, located, option
from translate.fileio import read_text
from translate.placeholders import MAX_PLACEHOLDERS, PLACEHOLDER_PATTERN, placeholder
from translate.training.config import AugmentConfig

Pair = tuple[str, str]

WORD = re.compile(r"\w+(?:[-'’]\w+)*")

# Capitalised words that are identical in Dutch and English only by accident
# of spelling (function words at the start of a sentence), never safe anchors.
NOT_ANCHORS = frozenset(
    {"In", "Is", "Was", "Over", "Als", "Door", "Me", "Die", "Do", "Hand", "Want", "Of"}
)

# Nouns whose Dutch and English forms are one-to-one in everyday text: an
# occurrence on each side is an alignment we can trust without an aligner.
NOUN_PAIRS: dict[str, str] = {
    "huis": "house",
    "auto": "car",
    "boek": "book",
    "hond": "dog",
    "kat": "cat",
    "brief": "letter",
    "fiets": "bicycle",
    "trein": "train",
    "stad": "city",
    "land": "country",
    "kamer": "room",
    "tafel": "table",
    "stoel": "chair",
    "deur": "door",
    "raam": "window",
    "boom": "tree",
    "rivier": "river",
    "berg": "mountain",
    "zee": "sea",
    "vogel": "bird",
    "paard": "horse",
    "koffie": "coffee",
    "thee": "tea",
    "brood": "bread",
    "kaas": "cheese",
    "melk": "milk",
    "vlees": "meat",
    "vis": "fish",
    "appel": "apple",
    "school": "school",
    "kerk": "church",
    "ziekenhuis": "hospital",
    "winkel": "shop",
    "krant": "newspaper",
    "regering": "government",
    "dokter": "doctor",
    "leraar": "teacher",
    "politie": "police",
    "vliegtuig": "plane",
    "schip": "ship",
    "sleutel": "key",
    "computer": "computer",
    "telefoon": "phone",
    "film": "film",
    "muziek": "music",
    "vraag": "question",
    "antwoord": "answer",
    "probleem": "problem",
    "oorlog": "war",
    "vrede": "peace",
    "koning": "king",
    "koningin": "queen",
    "wereld": "world",
    "geld": "money",
    "bank": "bank",
    "weg": "road",
    "station": "station",
    "hotel": "hotel",
    "restaurant": "restaurant",
    "tuin": "garden",
    "keuken": "kitchen",
    "jas": "coat",
}

SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ne",
    "sa",
    "lu",
    "vi",
    "do",
    "pe",
    "ra",
    "ti",
    "go",
    "ha",
    "ne",
    "ko",
    "ja",
    "yo",
    "an",
    "er",
    "ber",
    "dal",
    "fen",
    "gor",
    "hil",
    "jan",
    "kem",
    "lin",
    "mar",
    "nor",
    "pol",
    "ros",
    "sten",
    "tor",
    "ul",
    "van",
    "wik",
    "zel",
    "bram",
    "dirk",
    "gert",
    "joost",
    "kees",
    "piet",
    "wout",
    "ying",
    "chen",
    "ngu",
    "yen",
    "pyong",
    "yang",
    "jong",
    "un",
    "sung",
    "mi",
    "rio",
    "bel",
]
PARTICLES = ("van", "van der", "van de", "de", "ter", "van den", "den")


@dataclass(frozen=True)
class Span:
    """An aligned span: character offsets in the source and in the target."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int


def read_parallel(path: Path, target_file: Path | None = None) -> list[Pair]:
    """Read ``Dutch<TAB>English`` lines, or two line-aligned files.

    Extra TSV columns (e.g. attribution) are ignored. Raises
    :class:`TrainingError` naming the file and line of the first problem.
    """
    source_lines = _read_lines(path)
    if target_file is not None:
        target_lines = _read_lines(target_file)
        if len(source_lines) != len(target_lines):
            raise TrainingError(
                located(
                    target_file,
                    None,
                    f"has {len(target_lines)} lines but {path} has {len(source_lines)}",
                    "give two line-aligned files",
                )
            )
        return list(zip(source_lines, target_lines, strict=True))
    pairs: list[Pair] = []
    for number, line in enumerate(source_lines, start=1):
        columns = line.split("\t")
        if len(columns) < 2:
            raise TrainingError(
                located(
                    path,
                    number,
                    "expected Dutch<TAB>English",
                    f"use a TSV corpus or pass {option('target_file')}",
                )
            )
        pairs.append((columns[0], columns[1]))
    if not pairs:
        raise TrainingError(located(path, None, "the corpus is empty"))
    return pairs


def _read_lines(path: Path) -> list[str]:
    return read_text(path, error=TrainingError, fix="convert the file to UTF-8").splitlines()


def clean_pairs(
    pairs: Iterable[Pair], max_ratio: float = 3.0, max_chars: int = 1000, min_chars: int = 1
) -> list[Pair]:
    """Drop empty (shorter than ``min_chars``), over-long, badly length-matched and duplicate pairs.

    Whitespace is normalised to single spaces; pairs that already contain a
    placeholder token are dropped (placeholders must only come from
    augmentation, where both sides are known to agree).
    """
    seen: set[Pair] = set()
    kept: list[Pair] = []
    for raw_source, raw_target in pairs:
        source = " ".join(raw_source.split())
        target = " ".join(raw_target.split())
        if min(len(source), len(target)) < max(min_chars, 1):
            continue
        if len(source) > max_chars or len(target) > max_chars:
            continue
        ratio = max(len(source), len(target)) / min(len(source), len(target))
        if ratio > max_ratio and max(len(source), len(target)) > 12:
            continue
        if PLACEHOLDER_PATTERN.search(source) or PLACEHOLDER_PATTERN.search(target):
            continue
        if (source, target) in seen:
            continue
        seen.add((source, target))
        kept.append((source, target))
    return kept


def aligned_spans(source: str, target: str) -> list[Span]:
    """Spans safe to align without an aligner, in source order, non-overlapping.

    A token qualifies when it occurs exactly once on each side and is either
    identical on both sides and name-like (capitalised, containing a digit, or
    an acronym), or a pair from :data:`NOUN_PAIRS`. Adjacent identical tokens
    that are adjacent with the same separator on both sides are merged, so
    ``New York`` or ``Van der Veen``-style names become one span.
    """
    source_tokens = list(WORD.finditer(source))
    target_tokens = list(WORD.finditer(target))
    source_counts = _counts(m.group() for m in source_tokens)
    target_counts = _counts(m.group() for m in target_tokens)
    target_lower_counts = _counts(m.group().lower() for m in target_tokens)
    target_index = {m.group(): m for m in target_tokens}
    target_lower_index = {m.group().lower(): m for m in target_tokens}

    spans: list[Span] = []
    previous: tuple[int, int] | None = None  # (source token index, target token start)
    for i, match in enumerate(source_tokens):
        token = match.group()
        if source_counts[token] != 1:
            previous = None
            continue
        identical = target_index.get(token)
        if identical is not None and target_counts[token] == 1 and _name_like(token):
            if (
                previous is not None
                and previous[0] == i - 1
                and spans
                and _same_gap(source, target, spans[-1], match, identical)
            ):
                last = spans[-1]
                spans[-1] = Span(last.source_start, match.end(), last.target_start, identical.end())
            else:
                spans.append(Span(match.start(), match.end(), identical.start(), identical.end()))
            previous = (i, identical.start())
            continue
        previous = None
        english = NOUN_PAIRS.get(token.lower()) if token.islower() else None
        if english is not None and target_lower_counts.get(english) == 1:
            noun = target_lower_index[english]
            spans.append(Span(match.start(), match.end(), noun.start(), noun.end()))
    return _non_crossing(spans)


def _counts(tokens: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    return counts


def _name_like(token: str) -> bool:
    if token in NOT_ANCHORS:
        return False
    return any(c.isdigit() for c in token) or (token[0].isupper() and len(token) > 1)


def _same_gap(
    source: str, target: str, last: Span, match: re.Match[str], other: re.Match[str]
) -> bool:
    source_gap = source[last.source_end : match.start()]
    target_gap = target[last.target_end : other.start()]
    return source_gap == target_gap and source_gap in {" ", "-"}


def _non_crossing(spans: list[Span]) -> list[Span]:
    """Keep spans whose target ranges do not overlap an earlier span's."""
    kept: list[Span] = []
    for span in spans:
        if all(
            span.target_end <= other.target_start or span.target_start >= other.target_end
            for other in kept
        ):
            kept.append(span)
    return kept


def replace_spans(text: str, ranges: Sequence[tuple[int, int, str]]) -> str:
    """Replace non-overlapping ``(start, end, replacement)`` ranges in ``text``."""
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(ranges):
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def choose_placeholders(
    pair: Pair, rng: random.Random, shuffle_share: float
) -> list[tuple[Span, str]]:
    """The spans to mask and their placeholder tokens (empty if nothing aligns).

    Numbers follow source order (``｟1｠``, ``｟2｠`` …) unless the draw falls in
    the shuffled share, which takes distinct numbers from 1..20 in any order.
    """
    spans = aligned_spans(*pair)
    if not spans:
        return []
    count = rng.randint(1, min(len(spans), MAX_PLACEHOLDERS))
    chosen = sorted(rng.sample(spans, count), key=lambda s: s.source_start)
    if rng.random() < shuffle_share:
        numbers = rng.sample(range(1, MAX_PLACEHOLDERS + 1), count)
    else:
        numbers = list(range(1, count + 1))
    return [(span, placeholder(n)) for span, n in zip(chosen, numbers, strict=True)]


def mask_with_placeholders(pair: Pair, rng: random.Random, shuffle_share: float) -> Pair | None:
    """Replace some aligned spans by placeholders on both sides, or None if there are none."""
    chosen = choose_placeholders(pair, rng, shuffle_share)
    if not chosen:
        return None
    source, target = pair
    return (
        replace_spans(source, [(s.source_start, s.source_end, t) for s, t in chosen]),
        replace_spans(target, [(s.target_start, s.target_end, t) for s, t in chosen]),
    )


def invent_name(rng: random.Random) -> str:
    """A name-like string never seen in training: syllables, hyphens, particles."""

    def word() -> str:
        parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))]
        joined = "".join(parts)
        if rng.random() < 0.15:
            joined += "-" + rng.choice(SYLLABLES)
        return joined.capitalize()

    shape = rng.random()
    if shape < 0.5:
        return word()
    if shape < 0.75:
        return f"{word()} {word()}"
    return f"{word()} {rng.choice(PARTICLES)} {word()}"


def replace_names(pair: Pair, rng: random.Random) -> Pair | None:
    """Replace identical capitalised spans by invented names on both sides, or None."""
    source, target = pair
    spans = [
        s
        for s in aligned_spans(source, target)
        if source[s.source_start : s.source_end] == target[s.target_start : s.target_end]
        and source[s.source_start].isupper()
        and not any(c.isdigit() for c in source[s.source_start : s.source_end])
    ]
    if not spans:
        return None
    names = [invent_name(rng) for _ in spans]
    return (
        replace_spans(
            source, [(s.source_start, s.source_end, n) for s, n in zip(spans, names, strict=True)]
        ),
        replace_spans(
            target, [(s.target_start, s.target_end, n) for s, n in zip(spans, names, strict=True)]
        ),
    )


def concatenate(
    pairs: Sequence[Pair], count: int, max_parts: int, rng: random.Random
) -> list[Pair]:
    """``count`` new pairs, each 2..max_parts random pairs joined with spaces."""
    if len(pairs) < 2 or max_parts < 2:
        return []
    joined: list[Pair] = []
    for _ in range(count):
        parts = [pairs[rng.randrange(len(pairs))] for _ in range(rng.randint(2, max_parts))]
        joined.append((" ".join(p[0] for p in parts), " ".join(p[1] for p in parts)))
    return joined


def build_training_pairs(pairs: Sequence[Pair], config: AugmentConfig, seed: int) -> list[Pair]:
    """The cleaned pairs plus every augmentation, reproducible from ``seed``.

    Originals stay in; augmented copies are added next to them, so the model
    still sees every real sentence.
    """
    rng = random.Random(seed)
    result: list[Pair] = list(pairs)
    for _ in range(max(1, config.rounds)):
        concatenated = concatenate(
            pairs, int(len(pairs) * config.concat_share), config.concat_max, rng
        )
        result.extend(concatenated)
        for pair in [*pairs, *concatenated]:
            if rng.random() < config.placeholder_share:
                masked = mask_with_placeholders(pair, rng, config.placeholder_shuffle)
                if masked is not None:
                    result.append(masked)
            if rng.random() < config.name_share:
                renamed = replace_names(pair, rng)
                if renamed is not None:
                    result.append(renamed)
            if config.format_share and rng.random() < config.format_share:
                formatted = format_copy(pair, rng)
                if formatted is not None:
                    result.append(formatted)
    rng.shuffle(result)
    return result


def format_copy(pair: Pair, rng: random.Random) -> Pair | None:
    """:func:`translate.training.formats.format_copy` (imported late: it needs this module)."""
    from translate.training.formats import format_copy as copy_with_format

    return copy_with_format(pair, rng)
