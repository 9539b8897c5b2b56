"""EPUB e-books, read and written with EbookLib.

Every XHTML content document is translated as HTML (see
:mod:`translate.documents.html`, parsed as XML), and so are the book's
title (``dc:title``) and the titles of its table of contents, from which
EbookLib writes the EPUB 3 navigation document and the EPUB 2 NCX. Images,
styles and fonts are copied as they are.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from translate.documents.base import DocumentFormat, Extraction
from translate.documents.html import extract_xhtml
from translate.documents.inline import Nodes, Tag
from translate.documents.safety import open_zip
from translate.errors import InputError, located

DC = "http://purl.org/dc/elements/1.1/"


def _text(nodes: Sequence[Any]) -> str:
    return "".join(
        n if isinstance(n, str) else _text(n.children) if isinstance(n, Tag) else "" for n in nodes
    )


def _toc_entries(toc: Any, found: list[Any]) -> None:
    """Links and sections of a table of contents, depth first (they carry ``title``)."""
    for entry in toc:
        if isinstance(entry, tuple | list):
            section, children = entry[0], entry[1]
            found.append(section)
            _toc_entries(children, found)
        else:
            found.append(entry)


class EpubFormat(DocumentFormat):
    """EPUB 2 and 3 books."""

    name = "epub"

    def extract(self, data: bytes, name: str) -> Extraction:
        import ebooklib
        from ebooklib import epub

        open_zip(data, name, "EPUB")
        try:
            book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": False})
        except (epub.EpubException, KeyError, ValueError, SyntaxError) as error:
            raise InputError(located(name, None, f"corrupt EPUB ({error})")) from None
        segments: list[Nodes] = []
        locations: list[str] = []
        writers: list[Callable[[Sequence[Nodes]], None]] = []

        def add(extraction: Extraction, where: str, store: Callable[[bytes], None]) -> None:
            count = len(extraction.segments)
            if not count:
                return
            segments.extend(extraction.segments)
            locations.extend(f"{where} {loc}" for loc in extraction.locations)
            writers.append(lambda parts: store(extraction.rebuild(parts[:count])))
            sizes.append(count)

        sizes: list[int] = []
        for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT):
            if isinstance(item, epub.EpubNav):
                continue  # written from the translated table of contents
            extraction = extract_xhtml(item.get_content(), f"{name}:{item.get_name()}")
            add(extraction, item.get_name(), item.set_content)
        titles = [(value, attributes) for value, attributes in book.get_metadata("DC", "title")]
        entries: list[Any] = []
        _toc_entries(book.toc, entries)
        labels = [str(value) for value, _ in titles] + [str(entry.title) for entry in entries]
        for index, label in enumerate(labels):
            if any(c.isalpha() for c in label):
                segments.append((label,))
                locations.append(
                    "title" if index < len(titles) else f"contents entry {index - len(titles) + 1}"
                )

        def rebuild(translations: Sequence[Nodes]) -> bytes:
            position = 0
            for writer, size in zip(writers, sizes, strict=True):
                writer(translations[position : position + size])
                position += size
            rest = iter(translations[position:])
            translated = [
                _text(next(rest)) if any(c.isalpha() for c in label) else label for label in labels
            ]
            if titles:
                book.metadata[DC]["title"] = [
                    (text, attributes)
                    for text, (_, attributes) in zip(translated, titles, strict=False)
                ]
                book.title = translated[0]
            for entry, text in zip(entries, translated[len(titles) :], strict=True):
                entry.title = text
            language = self.options.target_lang
            book.language = language
            book.metadata[DC]["language"] = [(language, {})]
            out = io.BytesIO()
            epub.write_epub(out, book, {})
            return out.getvalue()

        return Extraction(segments, rebuild, locations)
