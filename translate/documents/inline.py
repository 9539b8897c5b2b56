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


_WORD = re.compile(r"\S+")
SIMILAR_ENOUGH = 0.75
"""difflib ratio from which a run of output words is taken for a tagged phrase's translation."""
_TRIM = " \t\n.,;:!?\"'“”‘’()[]"


def project(source: Sequence[Node], output: str, renderings: Mapping[str, str]) -> Nodes:
    """Put the tags of ``source`` onto ``output`` (the translation of its plain text).

    ``renderings`` maps tagged phrases (see :func:`phrases`) to their
    translations. Every tag and mark of ``source`` is in the result once, in
    the same nesting and order; the result's plain text is ``output``.
    """
    source_text = plain_text(source)
    placed = _place_children(
        source, 0, len(source_text), source_text, output, 0, len(output), renderings
    )
    return normalize(_build(output, placed, 0, len(output)))


def _place_children(
    nodes: Sequence[Node],
    src_start: int,
    src_end: int,
    source_text: str,
    output: str,
    lo: int,
    hi: int,
    renderings: Mapping[str, str],
) -> list[_Placed]:
    placed: list[_Placed] = []
    cursor = lo
    offset = src_start
    whole = source_text[src_start:src_end].strip()
    for node in nodes:
        if isinstance(node, str):
            offset += len(node)
            continue
        if isinstance(node, Mark):
            attached = offset > 0 and not source_text[offset - 1].isspace()
            at = _mark_position(offset, (src_start, src_end), output, cursor, hi, attached)
            placed.append(_Placed(node, at, at, []))
            cursor = at
            continue
        length = len(plain_text(node.children))
        text = source_text[offset : offset + length].strip()
        start, end = _tag_range(
            text,
            whole,
            (offset - src_start, length, src_end - src_start),
            output,
            cursor,
            hi,
            renderings,
        )
        children = _place_children(
            node.children, offset, offset + length, source_text, output, start, end, renderings
        )
        placed.append(_Placed(node, start, end, children))
        cursor = end
        offset += length
    return placed


def _mark_position(
    offset: int, source: tuple[int, int], output: str, lo: int, hi: int, attached: bool
) -> int:
    """Where a mark goes: same share of the text; after a word if it was glued to one."""
    src_start, src_end = source
    if offset <= src_start or hi <= lo:
        return lo
    if offset >= src_end:
        return hi
    ratio = (offset - src_start) / (src_end - src_start)
    start = _snap_start(output, lo + round(ratio * (hi - lo)), lo, hi)
    if attached and start > lo:
        return len(output[:start].rstrip()) if output[lo:start].strip() else start
    return start


def _tag_range(
    text: str,
    whole: str,
    where: tuple[int, int, int],
    output: str,
    lo: int,
    hi: int,
    renderings: Mapping[str, str],
) -> tuple[int, int]:
    """Where a tag around ``text`` goes in ``output[lo:hi]`` (``where``: offset, length, total)."""
    if hi <= lo:
        return lo, lo
    if not text or text == whole:
        left = len(output[lo:hi]) - len(output[lo:hi].lstrip())
        right = len(output[lo:hi]) - len(output[lo:hi].rstrip())
        return (lo + left, hi - right) if text else (lo, lo)
    offset, length, total = where
    expected = lo + round(offset / max(total, 1) * (hi - lo))
    for candidate in (renderings.get(text, ""), text):
        found = _find_phrase(output, candidate.strip(_TRIM), lo, hi, expected)
        if found is not None:
            return found
    similar = _most_similar_words(output, (renderings.get(text, ""), text), lo, hi, expected)
    if similar is not None:
        return similar
    # no clue in the output: the same share of the text, snapped to whole words
    start = _snap_start(output, expected, lo, hi)
    width = max(1, round(length / max(total, 1) * (hi - lo)))
    end = _snap_end(output, min(hi, start + width), start, hi)
    return start, end


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
            if score >= SIMILAR_ENOUGH and (best is None or key[:2] > best[:2]):
                best = key
    return best[2] if best else None


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
            nodes.append(item.node)
            cursor = start
            continue
        nodes.append(Tag(item.node.id, tuple(_build(output, item.children, start, end))))
        cursor = end
    if hi > cursor:
        nodes.append(output[cursor:hi])
    return nodes
