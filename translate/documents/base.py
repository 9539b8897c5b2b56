"""What every document format provides, and the registry of formats.

A format *extracts* a document into segments (see :mod:`.inline`) and
returns an :class:`Extraction` whose ``rebuild`` writes the same document
with each segment replaced by its translation. Formats parse with
well-kept libraries (python-docx, odfpy, lxml, ebooklib, srt, webvtt-py,
markdown-it-py) imported inside their functions, so importing this package
loads none of them.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from translate.documents.inline import Nodes, tag_ids, to_markup
from translate.errors import InputError, located, option

MAX_DOCUMENT_BYTES = 64 * 2**20
"""Largest document file read (64 MiB); larger ones are refused before parsing."""


@dataclass(frozen=True)
class DocumentOptions:
    """Choices that change what is translated."""

    overwrite: bool = False
    """XLIFF: translate units that already have a target too."""
    source_lang: str = "nl"
    target_lang: str = "en"
    tags_to_model: bool = False
    """Send inline tags through the translator's protection layer (translate.protect)
    instead of projecting them onto the plain translation (see bench_documents.py --tags)."""


@dataclass
class Extraction:
    """A parsed document: its segments in order and how to write it translated."""

    segments: list[Nodes]
    rebuild: Callable[[Sequence[Nodes]], bytes]
    """Write the document with ``segments[i]`` replaced by ``translations[i]``."""
    locations: list[str] = field(default_factory=list)
    """Where each segment is (``line 12``, ``paragraph 3``), for messages."""
    notes: list[str] = field(default_factory=list)
    """Things the user should know (e.g. tracked changes kept untranslated)."""


class DocumentFormat(ABC):
    """A kind of document: how to extract its segments and rebuild it."""

    name: ClassVar[str]

    def __init__(self, options: DocumentOptions | None = None) -> None:
        self.options = options or DocumentOptions()

    @abstractmethod
    def extract(self, data: bytes, name: str) -> Extraction:
        """Parse ``data`` (the file ``name``); raise InputError on bad input."""


@dataclass(frozen=True)
class FormatInfo:
    """A registered document format (its class is imported only when used)."""

    name: str
    implementation: str
    """``module:Class`` of its :class:`DocumentFormat`."""
    extensions: tuple[str, ...]
    description: str
    media_type: str
    binary: bool = False
    """Zip-based: written to files only, never to a terminal."""


FORMATS: dict[str, FormatInfo] = {
    info.name: info
    for info in (
        FormatInfo(
            "html",
            "translate.documents.html:HtmlFormat",
            (".html", ".htm", ".xhtml"),
            "HTML page or fragment (text, alt/title/placeholder; code, pre, script kept)",
            "text/html",
        ),
        FormatInfo(
            "docx",
            "translate.documents.docx:DocxFormat",
            (".docx",),
            "Word document (body, tables, headers, footers, footnotes, text boxes)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            binary=True,
        ),
        FormatInfo(
            "odt",
            "translate.documents.odt:OdtFormat",
            (".odt",),
            "OpenDocument text (body, tables, headers, footers, notes, text boxes)",
            "application/vnd.oasis.opendocument.text",
            binary=True,
        ),
        FormatInfo(
            "srt",
            "translate.documents.subtitles:SrtFormat",
            (".srt",),
            "SubRip subtitles (timings kept; sentences over several cues translated whole)",
            "application/x-subrip",
        ),
        FormatInfo(
            "vtt",
            "translate.documents.subtitles:VttFormat",
            (".vtt",),
            "WebVTT subtitles (timings, settings, notes kept)",
            "text/vtt",
        ),
        FormatInfo(
            "markdown",
            "translate.documents.markdown:MarkdownFormat",
            (".md", ".markdown"),
            "Markdown (code, links, structure kept byte for byte)",
            "text/markdown",
        ),
        FormatInfo(
            "xliff",
            "translate.documents.xliff:XliffFormat",
            (".xlf", ".xliff", ".sdlxliff", ".mqxliff"),
            f"XLIFF 1.2/2.x (fills empty targets, state needs-review; {option('overwrite')}: all)",
            "application/xliff+xml",
        ),
        FormatInfo(
            "epub",
            "translate.documents.epub:EpubFormat",
            (".epub",),
            "EPUB e-book (every chapter, the title, the table of contents)",
            "application/epub+zip",
            binary=True,
        ),
    )
}
"""Document format name → :class:`FormatInfo`."""


def document_format_names() -> list[str]:
    """Names of the document formats, for ``--format`` choices."""
    return list(FORMATS)


def document_extensions() -> dict[str, str]:
    """File extension (``.docx``) → format name."""
    return {ext: info.name for info in FORMATS.values() for ext in info.extensions}


def describe_document_formats() -> list[tuple[str, str, str]]:
    """``(name, extensions, description)`` rows for help text."""
    return [(i.name, " ".join(i.extensions), i.description) for i in FORMATS.values()]


def document_format_for(filename: str) -> str | None:
    """The document format of a file name by its extension, or None."""
    lowered = filename.lower()
    for ext, name in sorted(document_extensions().items(), key=lambda item: -len(item[0])):
        if lowered.endswith(ext):
            return name
    return None


def get_format(name: str, options: DocumentOptions | None = None) -> DocumentFormat:
    """An instance of the document format ``name``; InputError for an unknown name."""
    if name not in FORMATS:
        raise InputError(f"unknown document format {name!r}; choose one of {', '.join(FORMATS)}")
    module_name, _, class_name = FORMATS[name].implementation.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    instance: DocumentFormat = cls(options)
    return instance


def check_translations(name: str, extraction: Extraction, translations: Sequence[Nodes]) -> None:
    """Refuse translations that do not fit the document (count or tags differ)."""
    if len(translations) != len(extraction.segments):
        raise InputError(
            located(
                name,
                None,
                f"{len(translations)} translations for {len(extraction.segments)} segments",
                "translate the document again",
            )
        )
    for index, (source, target) in enumerate(zip(extraction.segments, translations, strict=True)):
        if sorted(tag_ids(source)) != sorted(tag_ids(target)):
            where = extraction.locations[index] if extraction.locations else f"segment {index + 1}"
            raise InputError(
                located(
                    name,
                    None,
                    f"{where}: translation {to_markup(target)!r} does not keep the tags "
                    f"of {to_markup(source)!r}",
                    "translate the document again",
                )
            )
