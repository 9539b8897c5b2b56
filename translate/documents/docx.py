"""Word documents (DOCX), opened and saved with python-docx.

Every paragraph of the body, tables, headers and footers, footnotes,
endnotes and text boxes is a segment. Word splits text into runs wherever
anything changed (an edit, a spelling mark), so a word can be spread over
several runs with identical formatting: adjacent runs with the same run
properties are merged first. The formatting most of the paragraph has is its
*base*; runs formatted otherwise (bold, italic, a character style) become
tags, hyperlinks become tags around their runs, and everything else inside
a paragraph (images, fields with their codes and results, footnote
references, tabs, bookmarks) becomes a mark that is copied back untouched, as
are styles, numbering and section properties. A line break or a tab is a
boundary: the texts on either side are translated apart.

Paragraphs with tracked changes (insertions, deletions, moves) are left
untranslated and reported, so no revision is lost or silently accepted.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.documents.base import DocumentFormat, Extraction
from translate.documents.inline import Mark, Node, Nodes, Tag, normalize
from translate.documents.safety import open_zip, parse_xml, read_member, refuse_entities
from translate.errors import InputError, located

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARTS = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_REVISIONS = ("ins", "del", "moveFrom", "moveTo")
_DROPPED = ("proofErr", "lastRenderedPageBreak")
"""Markers that mean nothing once the text is translated (spelling-check state)."""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class _Piece:
    """A run's text (``key`` = its run properties) or an element kept whole (``kept``)."""

    text: str = ""
    key: str = ""
    properties: Any = None
    kept: list[Any] = field(default_factory=list)
    boundary: bool = False
    wrap: bool = False
    """``kept`` is a run's child, written inside a run with ``properties``."""
    link: Any = None
    children: list[_Piece] = field(default_factory=list)


@dataclass
class _Paragraph:
    element: Any
    marks: dict[int, _Piece] = field(default_factory=dict)
    bases: dict[int, _Piece | None] = field(default_factory=dict)
    """Tag number (0: the paragraph) → the run formatting of its plain text."""


class DocxFormat(DocumentFormat):
    """Word documents."""

    name = "docx"

    def extract(self, data: bytes, name: str) -> Extraction:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        archive = open_zip(data, name, "DOCX")
        for member in archive.namelist():
            if member.endswith(".xml") or member.endswith(".rels"):
                refuse_entities(read_member(archive, member, name), f"{name}:{member}")
        if "word/document.xml" not in archive.namelist():
            raise InputError(located(name, None, "not a Word document (no word/document.xml)"))
        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, KeyError, ValueError) as error:
            raise InputError(located(name, None, f"corrupt DOCX ({error})")) from None
        except SyntaxError as error:  # lxml's XMLSyntaxError
            raise InputError(
                located(name, None, f"corrupt DOCX (malformed XML: {error})")
            ) from None
        segments: list[Nodes] = []
        writers: list[Callable[[Nodes], None]] = []
        locations: list[str] = []
        notes: list[str] = []
        finishers: list[Callable[[], None]] = []
        for part in document.part.package.iter_parts():
            partname = str(part.partname)
            if not _PARTS.match(partname):
                continue
            root, finish = _part_root(part, name)
            finishers.append(finish)
            for number, paragraph in enumerate(root.iter(_w("p")), 1):
                where = f"{partname.removeprefix('/word/')} paragraph {number}"
                if next(paragraph.iter(*(_w(r) for r in _REVISIONS)), None) is not None:
                    notes.append(f"{name}: {where} has tracked changes: kept untranslated")
                    continue
                state = _Paragraph(paragraph)
                nodes = _paragraph_nodes(state)
                if not any(c.isalpha() for c in _plain(nodes)):
                    continue
                segments.append(nodes)
                writers.append(functools.partial(_write_paragraph, state))
                locations.append(where)

        def rebuild(translations: Sequence[Nodes]) -> bytes:
            for writer, nodes in zip(writers, translations, strict=True):
                writer(nodes)
            for finish in finishers:
                finish()
            out = io.BytesIO()
            document.save(out)
            return out.getvalue()

        return Extraction(segments, rebuild, locations, notes)


def _part_root(part: Any, name: str) -> tuple[Any, Callable[[], None]]:
    """The XML root of a part, and how to store changes (python-docx holds some parts as bytes)."""
    if hasattr(part, "element"):
        return part.element, lambda: None
    from lxml import etree

    root = parse_xml(part.blob, f"{name}:{part.partname}").getroot()

    def finish() -> None:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return root, finish


def _plain(nodes: Sequence[Node]) -> str:
    return "".join(
        n if isinstance(n, str) else _plain(n.children) if isinstance(n, Tag) else "" for n in nodes
    )


# --- reading a paragraph ------------------------------------------------------------------


