"""Segments with inline formatting: a small tree of text, paired tags and standalone marks.

A document format turns each paragraph (cell, cue, attribute...) into a
*segment*: a sequence of nodes, where a node is a piece of text, a paired
:class:`Tag` around other nodes (bold, a link, an XLIFF ``<g>``) or a
standalone :class:`Mark` (an image, a field, a footnote reference, an
XLIFF ``<x/>``). The format keeps what each tag number stands for; this
module only sees numbers.

Written out, a segment is *markup*: its text XML-escaped, a tag as
``<g1>…</g1>`` and a mark as ``<x2/>`` (the XLIFF convention), e.g.
``Dit is <g1>vet</g1> en <x2/>``; a line break is ``<n3/>``. Markup is what a batch job stores as a
unit; :func:`from_markup` reads it back and refuses anything malformed.

The translation model sees only the plain text. :func:`project` puts the
tags back onto the translated text: every tag and mark of the source comes
out exactly once, nested as before and in the same order, even when the
model's output gives no clue where it belongs (then it is placed by relative
position, never dropped). Where a tagged phrase's own translation (or the
phrase itself, e.g. a name or number) occurs in the output, the tag goes
around that occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Tag:
    """A paired inline tag (formatting, a link) around ``children``."""

    id: int
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Mark:
    """A standalone inline element (image, field, line break, footnote reference).

    A ``boundary`` mark (a line break) ends a sentence: the texts on either
    side of it are translated separately and it stays between them.
    """

    id: int
    boundary: bool = False


Node = Union[str, Tag, Mark]  # noqa: UP007 -- a runtime alias; `|` on a str needs 3.10 types
Nodes = tuple[Node, ...]

_MARKUP = re.compile(r"<(/?)([gxn])(\d+)(/?)>|[^<]+|<")


# --- markup -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_markup(nodes: Iterable[Node]) -> str:
    """The markup of a segment (``Dit is <g1>vet</g1><x2/>``)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(_escape(node))
        elif isinstance(node, Tag):
            parts.append(f"<g{node.id}>{to_markup(node.children)}</g{node.id}>")
        else:
            parts.append(f"<{'n' if node.boundary else 'x'}{node.id}/>")
    return "".join(parts)


def from_markup(markup: str) -> Nodes:
    """Parse markup written by :func:`to_markup`; ``ValueError`` if it is malformed."""
    stack: list[tuple[int | None, list[Node]]] = [(None, [])]
    for match in _MARKUP.finditer(markup):
        closing, kind, number, empty = match.groups()
        if kind is None:
            if match.group(0) == "<":
                raise ValueError(f"unescaped '<' at offset {match.start()}")
            _append_text(stack[-1][1], _unescape(match.group(0)))
        elif kind in "xn":
            if closing or not empty:
                raise ValueError(f"mark {match.group(0)} must be written <{kind}{number}/>")
            stack[-1][1].append(Mark(int(number), boundary=kind == "n"))
        elif closing:
            opened, children = stack.pop()
            if opened != int(number):
                raise ValueError(f"{match.group(0)} closes <g{opened}>")
            stack[-1][1].append(Tag(int(number), tuple(children)))
        elif empty:
            stack[-1][1].append(Tag(int(number)))
        else:
            stack.append((int(number), []))
    if len(stack) != 1:
        raise ValueError(f"<g{stack[-1][0]}> is never closed")
    return tuple(stack[0][1])


def _append_text(nodes: list[Node], text: str) -> None:
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] += text
    elif text:
        nodes.append(text)


def normalize(nodes: Iterable[Node]) -> Nodes:
    """Merge adjacent texts and drop empty ones (children too)."""
    merged: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            _append_text(merged, node)
        elif isinstance(node, Tag):
            merged.append(Tag(node.id, normalize(node.children)))
        else:
            merged.append(node)
    return tuple(merged)


def plain_text(nodes: Iterable[Node]) -> str:
    """The text of a segment without its tags."""
    return "".join(
        node
        if isinstance(node, str)
        else plain_text(node.children)
        if isinstance(node, Tag)
        else ""
        for node in nodes
    )


def tag_ids(nodes: Iterable[Node]) -> list[int]:
    """Tag and mark numbers in document order (opening order)."""
    found: list[int] = []
    for node in nodes:
        if isinstance(node, Tag):
            found.append(node.id)
            found.extend(tag_ids(node.children))
        elif isinstance(node, Mark):
            found.append(node.id)
    return found


def has_tags(nodes: Iterable[Node]) -> bool:
    """Whether a segment holds any tag or mark."""
    return any(not isinstance(node, str) for node in nodes)


# --- projection onto a translation --------------------------------------------------------


def phrases(nodes: Sequence[Node]) -> list[str]:
    """Tagged phrases whose own translation helps :func:`project` place their tags.

    A tag around the whole text of its parent needs no help, nor one without
    letters (it is searched for as it is).
    """
    found: list[str] = []
    _collect_phrases(nodes, found)
    return list(dict.fromkeys(found))


