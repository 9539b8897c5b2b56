"""Subtitles, Markdown, XLIFF and EPUB: what must stay, what must change, real translation."""

from __future__ import annotations

import io
import re

import pytest
from lxml import etree

from translate.documents import (
    DocumentOptions,
    EngineTranslator,
    extract_document,
    translate_document,
)
from translate.documents.inline import tag_ids

from . import samples
from .builders import build_epub
from .helpers import UpperTranslator

TIMING = re.compile(r"^\d\d:\d\d:\d\d[,.]\d\d\d --> .*$", re.M)


@pytest.mark.parametrize(("fmt", "text"), [("srt", samples.SRT), ("vtt", samples.VTT)])
def test_subtitles_keep_timings_and_translate_a_sentence_across_cues(
    fmt: str, text: str, upper: UpperTranslator
) -> None:
    result = translate_document(text.encode(), fmt, upper).decode()
    assert TIMING.findall(result) == TIMING.findall(text)
    assert result.count("\n\n") == text.count("\n\n")  # same cues
    # the sentence over cues 1 and 2 went to the translator as one sentence
    assert "DE MINISTER ZEI GISTEREN DAT HET KABINET MORGEN OVER HET PLAN VERGADERT." in [
        request.upper() for request in upper.requests
    ]
    if fmt == "srt":
        assert re.findall(r"^\d+$", result, re.M) == ["1", "2", "3"]
    else:
        for kept in ("NOTE Deze notitie blijft zoals ze is.", "::cue { color: yellow }", "intro\n"):
            assert kept in result


def test_subtitles_with_the_model(translator: EngineTranslator) -> None:
    import srt

    result = translate_document(samples.SRT.encode(), "srt", translator).decode()
    cues = list(srt.parse(result))
    assert [c.index for c in cues] == [1, 2, 3]
    assert all(cue.content.strip() for cue in cues)  # the sentence was split back over both cues
    assert "The Hague" in cues[2].content  # glossary
    assert cues[1].content.count("<i>") == cues[1].content.count("</i>") == 1


def test_markdown_keeps_code_links_and_structure(upper: UpperTranslator) -> None:
    result = translate_document(samples.MARKDOWN.encode(), "markdown", upper).decode()
    for kept in (
        "---\ntitle: niet vertalen\n---\n",
        '```python\nprint("niet vertalen")\n```\n',
        "    ingesprongen code blijft\n",
        '(https://example.nl/kabinet "Meer")',
        "`vertaal --help`",
        "![een foto](foto.png)",
        "<https://nos.nl>",
        "|------|--------------|",
    ):
        assert kept in result
    assert result.splitlines()[4] == "# HET **GROTE** NIEUWS"


def test_markdown_with_the_model(translator: EngineTranslator) -> None:
    result = translate_document(samples.MARKDOWN.encode(), "markdown", translator).decode()
    before = extract_document(samples.MARKDOWN.encode(), "markdown").segments
    after = extract_document(result.encode(), "markdown").segments
    assert [tag_ids(s) for s in after] == [tag_ids(s) for s in before]
    assert 'print("niet vertalen")' in result


