"""HTML pages and fragments, parsed and written with lxml.

Each block (paragraph, heading, list item, cell...) is one segment: its text
with the inline elements inside it (``<b>``, ``<a href>``...) as tags and
atomic ones (``<br>``, ``<img>``, ``<code>``, anything with
``translate="no"``) as marks, which come back byte for byte. ``script``,
``style``, ``code``, ``pre`` and ``translate="no"`` blocks are left alone;
the ``alt``, ``title``, ``placeholder`` and ``aria-label`` attributes and the
page's meta description are translated as segments of their own. The page is
written in the encoding it was read in (characters it cannot hold become
character references).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.documents.base import DocumentFormat, Extraction
from translate.documents.inline import Mark, Node, Nodes, Tag
from translate.errors import InputError, located

INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "label",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
    ]
)
"""Elements that format words inside a block: they become tags."""

ATOMIC = frozenset(
    [
        "br",
        "img",
        "input",
        "wbr",
        "code",
        "kbd",
        "samp",
        "var",
        "script",
        "style",
        "svg",
        "math",
        "textarea",
        "iframe",
        "object",
        "embed",
        "audio",
        "video",
        "canvas",
        "picture",
        "noscript",
        "template",
    ]
)
"""Elements kept whole inside a block: they become marks."""

SKIPPED = frozenset(
    ["script", "style", "code", "pre", "svg", "math", "noscript", "template", "textarea"]
)
"""Elements whose content is never translated."""

ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
"""Attributes whose values are text for people, translated."""

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_IS_DOCUMENT = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype|html)\b", re.I | re.S
)


def _no_translate(element: Any) -> bool:
    return (
        str(element.get("translate", "")).lower() == "no"
        or "notranslate" in str(element.get("class", "")).split()
    )


def _is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def _name(element: Any) -> str:
    """The element's lower-case local name (``p`` also for XHTML's ``{...xhtml}p``)."""
    return str(element.tag).rsplit("}", 1)[-1].lower()


def _is_inline(element: Any) -> bool:
    """An element that may sit inside a segment (as a tag or a mark)."""
    if not _is_element(element):
        return True  # comments and processing instructions: kept as marks
    tag = _name(element)
    if tag in ATOMIC or _no_translate(element):
        return True
    return tag in INLINE and all(_is_inline(child) for child in element)


@dataclass
class _Run:
    """Inline content of ``parent``: children ``[first, last)`` and the text before them.

    The text before child ``first`` is ``parent.text`` when ``first == 0``,
    else the tail of child ``first - 1``.
    """

    parent: Any
    first: int
    last: int
    elements: dict[int, Any] = field(default_factory=dict)


@dataclass
class _Collector:
    segments: list[Nodes] = field(default_factory=list)
    writers: list[Callable[[Nodes], None]] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)

    def add(self, nodes: Nodes, writer: Callable[[Nodes], None], line: int | None) -> None:
        if not any(c.isalpha() for c in _text(nodes)):
            return  # nothing to translate: leave the markup exactly as it is
        self.segments.append(nodes)
        self.writers.append(writer)
        self.locations.append(f"line {line}" if line else f"segment {len(self.segments)}")


def _text(nodes: Sequence[Node]) -> str:
    return "".join(
        n if isinstance(n, str) else _text(n.children) if isinstance(n, Tag) else "" for n in nodes
    )


def _walk(element: Any, out: _Collector) -> None:
    """Collect the segments under ``element`` (a block: not itself inside a segment)."""
    if not _is_element(element):
        return
    tag = _name(element)
    if tag in SKIPPED or _no_translate(element):
        return
    _collect_attributes(element, out)
    children = list(element)
    start = 0
    for index in range(len(children) + 1):
        block = index == len(children) or not _is_inline(children[index])
        if not block:
            continue
        _collect_run(_Run(element, start, index), out)
        if index < len(children):
            _walk(children[index], out)
        start = index + 1


def _collect_attributes(element: Any, out: _Collector) -> None:
    names = list(ATTRIBUTES)
    if _name(element) == "meta" and str(element.get("name", "")).lower() in (
        "description",
        "keywords",
    ):
        names.append("content")
    for attribute in names:
        value = element.get(attribute)
        if value and value.strip():

            def write(nodes: Nodes, element: Any = element, attribute: str = attribute) -> None:
                element.set(attribute, _text(nodes))

            out.add((value,), write, element.sourceline)


def _collect_run(run: _Run, out: _Collector) -> None:
    parent = run.parent
    leading = parent.text if run.first == 0 else parent[run.first - 1].tail
    nodes: list[Node] = [leading or ""]
    for position in range(run.first, run.last):
        child = parent[position]
        nodes.append(_inline_node(child, run, out))
        nodes.append(child.tail or "")
    if run.last > run.first or (leading and leading.strip()):
        out.add(_clean(nodes), lambda translated: _write_run(run, translated), parent.sourceline)


def _inline_node(element: Any, run: _Run, out: _Collector) -> Node:
    number = len(run.elements) + 1
    run.elements[number] = element
    if not _is_element(element):
        return Mark(number)
    if _name(element) in ATOMIC or _no_translate(element):
        if not _no_translate(element) and _name(element) not in SKIPPED:
            _collect_attributes(element, out)
        return Mark(number, boundary=_name(element) == "br")
    _collect_attributes(element, out)
    # attributes of inline elements (a title on a link) are translated too
    children: list[Node] = [element.text or ""]
    for child in element:
        children.append(_inline_node(child, run, out))
        children.append(child.tail or "")
    return Tag(number, _clean(children))


_SPACE = re.compile(r"[ \t\r\n\f]+")


def _clean(nodes: list[Node]) -> Nodes:
    """Drop empty texts; collapse white space, which HTML renders as one space anyway.

    (A line break in the page's source is no sentence boundary, as it would be in text.)
    """
    return tuple(
        _SPACE.sub(" ", node) if isinstance(node, str) else node
        for node in nodes
        if not (isinstance(node, str) and not node)
    )


def _write_run(run: _Run, translated: Nodes) -> None:
    parent = run.parent
    originals = [parent[i] for i in range(run.first, run.last)]
    for element in originals:
        parent.remove(element)
    for element in run.elements.values():
        element.tail = None
        if _is_element(element) and _name(element) not in ATOMIC and not _no_translate(element):
            element.text = None
            for child in list(element):
                element.remove(child)
    leading, built = _build(translated, run)
    if run.first == 0:
        parent.text = leading
    else:
        parent[run.first - 1].tail = leading
    for offset, element in enumerate(built):
        parent.insert(run.first + offset, element)


def _build(nodes: Nodes, run: _Run) -> tuple[str | None, list[Any]]:
    """Text before the first element, and the elements (with their tails) for ``nodes``."""
    leading = ""
    built: list[Any] = []
    for node in nodes:
        if isinstance(node, str):
            if built:
                built[-1].tail = (built[-1].tail or "") + node
            else:
                leading += node
            continue
        element = run.elements[node.id]
        if isinstance(node, Tag):
            text, children = _build(node.children, run)
            element.text = text
            for child in children:
                element.append(child)
        built.append(element)
    return leading or None, built


def _declared_encoding(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    match = _CHARSET.search(data[:4096])
    if match:
        import codecs

        try:
            return codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            return None
    return None


def _decode(data: bytes, name: str) -> tuple[str, str]:
    encoding = _declared_encoding(data) or "utf-8"
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            located(
                name,
                line,
                f"not valid {encoding} (byte offset {error.start})",
                "declare the page's charset in a <meta charset> tag",
            )
        ) from None


def _extract_tree(root: Any) -> _Collector:
    out = _Collector()
    _walk(root, out)
    return out


class HtmlFormat(DocumentFormat):
    """HTML documents (a whole page, or a fragment without ``<html>``)."""

    name = "html"

    def extract(self, data: bytes, name: str) -> Extraction:
        text, encoding = _decode(data, name)
        if _IS_DOCUMENT.match(text):
            return _extract_page(text, encoding, name, self.options.target_lang)
        return _extract_fragment(text, encoding)


def _extract_page(text: str, encoding: str, name: str, language: str) -> Extraction:
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=False, remove_pis=False)
    # lxml refuses str input that declares an encoding; the text is decoded already
    source = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(located(name, None, f"cannot parse HTML ({error})")) from None
    tree = root.getroottree()
    doctype = tree.docinfo.doctype
    out = _extract_tree(root)

    def rebuild(translations: Sequence[Nodes]) -> bytes:
        for writer, nodes in zip(out.writers, translations, strict=True):
            writer(nodes)
        if root.get("lang"):
            root.set("lang", language)  # the page is now in the target language
        body = etree.tostring(root, encoding=encoding, method="html", doctype=doctype or None)
        return bytes(body) if body.endswith(b"\n") else bytes(body) + b"\n"

    return Extraction(out.segments, rebuild, out.locations)


def _extract_fragment(text: str, encoding: str) -> Extraction:
    import lxml.html

    holder = lxml.html.fragment_fromstring(text, create_parent="div")
    out = _extract_tree(holder)

    def rebuild(translations: Sequence[Nodes]) -> bytes:
        for writer, nodes in zip(out.writers, translations, strict=True):
            writer(nodes)
        return fragment_markup(holder).encode(encoding, errors="xmlcharrefreplace")

    return Extraction(out.segments, rebuild, out.locations)


def fragment_markup(holder: Any) -> str:
    """The inner HTML of ``holder`` (its text and children, not its own tag)."""
    import html

    from lxml import etree

    parts = [html.escape(holder.text or "", quote=False)]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in holder)
    return "".join(parts)


def extract_xhtml(data: bytes, name: str) -> Extraction:
    """An XHTML document (an EPUB chapter): parsed and written as XML, not HTML."""
    from lxml import etree

    from translate.documents.safety import parse_xml

    tree = parse_xml(data, name, "XHTML")
    out = _extract_tree(tree.getroot())

    def rebuild(translations: Sequence[Nodes]) -> bytes:
        for writer, nodes in zip(out.writers, translations, strict=True):
            writer(nodes)
        encoding = tree.docinfo.encoding or "utf-8"
        return bytes(etree.tostring(tree, xml_declaration=True, encoding=encoding))

    return Extraction(out.segments, rebuild, out.locations)
