"""Subtitles: SubRip (``srt``) and WebVTT (``webvtt-py``), timings and numbering kept.

A sentence often runs over several cues ("Ik ga morgen" / "naar de markt.").
Consecutive cues are grouped until one ends a sentence, and each group is
translated as one segment with the cue boundaries as marks; the translation
is then split back over the same cues where those marks land (at word
boundaries, in proportion to where they were in the Dutch). A cue's lines are
joined for translation and its translation is wrapped into as many lines.
Formatting tags in cue text (``<i>``, ``<c.yellow>``, ``{\\an8}``) are kept as
marks.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from translate.documents.base import DocumentFormat, Extraction
from translate.documents.inline import Mark, Node, Nodes, Tag, normalize
from translate.errors import InputError, located

_CUE_TAG = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_SENTENCE_END = re.compile(r"""[.!?…♪:;]["'”’)\]]*\s*$""")
MAX_CUES_PER_SENTENCE = 6
"""A sentence is cut after this many cues even without a full stop (lyrics, lists)."""


@dataclass
class _Group:
    cues: list[int]
    tags: dict[int, str] = field(default_factory=dict)
    closers: dict[int, str] = field(default_factory=dict)
    """Tag number → its closing markup (``</i>``)."""
    separators: dict[int, int] = field(default_factory=dict)
    """Mark number → index of the cue that starts after it."""


_OPENING = re.compile(r"<([A-Za-z]+)[^>/]*>")


def _cue_nodes(text: str, group: _Group) -> list[Node]:
    """One cue's text: paired tags (``<i>…</i>``) as tags, other markup as marks."""
    flat = " ".join(line.strip() for line in text.splitlines())
    stack: list[tuple[int, str, list[Node]]] = [(0, "", [])]
    position = 0
    for match in _CUE_TAG.finditer(flat):
        stack[-1][2].append(flat[position : match.start()])
        position = match.end()
        markup = match.group(0)
        number = len(group.tags) + len(group.separators) + 1
        opening = _OPENING.fullmatch(markup)
        if opening:
            group.tags[number] = markup
            stack.append((number, opening.group(1).lower(), []))
        elif len(stack) > 1 and markup.lower() == f"</{stack[-1][1]}>":
            opened, _, children = stack.pop()
            group.closers[opened] = markup
            stack[-1][2].append(Tag(opened, tuple(children)))
        else:
            group.tags[number] = markup
            stack[-1][2].append(Mark(number))
    stack[-1][2].append(flat[position:])
    while len(stack) > 1:  # an unclosed tag: its opening is a mark, its text goes on
        opened, _, children = stack.pop()
        stack[-1][2].extend([Mark(opened), *children])
    return stack[0][2]


def _plain(nodes: Sequence[Node]) -> str:
    return "".join(
        node if isinstance(node, str) else _plain(node.children) if isinstance(node, Tag) else ""
        for node in nodes
    )


def _markup(nodes: Sequence[Node], group: _Group) -> str:
    return "".join(
        node
        if isinstance(node, str)
        else group.tags[node.id] + _markup(node.children, group) + group.closers[node.id]
        if isinstance(node, Tag)
        else group.tags[node.id]
        for node in nodes
    )


def _groups(texts: Sequence[str]) -> list[tuple[_Group, Nodes]]:
    """Cues grouped into sentences, each with its segment."""
    result: list[tuple[_Group, Nodes]] = []
    group = _Group([])
    nodes: list[Node] = []
    for index, text in enumerate(texts):
        if group.cues:
            number = len(group.tags) + len(group.separators) + 1
            group.separators[number] = index
            nodes.extend([" ", Mark(number)])
        group.cues.append(index)
        cue = _cue_nodes(text, group)
        nodes.extend(cue)
        ends = _SENTENCE_END.search(_plain(cue)) or not _plain(cue).strip()
        if ends or len(group.cues) >= MAX_CUES_PER_SENTENCE or index == len(texts) - 1:
            result.append((group, normalize(nodes)))
            group, nodes = _Group([]), []
    return result


def _split_back(group: _Group, nodes: Nodes, line_counts: Sequence[int]) -> list[str]:
    """The translated text of each cue of ``group``, wrapped in its number of lines."""
    parts: list[list[str]] = [[]]
    for node in nodes:
        if isinstance(node, Mark) and node.id in group.separators:
            parts.append([])
        else:
            parts[-1].append(_markup((node,), group))
    texts = ["".join(part).strip() for part in parts]
    return [_wrap(text, lines) for text, lines in zip(texts, line_counts, strict=True)]


