"""XLIFF 1.2 and 2.x (OASIS), parsed and written with lxml.

Units whose target is empty (or missing) get a machine translation; with
``overwrite`` every unit that is not protected does. Protected, and never
touched: units and segments with ``translate="no"``, units locked by the CAT
tool (``sdl:locked``, memoQ's ``mq:locked``, a ``locked`` attribute),
``approved="yes"`` units, and targets in state ``final`` or ``signed-off``
(1.2) or segments in state ``final`` (2.x). Units a CAT tool segmented
(``<seg-source>`` with ``<mrk mtype="seg">``, as Trados and memoQ write
them) are translated segment by segment into the matching target ``<mrk>``,
skipping segments Trados has locked or signed off.

Inline elements are tags or marks of the segment and come back in the target
as copies of the source's: ``<g>``, ``<mrk>`` and ``<pc>`` (paired, their
text translated), ``<x/>``, ``<bx/>``, ``<ex/>``, ``<ph>``, ``<bpt>``,
``<ept>``, ``<it>``, ``<sc/>``, ``<ec/>``, ``<sm/>``, ``<em/>`` and protected
``<mrk>`` (kept whole). A filled target is marked as machine output waiting
for review: XLIFF 1.2 ``state="needs-review-translation"``
``state-qualifier="mt-suggestion"``; XLIFF 2.x ``state="translated"``
``subState="vertaal:mt-needs-review"``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.documents.base import DocumentFormat, DocumentOptions, Extraction
from translate.documents.inline import Mark, Node, Nodes, Tag, normalize
from translate.documents.safety import parse_xml
from translate.errors import InputError, located

PAIRED = frozenset({"g", "mrk", "pc"})
LOCKED_STATES = frozenset({"final", "signed-off"})
MT_STATE_12 = ("needs-review-translation", "mt-suggestion")
MT_STATE_2 = ("translated", "vertaal:mt-needs-review")


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(element: Any) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _q(element: Any, name: str) -> str:
    namespace = _ns(element)
    return f"{{{namespace}}}{name}" if namespace else name


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child) == name]


def _locked(element: Any) -> bool:
    """CAT-tool locks and ``translate="no"`` on an element."""
    for attribute, value in element.attrib.items():
        local = attribute.rsplit("}", 1)[-1].lower()
        if local == "translate" and value == "no":
            return True
        if local == "locked" and value.lower() in ("true", "yes", "locked", "1"):
            return True
    return False


def _empty(element: Any | None) -> bool:
    return element is None or (not "".join(element.itertext()).strip() and len(element) == 0)


@dataclass
class _Segment:
    source: Any
    place: Callable[[Any], None]
    """Puts a new target element where it belongs."""
    target: Any | None
    make_target: Callable[[], Any]
    mark_done: Callable[[], None]
    elements: dict[int, Any] = field(default_factory=dict)


def _nodes(element: Any, segment: _Segment) -> Nodes:
    nodes: list[Node] = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            nodes.append(child.tail or "")
            continue
        number = len(segment.elements) + 1
        segment.elements[number] = child
        protected = _local(child) == "mrk" and (
            child.get("mtype") == "protected" or child.get("translate") == "no"
        )
        if _local(child) in PAIRED and not protected:
            nodes.append(Tag(number, _nodes(child, segment)))
        else:
            nodes.append(Mark(number))
        nodes.append(child.tail or "")
    return normalize(nodes)


def _fill(target: Any, nodes: Sequence[Node], segment: _Segment) -> None:
    """Write ``nodes`` into ``target`` with copies of the source's inline elements."""
    target.text = None
    for child in list(target):
        target.remove(child)
    last: Any = None
    for node in nodes:
        if isinstance(node, str):
            if last is None:
                target.text = (target.text or "") + node
            else:
                last.tail = (last.tail or "") + node
            continue
        original = segment.elements[node.id]
        if isinstance(node, Tag):
            element = copy.copy(original)
            element.tail = None
            _fill(element, node.children, segment)
        else:
            element = copy.deepcopy(original)
            element.tail = None
        target.append(element)
        last = element


