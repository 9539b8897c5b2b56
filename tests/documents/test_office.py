"""DOCX and ODT: structure, formatting on the right words, untouched parts, real translation."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from translate.documents import EngineTranslator, extract_document, translate_document
from translate.documents.inline import tag_ids, to_markup

from .builders import R, W, build_docx, build_odt
from .helpers import UpperTranslator


def _docx(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


def _member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def test_docx_structure_and_untouched_parts(upper: UpperTranslator) -> None:
    source = build_docx()
    result = translate_document(source, "docx", upper)
    before, after = _docx(source), _docx(result)
    assert len(after.paragraphs) == len(before.paragraphs)
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert len(after.tables) == 1 and after.tables[0].cell(1, 1).text == "DE HAVEN IS GROOT."
    assert len(after.inline_shapes) == len(before.inline_shapes) == 1  # the image
    assert after.sections[0].header.paragraphs[0].text == "KOPTEKST VAN HET VERSLAG"
    assert after.sections[0].footer.paragraphs[0].text == "VOETTEKST MET DE NAAM"
    for part in ("word/styles.xml", "word/numbering.xml", "word/media/image1.png"):
        assert _member(result, part) == _member(source, part)  # byte-identical
    body = _member(result, "word/document.xml").decode()
    assert (
        'w:instr=" PAGE "' in body
        and '<w:instrText xml:space="preserve"> DATE </w:instrText>' in body
    )
    assert "4-12-2026" in body  # the field's result is not translated
    assert "TEKST IN EEN KADER." in body  # text box
    assert "DE BRON VAN DIT BERICHT." in _member(result, "word/footnotes.xml").decode()


def test_docx_split_runs_merged_and_bold_on_the_right_word(upper: UpperTranslator) -> None:
    after = _docx(translate_document(build_docx(), "docx", upper))
    runs = [(run.text, run.bold, run.italic) for run in after.paragraphs[1].runs]
    assert ("MINISTER", True, None) in runs  # "mini" + "ster": one bold run
    assert ("KABINET", None, True) in runs
    link = after.paragraphs[2]._p.find(f"{{{W}}}hyperlink")
    assert link is not None
    assert "".join(t.text for t in link.iter(f"{{{W}}}t")) == "DE WEBSITE"
    assert link.get(f"{{{R}}}id")  # the relationship to the URL is kept


def test_docx_with_the_model_keeps_every_tag_and_the_glossary(translator: EngineTranslator) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("De ")
    paragraph.add_run("NAVO").bold = True
    paragraph.add_run(" en het kabinet praten in ")
    paragraph.add_run("Den Haag").italic = True
    paragraph.add_run(" over de begroting.")
    out = io.BytesIO()
    document.save(out)
    source = out.getvalue()
    result = translate_document(source, "docx", translator)
    [before] = extract_document(source, "docx").segments
    [after] = extract_document(result, "docx").segments
    assert tag_ids(after) == tag_ids(before) == [1, 2]
    translated = _docx(result).paragraphs[0]
    assert "The Hague" in translated.text and "NATO" in translated.text
    assert "Haag" not in translated.text
    bold = [run.text for run in translated.runs if run.bold]
    assert bold and all(text.strip() for text in bold)


def test_docx_tracked_changes_are_kept_and_reported(upper: UpperTranslator) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Gewone zin.")
    revised = document.add_paragraph("Een zin met ")
    revised._p.append(
        parse_xml(
            f'<w:ins xmlns:w="{W}" w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
            "<w:r><w:t>ingevoegde tekst</w:t></w:r></w:ins>"
        )
    )
    out = io.BytesIO()
    document.save(out)
    notes: list[str] = []
    result = translate_document(out.getvalue(), "docx", upper, name="rev.docx", notes=notes)
    paragraphs = _docx(result).paragraphs
    assert paragraphs[0].text == "GEWONE ZIN."
    assert "ingevoegde tekst" in _member(result, "word/document.xml").decode()
    assert notes == ["rev.docx: document.xml paragraph 2 has tracked changes: kept untranslated"]


def test_odt_structure_and_untouched_parts(upper: UpperTranslator) -> None:
    from odf import teletype, text
    from odf.opendocument import load

    source = build_odt()
    result = translate_document(source, "odt", upper)
    before, after = load(io.BytesIO(source)), load(io.BytesIO(result))
    for kind in (text.P, text.H, text.A, text.Note, text.LineBreak, text.Tab, text.ListItem):
        assert len(after.getElementsByType(kind)) == len(before.getElementsByType(kind)), kind
    [link] = after.getElementsByType(text.A)
    assert (
        link.getAttribute("href") == "https://nos.nl/"
        and teletype.extractText(link) == "DE WEBSITE"
    )
    [span] = after.getElementsByType(text.Span)  # "mini" + "ster" merged into one span
    assert teletype.extractText(span) == "MINISTER"
    assert _member(result, "styles.xml").count(b"KOPTEKST VAN HET VERSLAG") == 1
    assert b"TEKST IN EEN KADER." in _member(result, "content.xml")


def test_odt_with_the_model(translator: EngineTranslator) -> None:
    from odf.opendocument import load

    result = translate_document(build_odt(), "odt", translator)
    load(io.BytesIO(result))  # opens in its own library
    before = extract_document(build_odt(), "odt").segments
    after = extract_document(result, "odt").segments
    assert [tag_ids(s) for s in after] == [tag_ids(s) for s in before]
    assert not any("haven" in to_markup(s) for s in after)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_libreoffice_converts_the_translation(
    fmt: str, tmp_path: Path, upper: UpperTranslator
) -> None:
    build = build_docx if fmt == "docx" else build_odt
    document = tmp_path / f"out.{fmt}"
    document.write_bytes(translate_document(build(), fmt, upper))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(document)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (tmp_path / "out.pdf").stat().st_size > 0
