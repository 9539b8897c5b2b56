"""Every format: translate with a transparent translator and read the result back.

The translator upper-cases, so the translated document must hold exactly the
source's segments, upper-cased, with every inline tag in the same place: the
structure, the tags and their order survive extraction, translation and
rebuilding. Golden files pin the bytes written for the text-based formats
(and the re-read segments of the zip-based ones); ``UPDATE_GOLDEN=1``
rewrites them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from translate.documents import extract_document, translate_document
from translate.documents.inline import to_markup

from . import samples
from .builders import build_docx, build_epub, build_odt
from .helpers import UpperTranslator

GOLDEN = Path(__file__).parent / "golden"

DOCUMENTS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "page.html": ("html", lambda: samples.HTML.encode()),
    "film.srt": ("srt", lambda: samples.SRT.encode()),
    "film.vtt": ("vtt", lambda: samples.VTT.encode()),
    "artikel.md": ("markdown", lambda: samples.MARKDOWN.encode()),
    "artikel12.xlf": ("xliff", lambda: samples.XLIFF12.encode()),
    "artikel2.xlf": ("xliff", lambda: samples.XLIFF2.encode()),
    "verslag.docx": ("docx", build_docx),
    "verslag.odt": ("odt", build_odt),
    "boek.epub": ("epub", build_epub),
}
ZIPPED = {"docx", "odt", "epub"}


def _upper_markup(markup: str) -> str:
    """Upper-case the text of markup, not its tags."""
    return re.sub(r"(<[^>]*>)|([^<]+)", lambda m: m.group(1) or m.group(2).upper(), markup)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_translated_document_has_the_same_segments_and_tags(name: str) -> None:
    fmt, build = DOCUMENTS[name]
    source = build()
    before = extract_document(source, fmt)
    result = translate_document(source, fmt, UpperTranslator())
    after = extract_document(result, fmt, options=_reread_options(fmt))
    expected = [_upper_markup(to_markup(segment)) for segment in before.segments]
    got = [to_markup(segment) for segment in after.segments]
    if fmt == "xliff":  # the targets are filled: read them back instead of the sources
        got = _xliff_targets(result)
    assert got == expected
    if fmt not in ("xliff", "html", "markdown"):  # those join a paragraph's lines
        assert after.locations == before.locations


def _reread_options(fmt: str) -> object:
    from translate.documents import DocumentOptions

    return DocumentOptions(overwrite=fmt == "xliff")


def _xliff_targets(data: bytes) -> list[str]:
    """The markup of every target filled by vertaal (its state says machine translation)."""
    from lxml import etree

    from translate.documents.xliff import XliffFormat, _nodes, _Segment

    root = etree.fromstring(data)
    found = []
    for target in root.iter("{*}target"):
        holder = target.getparent()
        marked = target.get("state-qualifier") == "mt-suggestion" or (
            holder.get("subState") == "vertaal:mt-needs-review"
        )
        if marked:
            segment = _Segment(target, lambda _: None, target, lambda: None, lambda: None)
            found.append(to_markup(_nodes(target, segment)))
    assert XliffFormat.name == "xliff"
    return found


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_golden_file(name: str) -> None:
    fmt, build = DOCUMENTS[name]
    result = translate_document(build(), fmt, UpperTranslator())
    if fmt in ZIPPED:  # zip archives carry timestamps: pin what is read back from them
        segments = extract_document(result, fmt).segments
        markups = [to_markup(s) for s in segments]
        result = (json.dumps(markups, indent=1, ensure_ascii=False) + "\n").encode()
    golden = GOLDEN / f"{name}.golden"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(result)
    assert result == golden.read_bytes()