class XliffFormat(DocumentFormat):
    """XLIFF 1.2 and 2.x files from CAT tools and content systems."""

    name = "xliff"

    def extract(self, data: bytes, name: str) -> Extraction:
        tree = parse_xml(data, name, "XLIFF")
        root = tree.getroot()
        if _local(root) != "xliff":
            raise InputError(
                located(name, root.sourceline, f"root element is <{_local(root)}>, not <xliff>")
            )
        version = str(root.get("version", "2.0" if "2.0" in _ns(root) else "1.2"))
        found = (
            _segments_12(root, self.options)
            if version.startswith("1")
            else _segments_2(root, self.options)
        )
        segments: list[Nodes] = []
        kept: list[_Segment] = []
        locations: list[str] = []
        for segment, line in found:
            nodes = _nodes(segment.source, segment)
            if not "".join(n for n in _texts(nodes)).strip():
                continue
            segments.append(nodes)
            kept.append(segment)
            locations.append(f"line {line}")

        def rebuild(translations: Sequence[Nodes]) -> bytes:
            for segment, nodes in zip(kept, translations, strict=True):
                target = segment.target
                if target is None:
                    target = segment.make_target()
                    segment.place(target)
                _fill(target, nodes, segment)
                segment.mark_done()
            encoding = tree.docinfo.encoding or "UTF-8"
            from lxml import etree

            body = etree.tostring(tree, xml_declaration=True, encoding=encoding)
            return bytes(body) + (b"\n" if not body.endswith(b"\n") else b"")

        return Extraction(segments, rebuild, locations)


def _texts(nodes: Sequence[Node]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Tag):
            out.extend(_texts(node.children))
    return out


def _segments_12(root: Any, options: DocumentOptions) -> list[tuple[_Segment, int]]:
    found: list[tuple[_Segment, int]] = []
    for file in root.iter(_q(root, "file")):
        if not file.get("target-language"):
            file.set("target-language", options.target_lang)
        for unit in file.iter(_q(root, "trans-unit")):
            if (
                _locked(unit)
                or unit.get("approved") == "yes"
                or any(
                    _locked(parent) for parent in unit.iterancestors() if _local(parent) == "group"
                )
            ):
                continue
            source = next(iter(_children(unit, "source")), None)
            if source is None:
                continue
            target = next(iter(_children(unit, "target")), None)
            if target is not None and target.get("state") in LOCKED_STATES:
                continue
            seg_source = next(iter(_children(unit, "seg-source")), None)
            if seg_source is not None and _seg_marks(seg_source):
                found.extend(_segmented_12(unit, seg_source, target, options))
                continue
            if not (_empty(target) or options.overwrite):
                continue
            found.append((_segment_12(unit, source, target, options), source.sourceline or 0))
    return found


def _seg_marks(element: Any) -> list[Any]:
    """The ``<mrk mtype="seg">`` segments of a seg-source or target, by document order."""
    return [m for m in element.iter(_q(element, "mrk")) if m.get("mtype") == "seg"]


def _sdl_segments(unit: Any) -> dict[str, Any]:
    """Trados's per-segment records (``sdl:seg-defs/sdl:seg``), by segment id."""
    return {
        str(seg.get("id")): seg
        for defs in unit
        if _local(defs) == "seg-defs"
        for seg in defs
        if _local(seg) == "seg"
    }


