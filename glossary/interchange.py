"""Glossary import and export: CSV/TSV (two columns, as DeepL and Google use) and TBX.

CSV/TSV: one term per row, Dutch first, English second; a header row is
optional and recognised by its names (``source,target``, ``nl,en``,
``Dutch,English``...). Extra columns are ignored on import.

TBX: ISO 30042 (TBX v3 core and TBX-Basic, and the older ``martif``
dialect): ``termEntry`` > ``langSec``/``langSet`` (``xml:lang``) >
``termSec``/``tig``/``ntig`` > ``term``. A ``descrip``/``note`` of the entry
becomes the note. XML is parsed with :mod:`defusedxml`, which refuses entity
declarations, so entity-expansion attacks ("billion laughs") and external
entities fail with a one-line error instead of eating memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from glossary.store import FUZZY, Glossary, GlossaryEntry
from translate.errors import GlossaryError, located, option
from translate.fileio import decode_text, read_bytes

FORMATS = ("csv", "tsv", "tbx")

_HEADER_NAMES = {
    "source",
    "target",
    "nl",
    "en",
    "nl-nl",
    "en-us",
    "en-gb",
    "dutch",
    "english",
    "term",
    "translation",
    "source term",
    "target term",
    "msgid",
    "msgstr",
}

_XML_NS = "{http://www.w3.org/XML/1998/namespace}"


def guess_format(path: Path) -> str:
    """``csv``, ``tsv`` or ``tbx`` from the file name's extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("tsv", "tab", "txt"):
        return "tsv"
    if suffix in ("tbx", "xml"):
        return "tbx"
    if suffix == "csv":
        return "csv"
    raise GlossaryError(
        located(path, None, f"unknown glossary format {suffix!r}"),
        hint=f"use {option('fmt')} csv|tsv|tbx",
    )


def import_terms(path: Path, fmt: str | None = None, fuzzy: bool = False) -> list[GlossaryEntry]:
    """Entries read from a CSV/TSV/TBX file (marked ``fuzzy`` when asked)."""
    fmt = fmt or guess_format(path)
    data = read_bytes(path, error=GlossaryError)
    if fmt == "tbx":
        # bytes: the XML declaration names the encoding
        entries = list(_read_tbx(path, data))
    else:
        text = decode_text(path, data, error=GlossaryError, fix="save as UTF-8")
        entries = list(_read_delimited(path, text, "\t" if fmt == "tsv" else ","))
    if fuzzy:
        entries = [e.with_flags(add=[FUZZY]) for e in entries]
    return entries


def _read_delimited(path: Path, text: str, delimiter: str) -> Iterator[GlossaryEntry]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if line == 1 and {c.lower() for c in cells[:2]} <= _HEADER_NAMES:
                continue
            if len(cells) < 2 or not cells[0] or not cells[1]:
                raise GlossaryError(
                    located(
                        path,
                        line,
                        "expected two columns: Dutch term, English term",
                        f"separate them with {'a tab' if delimiter == chr(9) else 'a comma'}",
                    )
                )
            yield GlossaryEntry(source=cells[0], target=cells[1], line=line)
    except csv.Error as exc:
        raise GlossaryError(located(path, reader.line_num, f"CSV error: {exc}")) from None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _read_tbx(path: Path, data: bytes) -> Iterator[GlossaryEntry]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise GlossaryError(
            located(path, None, f"unsafe XML refused ({type(exc).__name__})", "remove the DTD")
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise GlossaryError(located(path, line, f"XML syntax error: {exc.msg}")) from None
    for term_entry in root.iter():
        if _local(term_entry.tag) != "termEntry":
            continue
        terms: dict[str, list[str]] = {}
        notes: list[str] = []
        context: str | None = None
        for child in term_entry.iter():
            name = _local(child.tag)
            text = " ".join((child.text or "").split())
            if name == "descrip" and child.get("type") == "subjectField" and text:
                context = text
            elif name in ("descrip", "note", "definition") and text:
                notes.append(text)
            if name in ("langSec", "langSet"):
                lang = (child.get(_XML_NS + "lang") or child.get("lang") or "").lower()
                for term in child.iter():
                    if _local(term.tag) == "term" and (term.text or "").strip():
                        terms.setdefault(lang.split("-")[0], []).append(term.text.strip())
        dutch, english = terms.get("nl", []), terms.get("en", [])
        if not dutch or not english:
            continue
        for source in dutch:
            yield GlossaryEntry(
                source=source, target=english[0], context=context, notes="; ".join(notes)
            )


def export_terms(glossary: Glossary, fmt: str) -> str:
    """The glossary as CSV/TSV (with a ``nl,en`` header) or TBX v3 text."""
    if fmt == "tbx":
        return _write_tbx(glossary)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(["nl", "en"])
    for entry in glossary.sorted_entries():
        writer.writerow([entry.source, entry.english])
    return buffer.getvalue()


def _write_tbx(glossary: Glossary) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tbx type="TBX-Basic" style="dct" xml:lang="nl" xmlns="urn:iso:std:iso:30042:ed-2">',
        "  <tbxHeader>",
        "    <fileDesc><sourceDesc><p>vertaal glossary</p></sourceDesc></fileDesc>",
        "  </tbxHeader>",
        "  <text>",
        "    <body>",
    ]
    for number, entry in enumerate(glossary.sorted_entries(), start=1):
        lines.append(f'      <termEntry id="t{number}">')
        if entry.notes:
            lines.append(f'        <descrip type="definition">{escape(entry.notes)}</descrip>')
        if entry.context:
            lines.append(f'        <descrip type="subjectField">{escape(entry.context)}</descrip>')
        for lang, term in (("nl", entry.source), ("en", entry.english)):
            lines.append(f"        <langSec xml:lang={quoteattr(lang)}>")
            lines.append(f"          <termSec><term>{escape(term)}</term></termSec>")
            lines.append("        </langSec>")
        lines.append("      </termEntry>")
    lines += ["    </body>", "  </text>", "</tbx>", ""]
    return "\n".join(lines)
