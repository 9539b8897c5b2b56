"""HTML pages and fragments: structure, skipped parts, attributes, encoding; real translation."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from translate.documents import (
    EngineTranslator,
    extract_document,
    translate_document,
    translate_html_fragment,
)
from translate.documents.inline import tag_ids, to_markup
from translate.errors import InputError

from .helpers import UpperTranslator
from .samples import HTML as PAGE


def _tags(root: lxml.html.HtmlElement) -> list[str]:
    return [str(element.tag) for element in root.iter() if isinstance(element.tag, str)]


def test_page_structure_kept_and_skipped_parts_byte_identical(upper: UpperTranslator) -> None:
    result = translate_document(PAGE.encode(), "html", upper).decode("utf-8")
    before, after = lxml.html.document_fromstring(PAGE), lxml.html.document_fromstring(result)
    assert _tags(before) == _tags(after)
    for untouched in (
        "<pre>  niet   vertalen &lt;b&gt; </pre>",
        '<script>var tekst = "<b>niet vertalen</b>";</script>',
        "<style>p { color: red; }</style>",
        "<code>vertaal --help</code>",
        '<p translate="no">Geheime code</p>',
        'href="https://example.nl/a?b=1&amp;c=2"',
    ):
        assert untouched in result
    for translated in (
        "HET NIEUWS VAN VANDAAG",
        'alt="EEN FOTO VAN DE MINISTER"',
        'placeholder="ZOEK EEN ARTIKEL"',
        'title="MEER INFORMATIE"',
        "EERSTE PUNT",
    ):
        assert translated in result
    assert "<br>DAARNA VOLGT" in result  # a line break ends a sentence and stays between them
    assert not any("niet vertalen" in request.lower() for request in upper.requests)


def test_segments_carry_inline_tags() -> None:
    extraction = extract_document(PAGE.encode(), "html")
    markups = [to_markup(segment) for segment in extraction.segments]
    assert "De <g1>minister</g1> spreekt" in markups
    paragraph = next(m for m in markups if m.startswith("Het <g1>"))
    assert "vergadert morgen" in paragraph  # source line breaks are only white space
    assert paragraph.index("<g1>") < paragraph.index("<g2>") < paragraph.index("<n3/>")


def test_real_translation_keeps_tags_and_glossary(translator: EngineTranslator) -> None:
    page = (
        "<html><head><meta charset='utf-8'></head><body>"
        "<p>De <b>NAVO</b> en het <i>kabinet</i> praten in <a href='/x'>Den Haag</a>.</p>"
        "</body></html>"
    )
    result = translate_document(page.encode(), "html", translator).decode()
    paragraph = lxml.html.document_fromstring(result).find(".//p")
    assert [child.tag for child in paragraph] == ["b", "i", "a"]
    assert paragraph.find("a").get("href") == "/x"
    assert "The Hague" in paragraph.text_content()  # glossary term from the shipped glossary
    assert "NATO" in paragraph.text_content()


def test_encoding_of_the_page_is_kept(upper: UpperTranslator) -> None:
    page = (
        "<html><head><meta charset='iso-8859-1'><title>Caf\xe9</title></head>"
        "<body><p>Een caf\xe9 met \u20ac</p></body></html>"
    )
    data = page.encode("iso-8859-1", errors="xmlcharrefreplace")
    result = translate_document(data, "html", upper)
    text = result.decode("iso-8859-1")
    assert "CAF\xc9" in text and "&#8364;" in text


def test_fragment_string(upper: UpperTranslator) -> None:
    result = translate_html_fragment("Hallo <b>wereld</b> &amp; <i>jij</i>", upper)
    assert result == "HALLO <b>WERELD</b> &amp; <i>JIJ</i>"


def test_fragment_with_real_model_keeps_every_tag_once(translator: EngineTranslator) -> None:
    fragment = "<p>De <b>minister</b> zegt dat het <i>plan</i> goed is.</p>"
    result = translate_html_fragment(fragment, translator)
    extraction = extract_document(result.encode(), "html")
    assert [tag_ids(s) for s in extraction.segments] == [[1, 2]]


def test_undecodable_page_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(b"<html><head><meta charset='utf-8'></head>\n<body>\xff</body></html>")
    with pytest.raises(InputError, match=r"bad\.html:2: not valid utf-8"):
        extract_document(path, None)