def _segmented_12(
    unit: Any, seg_source: Any, target: Any | None, options: DocumentOptions
) -> list[tuple[_Segment, int]]:
    """A unit segmented by its CAT tool: each ``<mrk mtype="seg">`` is a segment of its own.

    Segments Trados marks ``locked`` (or whose record is ``ApprovedSignOff``)
    are left alone; a missing target is made in the seg-source's shape.
    """
    sdl = _sdl_segments(unit)
    targets = {str(m.get("mid")): m for m in _seg_marks(target)} if target is not None else {}
    chosen = []
    for mark in _seg_marks(seg_source):
        mid = str(mark.get("mid"))
        record = sdl.get(mid)
        if record is not None and (
            _locked(record) or record.get("conf") in ("ApprovedSignOff", "ApprovedTranslation")
        ):
            continue
        if _empty(targets.get(mid)) or options.overwrite:
            chosen.append(mark)
    if not chosen:
        return []
    if target is None:
        target = copy.deepcopy(seg_source)
        target.tag = _q(unit, "target")
        for mark in _seg_marks(target):
            mark.text = None
            for child in list(mark):
                mark.remove(child)
        target.tail = seg_source.tail
        if unit.text is not None and not unit.text.strip():
            seg_source.tail = unit.text
        seg_source.addnext(target)
        targets = {str(m.get("mid")): m for m in _seg_marks(target)}
    found = []
    for mark in chosen:
        mid = str(mark.get("mid"))
        if mid not in targets:
            targets[mid] = copy.copy(mark)
            targets[mid].tail = None
            target.append(targets[mid])
        found.append((_seg_segment(mark, targets[mid], target, sdl.get(mid)), mark.sourceline or 0))
    return found


def _seg_segment(source: Any, target_mark: Any, target: Any, record: Any | None) -> _Segment:
    def done() -> None:
        target.set("state", MT_STATE_12[0])
        target.set("state-qualifier", MT_STATE_12[1])
        if record is not None:  # Trados: a draft from machine translation
            record.set("conf", "Draft")
            record.set("origin", "mt")

    return _Segment(source, lambda _: None, target_mark, lambda: target_mark, done)


def _segment_12(unit: Any, source: Any, target: Any | None, options: DocumentOptions) -> _Segment:
    holder: dict[str, Any] = {"target": target}

    def make() -> Any:
        from lxml import etree

        element = etree.Element(_q(unit, "target"))
        element.set("{http://www.w3.org/XML/1998/namespace}lang", options.target_lang)
        holder["target"] = element
        return element

    def place(element: Any) -> None:
        # the target follows the source (and seg-source), indented like its siblings
        anchor = next(iter(_children(unit, "seg-source")), source)
        element.tail = anchor.tail
        if unit.text is not None and not unit.text.strip():
            anchor.tail = unit.text
        anchor.addnext(element)

    def done() -> None:
        element = holder["target"]
        element.set("state", MT_STATE_12[0])
        element.set("state-qualifier", MT_STATE_12[1])

    return _Segment(source, place, target, make, done)


def _segments_2(root: Any, options: DocumentOptions) -> list[tuple[_Segment, int]]:
    if not root.get("trgLang"):
        root.set("trgLang", options.target_lang)
    found: list[tuple[_Segment, int]] = []
    for unit in root.iter(_q(root, "unit")):
        if _locked(unit) or any(
            _locked(p) for p in unit.iterancestors() if _local(p) in ("group", "file")
        ):
            continue
        for segment in _children(unit, "segment"):
            if _locked(segment) or segment.get("state") == "final":
                continue
            source = next(iter(_children(segment, "source")), None)
            if source is None:
                continue
            target = next(iter(_children(segment, "target")), None)
            if not (_empty(target) or options.overwrite):
                continue
            found.append((_segment_2(segment, source, target), source.sourceline or 0))
    return found


def _segment_2(segment: Any, source: Any, target: Any | None) -> _Segment:
    def make() -> Any:
        from lxml import etree

        return etree.Element(_q(segment, "target"))

    def place(element: Any) -> None:
        element.tail = source.tail
        if segment.text is not None and not segment.text.strip():
            source.tail = segment.text
        source.addnext(element)

    def done() -> None:
        segment.set("state", MT_STATE_2[0])
        segment.set("subState", MT_STATE_2[1])

    return _Segment(source, place, target, make, done)