def _collect_phrases(nodes: Sequence[Node], found: list[str]) -> None:
    whole = plain_text(nodes).strip()
    for node in nodes:
        if isinstance(node, Tag):
            text = plain_text(node.children).strip()
            if text and text != whole and any(c.isalpha() for c in text):
                found.append(text)
            _collect_phrases(node.children, found)


@dataclass
class _Placed:
    node: Tag | Mark
    start: int
    end: int
    children: list[_Placed]
    space_after: bool = False
    """A mark that had spaces on both sides and landed at the start of a word."""
    space_before: bool = False
    """A mark that had a space before it and landed right after a word."""


@dataclass(frozen=True)
class _Projection:
    source: str
    output: str
    renderings: Mapping[str, str]


_WORD = re.compile(r"\S+")
SIMILAR_ENOUGH = 0.75
"""difflib ratio from which a run of output words is taken for a tagged phrase's translation."""
SIMILAR_ENOUGH_LONG = 0.65
"""The same for phrases of six letters or more (kabinet ~ cabinet, caffinet)."""
_CLOSING_PUNCTUATION = ".,;:!?)]}\"'”’…"
_TRIM = " \t\n.,;:!?\"'“”‘’()[]"


def project(source: Sequence[Node], output: str, renderings: Mapping[str, str]) -> Nodes:
    """Put the tags of ``source`` onto ``output`` (the translation of its plain text).

    ``renderings`` maps tagged phrases (see :func:`phrases`) to their
    translations. Every tag and mark of ``source`` is in the result once, in
    the same nesting and order. The result's plain text is ``output``, plus a
    space after a mark that stood between two spaces in the source and now
    stands right before a word (``en <code> met`` keeps its spaces).
    """
    source_text = plain_text(source)
    work = _Projection(source_text, output, renderings)
    placed = _place_children(work, source, (0, len(source_text)), (0, len(output)))
    return normalize(_build(output, placed, 0, len(output)))


def _place_children(
    work: _Projection, nodes: Sequence[Node], source: tuple[int, int], target: tuple[int, int]
) -> list[_Placed]:
    """Place ``nodes`` (the content of ``source`` in the source) within ``target`` of the output."""
    placed: list[_Placed] = []
    cursor = target[0]
    offset = source[0]
    for node in nodes:
        if isinstance(node, str):
            offset += len(node)
            continue
        expected = _expected(offset, source, target)
        if isinstance(node, Mark):
            room = (cursor, target[1])
            placed.append(_place_mark(work, node, (offset, source), max(expected, cursor), room))
            cursor = placed[-1].start
            continue
        length = len(plain_text(node.children))
        start, end = _tag_range(work, node, (offset, length), source, (cursor, target[1]), expected)
        children = _place_children(work, node.children, (offset, offset + length), (start, end))
        placed.append(_Placed(node, start, end, children))
        cursor = end
        offset += length
    return placed


def _expected(offset: int, source: tuple[int, int], target: tuple[int, int]) -> int:
    """The output position at the same share of the text as ``offset`` in the source."""
    share = (offset - source[0]) / max(source[1] - source[0], 1)
    return target[0] + round(share * (target[1] - target[0]))


def _place_mark(
    work: _Projection,
    mark: Mark,
    where: tuple[int, tuple[int, int]],
    expected: int,
    room: tuple[int, int],
) -> _Placed:
    """A mark keeps its place at either end, else goes to a word boundary near ``expected``.

    ``where`` is the mark's offset in the source and its parent's source range.
    """
    lo, hi = room
    offset, (first, last) = where
    text, output = work.source, work.output
    before = text[offset - 1] if offset > 0 else ""
    after = text[offset] if offset < len(text) else ""
    if hi <= lo or not text[first:offset].strip():
        return _Placed(mark, lo, lo, [])
    rest = text[offset:last].strip()
    if not rest:
        return _Placed(mark, hi, hi, [])
    if all(c in _CLOSING_PUNCTUATION for c in rest):  # "gemaakt op <x/>.": before the full stop
        at = _before_punctuation(output, lo, hi)
        space = before.isspace() and at > lo and not output[at - 1].isspace()
        return _Placed(mark, at, at, [], space_before=space)
    if before and not before.isspace():
        at = _word_end(output, expected, lo, hi)  # glued to the word before it (a note reference)
        if after and after in _CLOSING_PUNCTUATION:  # "nu<ec/>." stays before the full stop
            while at > lo + 1 and output[at - 1] in _CLOSING_PUNCTUATION:
                at -= 1
        return _Placed(mark, at, at, [])
    start = _snap_start(output, expected, lo, hi)
    if start == lo:  # words stood before the mark in the source: keep one before it
        first_word = _WORD.search(output, lo, hi)
        following = _WORD.search(output, first_word.end(), hi) if first_word else None
        start = following.start() if following else hi
    spaced = (
        before.isspace() and after.isspace() and start < hi and output[start - 1 : start].isspace()
    )
    if spaced and start - 1 > lo and output[start - 2].isspace():
        return _Placed(mark, start - 1, start - 1, [])  # between two spaces already
    return _Placed(mark, start, start, [], space_after=spaced)


