"""OpenDocument text (ODT), opened and saved with odfpy.

Every ``text:p`` and ``text:h`` is a segment: body, tables, lists, headers and
footers (in the master pages), footnotes and endnotes, text boxes (a note or
frame inside a paragraph is a mark there, and its own paragraphs are
segments of their own). ``text:span`` and ``text:a`` are tags, adjacent
spans of the same style being merged first; fields, bookmarks, frames, notes and
annotations are marks, copied back untouched; a line break or a tab is a
boundary (the texts on either side are translated apart); ``text:s``
(repeated spaces) is read as spaces. Styles and images are not touched.
Paragraphs with tracked changes are kept untranslated and reported.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.documents.base import DocumentFormat, Extraction
from translate.documents.inline import Mark, Node, Nodes, Tag, normalize
from translate.documents.safety import open_zip, read_member, refuse_entities
from translate.errors import InputError, located

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_PARAGRAPHS = ("p", "h")
_TAGS = ("span", "a")
_CHANGES = ("change", "change-start", "change-end")


def _is(node: Any, *names: str) -> bool:
    qname: tuple[str, str] | None = getattr(node, "qname", None)
    return qname is not None and qname[0] == TEXT_NS and qname[1] in names


@dataclass
class _Paragraph:
    element: Any
    elements: dict[int, Any] = field(default_factory=dict)


def _paragraphs(node: Any, found: list[Any]) -> None:
    for child in getattr(node, "childNodes", []):
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if _is(child, *_PARAGRAPHS):
            found.append(child)
        _paragraphs(child, found)


def _has_changes(paragraph: Any) -> bool:
    stack = list(paragraph.childNodes)
    while stack:
        node = stack.pop()
        if _is(node, *_CHANGES):
            return True
        if _is(node, *_TAGS):
            stack.extend(node.childNodes)
    return False


def _merge_spans(element: Any) -> None:
    """Adjacent spans with the same attributes and only text inside become one span."""
    children = list(element.childNodes)
    previous = None
    for child in children:
        if (
            previous is not None
            and _is(child, "span")
            and _is(previous, "span")
            and child.attributes == previous.attributes
            and all(node.nodeType == node.TEXT_NODE for node in child.childNodes)
        ):
            from odf.element import Text

            for node in list(child.childNodes):
                previous.appendChild(Text(str(node.data)))
            element.removeChild(child)
            continue
        previous = child if child.nodeType == child.ELEMENT_NODE else None


def _nodes(element: Any, state: _Paragraph) -> Nodes:
    _merge_spans(element)
    nodes: list[Node] = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            nodes.append(str(child.data))
        elif _is(child, "s"):
            nodes.append(" " * int(child.getAttribute("c") or 1))
        elif _is(child, *_TAGS):
            number = len(state.elements) + 1
            state.elements[number] = child
            nodes.append(Tag(number, _nodes(child, state)))
        elif child.nodeType == child.ELEMENT_NODE:
            number = len(state.elements) + 1
            state.elements[number] = child
            nodes.append(Mark(number, boundary=_is(child, "line-break", "tab")))
    return normalize(nodes)


def _write_paragraph(state: _Paragraph, nodes: Sequence[Node]) -> None:
    _write(state.element, nodes, state)


def _write(element: Any, nodes: Sequence[Node], state: _Paragraph) -> None:
    from odf.element import Text

    _clear(element)
    for node in nodes:
        if isinstance(node, str):
            element.appendChild(Text(node))
            continue
        original = state.elements[node.id]
        if isinstance(node, Tag):
            _write(original, node.children, state)
        element.appendChild(original)


def _clear(element: Any) -> None:
    """Remove every child (odfpy's removeChild refuses text nodes, so those go directly)."""
    for child in list(element.childNodes):
        if child.nodeType == child.ELEMENT_NODE:
            element.removeChild(child)
        else:
            element.childNodes.remove(child)
            child.parentNode = None


def _plain(nodes: Sequence[Node]) -> str:
    return "".join(
        n if isinstance(n, str) else _plain(n.children) if isinstance(n, Tag) else "" for n in nodes
    )


class OdtFormat(DocumentFormat):
    """OpenDocument text documents."""

    name = "odt"

    def extract(self, data: bytes, name: str) -> Extraction:
        from odf.opendocument import load

        archive = open_zip(data, name, "ODT")
        names = archive.namelist()
        if "content.xml" not in names:
            raise InputError(located(name, None, "not an OpenDocument file (no content.xml)"))
        manifest = (
            read_member(archive, "META-INF/manifest.xml", name)
            if "META-INF/manifest.xml" in names
            else b""
        )
        if b"encryption-data" in manifest:
            raise InputError(
                located(name, None, "ODT is password-protected", "remove the password")
            )
        for member in names:
            if member.endswith(".xml"):
                refuse_entities(read_member(archive, member, name), f"{name}:{member}")
        try:
            document = load(io.BytesIO(data))
        except (KeyError, ValueError, SyntaxError, AttributeError) as error:
            raise InputError(
                located(name, None, f"corrupt ODT ({type(error).__name__}: {error})")
            ) from None
        roots = [document.text, document.masterstyles]
        paragraphs: list[Any] = []
        for root in roots:
            _paragraphs(root, paragraphs)
        segments: list[Nodes] = []
        writers: list[Callable[[Nodes], None]] = []
        locations: list[str] = []
        notes: list[str] = []
        for number, paragraph in enumerate(paragraphs, 1):
            if _has_changes(paragraph):
                notes.append(f"{name}: paragraph {number} has tracked changes: kept untranslated")
                continue
            state = _Paragraph(paragraph)
            nodes = _nodes(paragraph, state)
            if not any(c.isalpha() for c in _plain(nodes)):
                continue
            segments.append(nodes)
            writers.append(functools.partial(_write_paragraph, state))
            locations.append(f"paragraph {number}")

        def rebuild(translations: Sequence[Nodes]) -> bytes:
            for writer, nodes in zip(writers, translations, strict=True):
                writer(nodes)
            out = io.BytesIO()
            document.save(out)
            return out.getvalue()

        return Extraction(segments, rebuild, locations, notes)