def _units(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {unit.get("id"): unit for unit in root.iter("{*}trans-unit", "{*}unit")}


def test_xliff12_fills_empty_targets_and_marks_them(upper: UpperTranslator) -> None:
    source = samples.XLIFF12.encode()
    result = translate_document(source, "xliff", upper)
    before, after = _units(source), _units(result)
    for untouched in ("2", "3", "4", "5"):  # translated, translate="no", signed-off, approved
        assert etree.tostring(after[untouched]) == etree.tostring(before[untouched])
    for filled in ("1", "6"):
        target = after[filled].find("{*}target")
        assert target is not None
        assert target.get("state") == "needs-review-translation"
        assert target.get("state-qualifier") == "mt-suggestion"
    first = etree.tostring(after["1"].find("{*}target"), encoding="unicode")
    assert '<g id="1">KABINET</g>' in first and '<x id="2"/>' in first
    sixth = etree.tostring(after["6"].find("{*}target"), encoding="unicode")
    assert [t for t in ("bx", "ex", "ph", "mrk") if f"<{t} " in sixth] == ["bx", "ex", "ph", "mrk"]
    assert b'target-language="en"' in result


def test_xliff_overwrite_retranslates_but_never_locked_units(upper: UpperTranslator) -> None:
    source = samples.XLIFF12.encode()
    result = translate_document(source, "xliff", upper, options=DocumentOptions(overwrite=True))
    after = _units(result)
    assert after["2"].find("{*}target").text == "AL VERTAALD."
    assert after["4"].find("{*}target").text == "Signed off."
    assert after["3"].find("{*}target") is None


def test_xliff2(upper: UpperTranslator) -> None:
    result = translate_document(samples.XLIFF2.encode(), "xliff", upper)
    after = _units(result)
    segment = after["u1"].find("{*}segment")
    assert segment.get("state") == "translated"
    assert segment.get("subState") == "vertaal:mt-needs-review"
    target = etree.tostring(segment.find("{*}target"), encoding="unicode")
    assert '<pc id="1">KABINET</pc>' in target and '<ph id="2"/>' in target
    final = after["u1"].findall("{*}segment")[1]
    assert final.find("{*}target").text == "Done." and final.get("state") == "final"
    assert after["u2"].find("{*}segment/{*}target") is None
    protected = etree.tostring(after["u3"].find("{*}segment/{*}target"), encoding="unicode")
    assert '<mrk id="m1" translate="no">NOS Journaal</mrk>' in protected


def test_xliff_with_the_model(translator: EngineTranslator) -> None:
    result = translate_document(samples.XLIFF12.encode(), "xliff", translator)
    target = _units(result)["6"].find("{*}target")
    text = etree.tostring(target, encoding="unicode")
    assert text.count("<bx ") == text.count("<ex ") == text.count("<ph ") == 1
    assert "The Hague" in "".join(target.itertext())


def test_epub_chapters_title_and_contents(upper: UpperTranslator) -> None:
    import ebooklib
    from ebooklib import epub

    result = translate_document(build_epub(), "epub", upper)
    book = epub.read_epub(io.BytesIO(result))
    assert book.get_metadata("DC", "title")[0][0] == "HET GROTE BOEK VAN DE STAD"
    chapters = {
        item.get_name(): item.get_content().decode()
        for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT)
        if not isinstance(item, epub.EpubNav)
    }
    assert set(chapters) == {"een.xhtml", "twee.xhtml"}
    assert "DE <b>KAT</b> SLAAPT IN DE ZON." in chapters["een.xhtml"]
    assert "<pre>code blijft</pre>" in chapters["een.xhtml"]
    assert 'href="twee.xhtml"' in chapters["een.xhtml"]
    titles = [book.toc[0].title, book.toc[1][0].title, book.toc[1][1][0].title]
    assert titles == ["HOOFDSTUK EEN", "TWEEDE DEEL", "HOOFDSTUK TWEE"]


def test_segmented_xliff_fills_each_segment_and_respects_trados_locks(
    upper: UpperTranslator,
) -> None:
    result = translate_document(samples.SDLXLIFF.encode(), "xliff", upper, name="a.sdlxliff")
    units = _units(result)
    first = etree.tostring(units["u1"].find("{*}target"), encoding="unicode")
    assert '<mrk mtype="seg" mid="1">EERSTE ZIN.</mrk>' in first
    assert '<mrk mtype="seg" mid="2"/>' in first  # locked in Trados: left empty
    assert '<mrk mtype="seg" mid="3">Third sentence.</mrk>' in first  # already translated
    records = {seg.get("id"): seg for seg in units["u1"].iter("{*}seg")}
    assert (records["1"].get("conf"), records["1"].get("origin")) == ("Draft", "mt")
    assert records["2"].get("conf") is None
    made = etree.tostring(units["u2"].find("{*}target"), encoding="unicode")
    assert '<mrk mtype="seg" mid="4">VIERDE <g id="2">ZIN</g>.</mrk>' in made
