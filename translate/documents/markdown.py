"""Markdown, parsed with markdown-it-py (CommonMark plus tables).

Only the text of paragraphs, headings and table cells is rewritten, in place
in the source, so everything else (code blocks and fences, HTML blocks,
front matter, blank lines, list markers, indentation) stays byte for byte.
Inside a text, emphasis, strikethrough and links are tags (their markup and
URLs are written back as they were parsed), while code spans, images,
autolinks and inline HTML are marks, copied back untouched. A paragraph's
lines are joined for translation and written as one line (the same
Markdown); hard line breaks stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.documents.base import DocumentFormat, Extraction
from translate.documents.inline import Mark, Node, Nodes, Tag, normalize

_ESCAPED = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]"})


@dataclass
class _Inline:
    start: int
    end: int
    opening: dict[int, str] = field(default_factory=dict)
    closing: dict[int, str] = field(default_factory=dict)


def _link_close(token: Any) -> str:
    href = str(token.attrGet("href") or "")
    title = token.attrGet("title")
    target = f"<{href}>" if " " in href else href
    return f"]({target}" + (f' "{title}"' if title else "") + ")"


def _image(token: Any) -> str:
    src = str(token.attrGet("src") or "")
    title = token.attrGet("title")
    return f"![{token.content}]({src}" + (f' "{title}"' if title else "") + ")"


def _inline_nodes(children: Sequence[Any], inline: _Inline, prefixes: list[str]) -> Nodes:
    stack: list[tuple[int, list[Node]]] = [(0, [])]
    breaks = 0
    skip_until_close = False
    for token in children:
        number = len(inline.opening) + 1
        kind = token.type
        if skip_until_close:
            skip_until_close = kind != "link_close"
            continue
        if kind == "text":
            stack[-1][1].append(token.content)
        elif kind == "softbreak":
            breaks += 1
            stack[-1][1].append(" ")
        elif kind == "hardbreak":
            breaks += 1
            prefix = prefixes[breaks] if breaks < len(prefixes) else ""
            inline.opening[number] = ("\\" if token.markup == "\\" else "  ") + "\n" + prefix
            stack[-1][1].append(Mark(number, boundary=True))
        elif kind == "code_inline":
            fence = token.markup
            pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
            inline.opening[number] = f"{fence}{pad}{token.content}{pad}{fence}"
            stack[-1][1].append(Mark(number))
        elif kind == "link_open" and token.markup in ("autolink", "linkify"):
            href = str(token.attrGet("href") or "")
            inline.opening[number] = f"<{href}>" if token.markup == "autolink" else href
            stack[-1][1].append(Mark(number))
            skip_until_close = True
        elif kind in ("image", "html_inline"):
            inline.opening[number] = _image(token) if kind == "image" else token.content
            stack[-1][1].append(Mark(number))
        elif kind.endswith("_open"):
            link = kind == "link_open"
            inline.opening[number] = "[" if link else token.markup
            inline.closing[number] = _link_close(token) if link else token.markup
            stack.append((number, []))
        elif kind.endswith("_close") and len(stack) > 1:
            opened, nodes = stack.pop()
            stack[-1][1].append(Tag(opened, tuple(nodes)))
        else:
            inline.opening[number] = token.content
            stack[-1][1].append(Mark(number))
    while len(stack) > 1:
        opened, nodes = stack.pop()
        stack[-1][1].extend([Mark(opened), *nodes])
    return normalize(stack[0][1])


def _render(nodes: Sequence[Node], inline: _Inline) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node.translate(_ESCAPED))
        elif isinstance(node, Tag):
            parts.append(
                inline.opening[node.id] + _render(node.children, inline) + inline.closing[node.id]
            )
        else:
            parts.append(inline.opening[node.id])
    return "".join(parts)


def _plain(nodes: Sequence[Node]) -> str:
    return "".join(
        n if isinstance(n, str) else _plain(n.children) if isinstance(n, Tag) else "" for n in nodes
    )


class MarkdownFormat(DocumentFormat):
    """Markdown documents."""

    name = "markdown"

    def extract(self, data: bytes, name: str) -> Extraction:
        from markdown_it import MarkdownIt

        from translate.fileio import decode_text

        text = decode_text(name, data, "utf-8", fix="convert the file to UTF-8")
        bom = data.startswith(b"\xef\xbb\xbf")
        parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
        tokens = parser.parse(text)
        lines = text.splitlines(keepends=True)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        segments: list[Nodes] = []
        inlines: list[_Inline] = []
        locations: list[str] = []
        cursor = 0
        body = _front_matter_lines(lines)
        for token in tokens:
            if token.type != "inline" or token.map is None or not token.content.strip():
                continue
            if token.map[0] < body:
                continue  # YAML front matter is data, not text
            located_inline = _locate(text, lines, starts, token, cursor)
            if located_inline is None:
                continue
            inline, prefixes = located_inline
            cursor = inline.end
            nodes = _inline_nodes(token.children or [], inline, prefixes)
            if not any(c.isalpha() for c in _plain(nodes)):
                continue
            segments.append(nodes)
            inlines.append(inline)
            locations.append(f"line {token.map[0] + 1}")

        def rebuild(translations: Sequence[Nodes]) -> bytes:
            result = text
            for inline, nodes in sorted(
                zip(inlines, translations, strict=True), key=lambda item: -item[0].start
            ):
                result = result[: inline.start] + _render(nodes, inline) + result[inline.end :]
            return ("\ufeff" if bom else "").encode() + result.encode("utf-8")

        return Extraction(segments, rebuild, locations)


def _front_matter_lines(lines: list[str]) -> int:
    """How many lines a ``---`` YAML front matter block at the top takes (0 if none)."""
    if not lines or lines[0].rstrip("\r\n") != "---":
        return 0
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip("\r\n") in ("---", "..."):
            return number
    return 0


def _locate(
    text: str, lines: list[str], starts: list[int], token: Any, cursor: int
) -> tuple[_Inline, list[str]] | None:
    """Where an inline token's content is in the source, and each of its lines' prefix."""
    content_lines = token.content.split("\n")
    first_line = token.map[0]
    prefixes: list[str] = []
    start = end = -1
    for offset, content in enumerate(content_lines):
        number = first_line + offset
        if number >= len(lines):
            return None
        line_start = max(starts[number], cursor)
        at = text.find(content, line_start, starts[number + 1])
        if at < 0:
            return None
        prefixes.append(text[starts[number] : at])
        if offset == 0:
            start = at
        end = at + len(content)
    return _Inline(start, end), prefixes