def _before_punctuation(output: str, lo: int, hi: int) -> int:
    """The end of ``output[lo:hi]`` without its trailing white space and closing punctuation."""
    at = lo + len(output[lo:hi].rstrip())
    while at > lo and output[at - 1] in _CLOSING_PUNCTUATION:
        at -= 1
    return at


def _tag_range(
    work: _Projection,
    tag: Tag,
    span: tuple[int, int],
    source: tuple[int, int],
    room: tuple[int, int],
    expected: int,
) -> tuple[int, int]:
    """Where ``tag`` (``span``: its offset and length in the source) goes within ``room``."""
    lo, hi = room
    output = work.output
    offset, length = span
    text = work.source[offset : offset + length].strip()
    if hi <= lo:
        return lo, lo
    if not text:
        return (lo, lo) if not work.source[source[0] : offset].strip() else (hi, hi)
    if text == work.source[source[0] : source[1]].strip():
        left = len(output[lo:hi]) - len(output[lo:hi].lstrip())
        right = len(output[lo:hi]) - len(output[lo:hi].rstrip())
        return lo + left, max(lo + left, hi - right)
    rendering = work.renderings.get(text, "")
    for candidate in (rendering, text):
        found = _find_phrase(output, candidate.strip(_TRIM), lo, hi, expected)
        if found is not None:
            return found
    similar = _most_similar_words(output, (rendering, text), lo, hi, expected)
    if similar is not None:
        return similar
    # no clue in the output: the same share of the text, snapped to whole words
    start = _snap_start(output, max(expected, lo), lo, hi)
    total = max(source[1] - source[0], 1)
    width = max(1, round(length / total * (hi - lo)))
    return start, _snap_end(output, min(hi, start + width), start, hi)


def _find_phrase(
    output: str, phrase: str, lo: int, hi: int, expected: int
) -> tuple[int, int] | None:
    if not phrase:
        return None
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)
    hits = [(m.start(), m.end()) for m in pattern.finditer(output, lo, hi)]
    if not hits:
        return None
    return min(hits, key=lambda hit: abs(hit[0] - expected))


def _most_similar_words(
    output: str, candidates: Sequence[str], lo: int, hi: int, expected: int
) -> tuple[int, int] | None:
    """The run of words in ``output[lo:hi]`` most like a candidate (cognates: kabinet ~ cabinet)."""
    from difflib import SequenceMatcher

    words = [(m.start(), m.end()) for m in _WORD.finditer(output, lo, hi)]
    best: tuple[float, int, tuple[int, int]] | None = None
    for candidate in candidates:
        wanted = candidate.strip(_TRIM).lower()
        size = len(wanted.split())
        if not wanted or size > len(words):
            continue
        for first in range(len(words) - size + 1):
            start, end = words[first][0], words[first + size - 1][1]
            window = output[start:end].strip(_TRIM).lower()
            score = SequenceMatcher(None, wanted, window).ratio()
            key = (score, -abs(start - expected), (start, end))
            enough = SIMILAR_ENOUGH if len(wanted) < 6 else SIMILAR_ENOUGH_LONG
            if score >= enough and (best is None or key[:2] > best[:2]):
                best = key
    return best[2] if best else None


def _word_end(output: str, position: int, lo: int, hi: int) -> int:
    """The end of the word ``position`` falls in or follows (the first word's if none)."""
    position = max(lo, min(position, hi))
    while position > lo and output[position - 1].isspace():
        position -= 1
    if position == lo:
        first = _WORD.search(output, lo, hi)
        return first.end() if first else lo
    while position < hi and not output[position].isspace():
        position += 1
    return position


def _snap_start(output: str, position: int, lo: int, hi: int) -> int:
    """The start of the word ``position`` falls in, or of the next word (``hi`` if none)."""
    position = max(lo, min(position, hi))
    while (
        lo < position < hi and not output[position - 1].isspace() and not output[position].isspace()
    ):
        position -= 1
    word = _WORD.search(output, position, hi)
    return word.start() if word else hi


def _snap_end(output: str, position: int, start: int, hi: int) -> int:
    """The end of the word ``position`` falls in; at least the first word after ``start``."""
    first = _WORD.search(output, start, hi)
    if first is None:
        return start
    position = max(first.end(), min(position, hi))
    while position > first.end() and output[position - 1].isspace():
        position -= 1
    while position < hi and not output[position].isspace():
        position += 1
    return position


def _build(output: str, placed: list[_Placed], lo: int, hi: int) -> list[Node]:
    nodes: list[Node] = []
    cursor = lo
    for item in placed:
        start, end = max(item.start, cursor), max(item.end, item.start, cursor)
        if start > cursor:
            nodes.append(output[cursor:start])
        if isinstance(item.node, Mark):
            if item.space_before:
                nodes.append(" ")
            nodes.append(item.node)
            if item.space_after:
                nodes.append(" ")
            cursor = start
            continue
        nodes.append(Tag(item.node.id, tuple(_build(output, item.children, start, end))))
        cursor = end
    if hi > cursor:
        nodes.append(output[cursor:hi])
    return nodes
