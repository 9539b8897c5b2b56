"""Documents: DOCX, ODT, HTML, XLIFF, SRT/WebVTT, Markdown and EPUB, layout and formatting kept.

One entry point serves ``vertaal translate``, ``vertaal batch`` and the
server: :func:`translate_document` reads a document, translates its segments
(paragraphs, cells, cues, units; inline formatting carried as tags, see
:mod:`translate.documents.inline`) through a :class:`TextTranslator` (the
engine and glossary, :class:`EngineTranslator`) and returns the translated
document's bytes. :func:`translate_html_fragment` does the same for a piece
of HTML given as a string.

Example::

    from translate.documents import EngineTranslator, translate_document
    translator = EngineTranslator(engine, enforcer)
    data = translate_document(Path("artikel.docx"), None, translator)
"""

from __future__ import annotations

from pathlib import Path

from translate.documents.base import (
    FORMATS,
    MAX_DOCUMENT_BYTES,
    DocumentFormat,
    DocumentOptions,
    Extraction,
    FormatInfo,
    check_translations,
    describe_document_formats,
    document_extensions,
    document_format_for,
    document_format_names,
    get_format,
)
from translate.documents.translator import EngineTranslator, TextTranslator, translate_segments
from translate.errors import InputError, located, option


def read_document(source: bytes | Path, name: str | None = None) -> tuple[bytes, str]:
    """The bytes of a document and the name to use in messages; refuses huge files."""
    if isinstance(source, Path):
        from translate.fileio import read_bytes

        label = name or str(source)
        try:
            size = source.stat().st_size
        except OSError:
            size = 0  # read_bytes reports the problem with its own message
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(_too_large(label, size))
        return read_bytes(source), label
    label = name or "<document>"
    if len(source) > MAX_DOCUMENT_BYTES:
        raise InputError(_too_large(label, len(source)))
    return source, label


def _too_large(name: str, size: int) -> str:
    return located(
        name,
        None,
        f"document is {size} bytes, larger than the {MAX_DOCUMENT_BYTES} bytes vertaal reads",
        "split it into smaller documents",
    )


def resolve_format(fmt: str | None, name: str) -> str:
    """``fmt`` if given, else the format of ``name``'s extension; InputError if neither."""
    if fmt:
        if fmt not in document_format_names():
            names = ", ".join(document_format_names())
            raise InputError(f"unknown document format {fmt!r}; choose one of {names}")
        return fmt
    found = document_format_for(name)
    if found is None:
        raise InputError(
            located(name, None, "not a known document type"),
            hint=f"pass {option('document_format')}, e.g. {option('document_format')} html",
        )
    return found


def extract_document(
    source: bytes | Path,
    fmt: str | None,
    *,
    name: str | None = None,
    options: DocumentOptions | None = None,
) -> Extraction:
    """Parse a document into its segments (see :class:`Extraction`)."""
    data, label = read_document(source, name)
    return get_format(resolve_format(fmt, label), options).extract(data, label)


def translate_document(
    source: bytes | Path,
    fmt: str | None,
    translator: TextTranslator,
    *,
    name: str | None = None,
    options: DocumentOptions | None = None,
    notes: list[str] | None = None,
) -> bytes:
    """Translate a document and return the translated document's bytes.

    ``source`` is a path or the file's bytes; ``fmt`` a format name (see
    :func:`document_format_names`) or None to take it from the file name
    (``name`` for bytes). Raises :class:`~translate.errors.InputError` with
    the document's name (and line or part) for bad input; nothing is written.
    What the user should know about the result (paragraphs with tracked
    changes kept untranslated) is appended to ``notes``.
    """
    extraction = extract_document(source, fmt, name=name, options=options)
    if notes is not None:
        notes.extend(extraction.notes)
    tags_to_model = options.tags_to_model if options else False
    translations = translate_segments(extraction.segments, translator, tags_to_model)
    return extraction.rebuild(translations)


def translate_html_fragment(html: str, translator: TextTranslator) -> str:
    """Translate a piece of HTML (no ``<html>`` around it) and return it as a string."""
    from translate.documents.html import HtmlFormat

    extraction = HtmlFormat().extract(html.encode("utf-8"), "<html>")
    translations = translate_segments(extraction.segments, translator)
    return extraction.rebuild(translations).decode("utf-8")


__all__ = [
    "FORMATS",
    "MAX_DOCUMENT_BYTES",
    "DocumentFormat",
    "DocumentOptions",
    "EngineTranslator",
    "Extraction",
    "FormatInfo",
    "TextTranslator",
    "check_translations",
    "describe_document_formats",
    "document_extensions",
    "document_format_for",
    "document_format_names",
    "extract_document",
    "get_format",
    "read_document",
    "resolve_format",
    "translate_document",
    "translate_html_fragment",
    "translate_segments",
]