def _wrap(text: str, lines: int) -> str:
    """``text`` in ``lines`` lines of similar length (at word boundaries)."""
    words = text.split()
    if lines <= 1 or len(words) < 2:
        return text
    result: list[str] = []
    for line in range(lines, 1, -1):
        if len(words) < 2:
            break
        target = len(" ".join(words)) / line
        count = 1
        while count < len(words) - 1 and len(" ".join(words[: count + 1])) <= target + 2:
            count += 1
        result.append(" ".join(words[:count]))
        words = words[count:]
    result.append(" ".join(words))
    return "\n".join(result)


def _extraction(texts: Sequence[str], write: Callable[[list[str]], bytes], noun: str) -> Extraction:
    groups = _groups(texts)
    line_counts = [max(1, len(text.strip().splitlines())) for text in texts]
    kept = [i for i, (_, nodes) in enumerate(groups) if any(c.isalpha() for c in _plain(nodes))]

    def rebuild(translations: Sequence[Nodes]) -> bytes:
        outputs = list(texts)
        for (group, _), nodes in zip((groups[i] for i in kept), translations, strict=True):
            counts = [line_counts[i] for i in group.cues]
            for index, text in zip(group.cues, _split_back(group, nodes, counts), strict=True):
                outputs[index] = text
        return write(outputs)

    locations = [f"{noun} {groups[i][0].cues[0] + 1}" for i in kept]
    return Extraction([groups[i][1] for i in kept], rebuild, locations)


def _decode(data: bytes, name: str) -> str:
    from translate.fileio import decode_text

    return decode_text(name, data, "utf-8", fix="convert the subtitles to UTF-8")


def _check_cues(cues: Sequence[object], text: str, name: str) -> None:
    """Refuse a cue that swallowed what follows a blank line (a cue with a broken timing).

    The ``srt`` parser appends such lines to the previous cue; translated,
    they would be merged into it.
    """
    normalized = text.replace("\r\n", "\n")
    for cue in cues:
        content = str(getattr(cue, "content", ""))
        if "\n\n" not in content:
            continue
        at = normalized.find(content)
        line = normalized.count("\n", 0, at + content.index("\n\n")) + 3 if at >= 0 else None
        raise InputError(
            located(name, line, "malformed SRT (expected a cue number and timing)", "fix the cue")
        )


class SrtFormat(DocumentFormat):
    """SubRip subtitles: numbering and timings kept as they are."""

    name = "srt"

    def extract(self, data: bytes, name: str) -> Extraction:
        import srt

        text = _decode(data, name)
        try:
            cues = list(srt.parse(text, ignore_errors=False))
        except srt.SRTParseError as error:
            line = text.count("\n", 0, error.actual_start) + 1
            raise InputError(
                located(
                    name, line, "malformed SRT (expected a cue number and timing)", "fix the cue"
                )
            ) from None
        _check_cues(cues, text, name)
        crlf = "\r\n" in text
        bom = data.startswith(b"\xef\xbb\xbf")

        def write(outputs: list[str]) -> bytes:
            for cue, output in zip(cues, outputs, strict=True):
                cue.content = output
            composed: str = srt.compose(cues, reindex=False, strict=False)
            if not text.endswith("\n\n") and not text.endswith("\r\n\r\n"):
                composed = composed[:-1]  # compose ends every cue with a blank line
            if crlf:
                composed = composed.replace("\n", "\r\n")
            return ("\ufeff" if bom else "").encode() + composed.encode("utf-8")

        return _extraction([cue.content for cue in cues], write, "cue")


class VttFormat(DocumentFormat):
    """WebVTT subtitles: header, notes, styles, identifiers, timings and cue settings kept."""

    name = "vtt"

    def extract(self, data: bytes, name: str) -> Extraction:
        import webvtt
        from webvtt.errors import MalformedFileError

        text = _decode(data, name)
        try:
            document = webvtt.from_buffer(io.StringIO(text))
        except MalformedFileError as error:
            raise InputError(
                located(name, None, f"malformed WebVTT ({error})", "fix the cue")
            ) from None
        captions = list(document.captions)

        def write(outputs: list[str]) -> bytes:
            for caption, output in zip(captions, outputs, strict=True):
                caption.text = output
            return document.content.encode("utf-8")

        return _extraction([caption.raw_text for caption in captions], write, "cue")