def _pieces(container: Any) -> list[_Piece]:
    """The content of a paragraph (or hyperlink) as text pieces and kept elements."""
    pieces: list[_Piece] = []
    field_runs: list[Any] | None = None
    depth = 0
    for child in container:
        local = _local(child)
        if local in ("pPr",) or local in _DROPPED:
            continue
        if local == "r":
            chars = [c for c in child if _local(c) == "fldChar"]
            kinds = [c.get(_w("fldCharType")) for c in chars]
            if field_runs is not None or "begin" in kinds:
                # a complex field: its code and result stay as they are, as one mark
                field_runs = field_runs or []
                field_runs.append(child)
                depth += kinds.count("begin") - kinds.count("end")
                if depth <= 0:
                    pieces.append(_Piece(kept=field_runs))
                    field_runs, depth = None, 0
                continue
            pieces.extend(_run_pieces(child))
        elif local == "hyperlink":
            pieces.append(_Piece(link=child, children=_pieces(child)))
        else:
            pieces.append(_Piece(kept=[child]))
    if field_runs:
        pieces.append(_Piece(kept=field_runs))
    return pieces


def _run_pieces(run: Any) -> list[_Piece]:
    from lxml import etree

    properties = run.find(_w("rPr"))
    key = etree.tostring(properties).decode() if properties is not None else ""
    pieces: list[_Piece] = []
    for child in run:
        local = _local(child)
        if local == "rPr" or local in _DROPPED:
            continue
        if local == "t":
            pieces.append(_Piece(text=child.text or "", key=key, properties=properties))
        elif local in ("noBreakHyphen",):
            pieces.append(_Piece(text="\u2011", key=key, properties=properties))
        else:
            # wrapped in a run of its own when written (the original is moved, not copied,
            # so a text box's paragraphs translated in place come along)
            boundary = local == "br" and child.get(_w("type")) in (None, "textWrapping")
            boundary = boundary or local in ("cr", "tab")  # a tab separates like a break
            pieces.append(_Piece(kept=[child], properties=properties, wrap=True, boundary=boundary))
    return pieces


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    """Adjacent text pieces with identical formatting become one (Word's split runs)."""
    merged: list[_Piece] = []
    for piece in pieces:
        if (
            merged
            and not piece.kept
            and piece.link is None
            and not merged[-1].kept
            and merged[-1].link is None
            and merged[-1].key == piece.key
        ):
            merged[-1].text += piece.text
        else:
            merged.append(piece)
    return merged


def _paragraph_nodes(state: _Paragraph) -> Nodes:
    return _nodes(_pieces(state.element), state, 0)


def _nodes(pieces: list[_Piece], state: _Paragraph, owner: int) -> Nodes:
    pieces = _merge(pieces)
    sizes: Counter[str] = Counter()
    for piece in pieces:
        if not piece.kept and piece.link is None:
            sizes[piece.key] += len(piece.text)
    base_key = sizes.most_common(1)[0][0] if sizes else ""
    base = next((p for p in pieces if p.link is None and not p.kept and p.key == base_key), None)
    state.bases[owner] = base
    nodes: list[Node] = []
    for piece in pieces:
        if piece.link is not None:
            number = len(state.marks) + 1
            state.marks[number] = piece
            nodes.append(Tag(number, _nodes(piece.children, state, number)))
        elif piece.kept:
            number = len(state.marks) + 1
            state.marks[number] = piece
            nodes.append(Mark(number, piece.boundary))
        elif piece.key == base_key:
            nodes.append(piece.text)
        else:
            number = len(state.marks) + 1
            state.marks[number] = piece
            nodes.append(Tag(number, (piece.text,)))
    return normalize(nodes)


# --- writing a paragraph ------------------------------------------------------------------


def _write_paragraph(state: _Paragraph, nodes: Nodes) -> None:
    paragraph = state.element
    for child in list(paragraph):
        if _local(child) != "pPr":
            paragraph.remove(child)
    for element in _elements(nodes, state, 0):
        paragraph.append(element)


def _elements(nodes: Sequence[Node], state: _Paragraph, owner: int) -> list[Any]:
    base = state.bases.get(owner)
    elements: list[Any] = []
    for node in nodes:
        if isinstance(node, str):
            elements.append(_run(node, base.properties if base else None))
            continue
        piece = state.marks[node.id]
        if isinstance(node, Mark) and piece.wrap:
            elements.append(_run(None, piece.properties, piece.kept))
        elif isinstance(node, Mark):
            elements.extend(piece.kept)
        elif piece.link is not None:
            link = piece.link
            for child in list(link):
                link.remove(child)
            for element in _elements(node.children, state, node.id):
                link.append(element)
            elements.append(link)
        else:
            elements.append(_run(_plain(node.children), piece.properties))
    return elements


def _run(text: str | None, properties: Any, children: Sequence[Any] = ()) -> Any:
    from lxml import etree

    run = etree.Element(_w("r"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    for child in children:
        run.append(child)
    if text is None:
        return run
    t = etree.SubElement(run, _w("t"))
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(XML_SPACE, "preserve")
    return run
