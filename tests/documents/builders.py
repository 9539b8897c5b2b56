"""Documents the tests build with each format's own library (python-docx, odfpy, EbookLib)."""

from __future__ import annotations

import base64
import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def build_docx() -> bytes:
    """A Word document with everything the DOCX format handles.

    Body heading and paragraphs, a word split over two bold runs, italics, a
    hyperlink, a PAGE field (simple) and a DATE field (complex), a tab, a line
    break, an image, list items, a table, header and footer, a text box and a
    footnote (python-docx cannot make the last two, so they are added as XML).
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Het nieuws van vandaag", level=1)
    paragraph = document.add_paragraph("De ")
    for half in ("mini", "ster"):
        paragraph.add_run(half).bold = True
    paragraph.add_run(" zegt dat het ")
    paragraph.add_run("kabinet").italic = True
    paragraph.add_run(" morgen vergadert.")
    link = document.add_paragraph("Lees meer op ")
    hyperlink = docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK
    rel = document.part.relate_to("https://nos.nl/", hyperlink, True)
    link._p.append(
        parse_xml(
            f'<w:hyperlink xmlns:w="{W}" xmlns:r="{R}" r:id="{rel}">'
            '<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>de website</w:t></w:r>'
            "</w:hyperlink>"
        )
    )
    link.add_run(" van de omroep.")
    fields = document.add_paragraph("Pagina ")
    fields._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{W}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )
    fields.add_run(" van het verslag, gemaakt op ")
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> DATE </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>4-12-2026</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        fields._p.append(parse_xml(xml.replace("<w:r>", f'<w:r xmlns:w="{W}">', 1)))
    fields.add_run(".")
    breaks = document.add_paragraph("Eerste regel")
    breaks.add_run().add_break()
    breaks.add_run("tweede regel\tmet een tab.")
    document.add_paragraph("Eerste punt van de lijst", style="List Bullet")
    document.add_paragraph("Tweede punt van de lijst", style="List Bullet")
    document.add_picture(io.BytesIO(PNG))
    table = document.add_table(rows=2, cols=2)
    for row, texts in enumerate((("Stad", "Inwoners"), ("Rotterdam", "De haven is groot."))):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    section = document.sections[0]
    section.header.paragraphs[0].text = "Koptekst van het verslag"
    section.footer.paragraphs[0].text = "Voettekst met de naam"
    box = document.add_paragraph("Voor het kader. ")
    box._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape>'
            "<v:textbox><w:txbxContent><w:p><w:r><w:t>Tekst in een kader.</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    noted = document.add_paragraph("Een zin met een voetnoot")
    noted._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'
        )
    )
    noted.add_run(" en meer tekst.")
    out = io.BytesIO()
    document.save(out)
    return _add_footnotes(out.getvalue())


def _add_footnotes(data: bytes) -> bytes:
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">De bron van dit bericht.</w:t>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if item.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(item, content)
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def build_odt() -> bytes:
    """An OpenDocument text: heading, spans, link, note, frame, list, table, header, footer."""
    from odf.draw import Frame, TextBox
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, LineBreak, List, ListItem, Note, NoteBody, NoteCitation, P, Span, Tab

    document = OpenDocumentText()
    bold = Style(name="Vet", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    layout = PageLayout(name="pm1")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header, footer = Header(), Footer()
    header.addElement(P(text="Koptekst van het verslag"))
    footer.addElement(P(text="Voettekst met de naam"))
    master.addElement(header)
    master.addElement(footer)
    document.masterstyles.addElement(master)
    document.text.addElement(H(outlinelevel=1, text="Het nieuws van vandaag"))
    paragraph = P(text="De ")
    paragraph.addElement(Span(stylename=bold, text="mini"))
    paragraph.addElement(Span(stylename=bold, text="ster"))
    paragraph.addText(" zegt dat het kabinet")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="De bron van dit bericht."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" morgen vergadert.")
    paragraph.addElement(LineBreak())
    paragraph.addText("Lees meer op ")
    paragraph.addElement(A(href="https://nos.nl/", text="de website"))
    paragraph.addElement(Tab())
    paragraph.addText("van de omroep.")
    document.text.addElement(paragraph)
    items = List()
    for text in ("Eerste punt van de lijst", "Tweede punt van de lijst"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Tabel1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for texts in (("Stad", "Inwoners"), ("Rotterdam", "De haven is groot.")):
        row = TableRow()
        for text in texts:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    holder = P(text="Voor het kader. ")
    frame = Frame(width="5cm", height="2cm", anchortype="paragraph")
    box = TextBox()
    box.addElement(P(text="Tekst in een kader."))
    frame.addElement(box)
    holder.addElement(frame)
    document.text.addElement(holder)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_epub() -> bytes:
    """An EPUB 3 book with two chapters, a nested table of contents and a title."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("vertaal-test-1")
    book.set_title("Het grote boek van de stad")
    book.set_language("nl")
    first = epub.EpubHtml(title="Hoofdstuk een", file_name="een.xhtml", lang="nl")
    first.content = (
        "<html><body><h1>Hoofdstuk een</h1><p>De <b>kat</b> slaapt in de zon.</p>"
        "<pre>code blijft</pre><p>Het <a href='twee.xhtml'>volgende hoofdstuk</a> gaat over"
        " de haven.</p></body></html>"
    )
    second = epub.EpubHtml(title="Hoofdstuk twee", file_name="twee.xhtml", lang="nl")
    second.content = "<html><body><h1>Hoofdstuk twee</h1><p>De haven is groot.</p></body></html>"
    book.add_item(first)
    book.add_item(second)
    book.toc = (
        epub.Link("een.xhtml", "Hoofdstuk een", "een"),
        (epub.Section("Tweede deel"), (epub.Link("twee.xhtml", "Hoofdstuk twee", "twee"),)),
    )
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", first, second]
    out = io.BytesIO()
    epub.write_epub(out, book, {})
    return out.getvalue()
