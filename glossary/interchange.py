"""Glossary import and export: CSV/TSV, TBX-Basic and PO.

CSV/TSV
    One term per row, Dutch first, English second, as DeepL and Google
    glossaries are. A header row is optional and recognised by its names
    (``source,target``, ``nl,en``, ``Dutch,English``...). With a header, the
    optional columns ``context`` (also ``domain``, ``msgctxt``, ``subject``),
    ``flags`` (comma-separated project flags) and ``note`` (also ``notes``,
    ``comment``, ``definition``) are read; columns with other names are
    ignored, as are columns after the second in a file without a header.
    The delimiter of a ``.csv`` file is sniffed: comma, semicolon (what a Dutch
    Excel writes) or tab. Export writes two columns (what DeepL and Google
    accept) unless ``full`` asks for every column, which round-trips exactly.

TBX
    ISO 30042 (TBX v3 TBX-Basic, DCT style; the older ``martif`` dialect is
    read too): ``termEntry`` > ``langSec``/``langSet`` (``xml:lang``) >
    ``termSec``/``tig``/``ntig`` > ``term``. The entry's
    ``descrip type="subjectField"`` is the context (domain); its
    ``descrip``/``note``/``definition`` elements are the note (whitespace is
    kept exactly when ``xml:space="preserve"``, which the export writes for
    notes spanning lines). On the Dutch term, ``termNote type="partOfSpeech"``
    becomes a ``pos:<value>`` flag, and a term whose
    ``administrativeStatus`` is deprecated or superseded is skipped. The
    project's own flags travel in the documented extension
    ``termNote type="x-vertaal-flags"`` (comma-separated, as in PO), so
    ``fuzzy`` (status: proposed), ``no-translate`` and ``case-sensitive``
    survive a round trip. XML is parsed with :mod:`defusedxml`, which refuses
    entity declarations, so entity-expansion attacks ("billion laughs") and
    external entities fail with a one-line error instead of eating memory.

PO
    Another vertaal glossary; importing it merges its entries (flags,
    contexts and notes included).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from glossary.store import FUZZY, POS_PREFIX, Glossary, GlossaryEntry, load_glossary
from translate.errors import GlossaryError, located, option
from translate.fileio import decode_text, read_bytes

FORMATS = ("csv", "tsv", "tbx", "po")
"""Formats for import; export writes all but ``po`` (a PO glossary is saved, not exported)."""

FLAGS_NOTE = "x-vertaal-flags"
"""TBX termNote type of the extension that carries the project's flags."""

_SOURCE_NAMES = {"source", "nl", "nl-nl", "nl-be", "dutch", "term", "source term", "msgid"}
_TARGET_NAMES = {
    "target",
    "en",
    "en-us",
    "en-gb",
    "english",
    "translation",
    "target term",
    "msgstr",
}
_COLUMN_NAMES = {
    **{name: "context" for name in ("context", "domain", "msgctxt", "subject", "subjectfield")},
    **{name: "flags" for name in ("flags", "flag")},
    **{name: "notes" for name in ("note", "notes", "comment", "comments", "definition")},
}
_FULL_HEADER = ["nl", "en", "context", "flags", "note"]
_DELIMITERS = ("\t", ";", ",")
_DELIMITER_NAMES = {"\t": "a tab", ";": "a semicolon", ",": "a comma"}
_UNUSABLE_STATUS = ("deprecatedterm", "supersededterm")

_XML_NS = "{http://www.w3.org/XML/1998/namespace}"


def guess_format(path: Path) -> str:
    """``csv``, ``tsv``, ``tbx`` or ``po`` from the file name's extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("tsv", "tab", "txt"):
        return "tsv"
    if suffix in ("tbx", "xml"):
        return "tbx"
    if suffix in ("csv", "po"):
        return suffix
    raise GlossaryError(
        located(path, None, f"unknown glossary format {suffix!r}"),
        hint=f"use {option('fmt')} csv|tsv|tbx|po",
    )


def import_terms(path: Path, fmt: str | None = None, fuzzy: bool = False) -> list[GlossaryEntry]:
    """Entries read from a CSV/TSV/TBX/PO file (marked ``fuzzy`` when asked)."""
    fmt = fmt or guess_format(path)
    if fmt == "po":
        entries = list(load_glossary(path).entries)
    else:
        data = read_bytes(path, error=GlossaryError)
        if fmt == "tbx":
            # bytes: the XML declaration names the encoding
            entries = list(_read_tbx(path, data))
        else:
            text = decode_text(path, data, error=GlossaryError, fix="save as UTF-8")
            delimiter = "\t" if fmt == "tsv" else sniff_delimiter(text)
            entries = list(_read_delimited(path, text, delimiter))
    if fuzzy:
        entries = [e.with_flags(add=[FUZZY]) for e in entries]
    return entries


def sniff_delimiter(text: str) -> str:
    """Tab, semicolon or comma: the one that splits the first rows into a steady >= 2 columns.

    When several do, tab is preferred over semicolon over comma (a comma inside
    a term or note is likelier than a semicolon or a tab); when none does, the
    one that gives most rows two or more columns. Excel's ``sep=;`` first line
    decides outright.
    """
    lines = text.lstrip("\ufeff").splitlines()
    if lines and lines[0].startswith("sep=") and len(lines[0]) == 5:
        return lines[0][4]
    sample = [line for line in lines[:50] if line.strip()][:20]
    best, best_split = ",", 0
    for delimiter in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if widths and len(set(widths)) == 1 and widths[0] >= 2:
            return delimiter  # steady: the first in order of preference wins
        split = sum(1 for width in widths if width >= 2)
        if split > best_split:
            best, best_split = delimiter, split
    return best


def _header_columns(cells: Sequence[str]) -> dict[str, int] | None:
    """Column of each field when ``cells`` is a header row, else ``None``."""
    names = [c.strip().lower() for c in cells]
    if len(names) < 2 or names[0] not in _SOURCE_NAMES | _TARGET_NAMES:
        return None
    if names[1] not in _SOURCE_NAMES | _TARGET_NAMES:
        return None
    columns = {"source": 0, "target": 1}
    for index, name in enumerate(names[2:], start=2):
        field = _COLUMN_NAMES.get(name)
        if field and field not in columns:
            columns[field] = index
    return columns


def _read_delimited(path: Path, text: str, delimiter: str) -> Iterator[GlossaryEntry]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns: dict[str, int] | None = None
    first = 1
    try:
        for row in reader:
            line = reader.line_num
            if line == 1 and len(row) == 1 and row[0].lstrip("\ufeff").startswith("sep="):
                first = 2  # Excel's delimiter hint
                continue
            if not any(c.strip() for c in row):
                continue
            if columns is None and line == first:
                columns = _header_columns(row)
                if columns is not None:
                    continue
            yield _row_entry(path, line, row, columns, delimiter)
    except csv.Error as exc:
        raise GlossaryError(located(path, reader.line_num, f"CSV error: {exc}")) from None


def _row_entry(
    path: Path, line: int, row: list[str], columns: dict[str, int] | None, delimiter: str
) -> GlossaryEntry:
    def cell(field: str) -> str:
        index = (columns or {}).get(field)
        return row[index] if index is not None and index < len(row) else ""

    source = row[0].strip()
    target = row[1].strip() if len(row) > 1 else ""
    flags = tuple(f.strip() for f in cell("flags").split(",") if f.strip())
    # a full (headed) file may carry a proposal without a target yet; a plain one may not
    allow_empty = columns is not None and "flags" in columns
    if len(row) < 2 or not source or not (target or allow_empty):
        raise GlossaryError(
            located(
                path,
                line,
                "expected two columns: Dutch term, English term",
                f"separate them with {_DELIMITER_NAMES[delimiter]}",
            )
        )
    # notes keep their line breaks (a PO comment may span lines); only the ends are trimmed
    return GlossaryEntry(
        source=source,
        target=target,
        context=cell("context").strip() or None,
        flags=flags,
        notes=cell("notes").strip("\r\n "),
        line=line,
    )


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _text(element: Any) -> str:
    text = element.text or ""
    if element.get(_XML_NS + "space") == "preserve":
        return text
    return " ".join(text.split())


def _parse_xml(path: Path, data: bytes) -> Any:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise GlossaryError(
            located(path, None, f"unsafe XML refused ({type(exc).__name__})", "remove the DTD")
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise GlossaryError(located(path, line, f"XML syntax error: {exc.msg}")) from None


def _term_sections(lang_section: Any) -> Iterator[tuple[str, list[str], bool]]:
    """(term, flags, usable) for each term section of a language section."""
    for section in lang_section:
        if _local(section.tag) not in ("termSec", "tig", "ntig"):
            continue
        term: str | None = None
        flags: list[str] = []
        usable = True
        for child in section.iter():
            name, kind = _local(child.tag), (child.get("type") or "")
            if name == "term" and term is None:
                term = (child.text or "").strip()
            elif name == "termNote" and kind == FLAGS_NOTE:
                flags += [f.strip() for f in (child.text or "").split(",") if f.strip()]
            elif name == "termNote" and kind == "partOfSpeech" and _text(child):
                flags.append(POS_PREFIX + _text(child))
            elif name == "termNote" and kind == "administrativeStatus":
                usable = not _text(child).lower().startswith(_UNUSABLE_STATUS)
        if term is not None:
            yield term, flags, usable


def _entry_fields(term_entry: Any) -> tuple[str | None, str]:
    """The context (subject field) and the note of a termEntry."""
    notes: list[str] = []
    context: str | None = None
    for child in term_entry.iter():
        name = _local(child.tag)
        text = _text(child)
        if name == "descrip" and child.get("type") == "subjectField" and text:
            context = text
        elif name in ("descrip", "note", "definition") and text:
            notes.append(text)
    return context, "; ".join(notes)


def _read_tbx(path: Path, data: bytes) -> Iterator[GlossaryEntry]:
    root = _parse_xml(path, data)
    for term_entry in root.iter():
        if _local(term_entry.tag) != "termEntry":
            continue
        context, notes = _entry_fields(term_entry)
        terms: dict[str, list[tuple[str, list[str], bool]]] = {}
        for child in term_entry:
            if _local(child.tag) in ("langSec", "langSet"):
                lang = (child.get(_XML_NS + "lang") or child.get("lang") or "").lower()
                terms.setdefault(lang.split("-")[0], []).extend(_term_sections(child))
        dutch = [t for t in terms.get("nl", []) if t[0] and t[2]]
        english = [t for t in terms.get("en", []) if t[2]]
        if not dutch or not english:
            continue
        target = english[0][0]
        for source, flags, _ in dutch:
            yield GlossaryEntry(
                source=source, target=target, context=context, flags=tuple(flags), notes=notes
            )


def export_terms(glossary: Glossary, fmt: str, full: bool = False) -> str:
    """The glossary as CSV/TSV or TBX text.

    CSV/TSV has two columns (``nl,en``: what DeepL and Google import) unless
    ``full``, which adds ``context,flags,note`` and keeps every field. TBX is
    always complete.
    """
    if fmt == "tbx":
        return _write_tbx(glossary)
    if fmt not in ("csv", "tsv"):
        raise GlossaryError(f"cannot export to {fmt!r}; use csv, tsv or tbx")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    if full:
        writer.writerow(_FULL_HEADER)
        for entry in glossary.sorted_entries():
            flags = ",".join(entry.flags)
            writer.writerow([entry.source, entry.target, entry.context or "", flags, entry.notes])
    else:
        writer.writerow(["nl", "en"])
        for entry in glossary.sorted_entries():
            writer.writerow([entry.source, entry.english])
    return buffer.getvalue()


def lost_in_two_columns(glossary: Glossary) -> list[str]:
    """What a two-column export leaves out (``3 fuzzy``, ``2 with flags``...), for a warning."""
    entries = glossary.entries
    counts = [
        (sum(1 for e in entries if e.fuzzy), "fuzzy (would become approved)"),
        (sum(1 for e in entries if any(f != FUZZY for f in e.flags)), "with flags"),
        (sum(1 for e in entries if e.context), "with a context"),
        (sum(1 for e in entries if e.notes), "with a note"),
    ]
    return [f"{count} {what}" for count, what in counts if count]


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
            exact = "\n" in entry.notes or entry.notes != " ".join(entry.notes.split())
            space = ' xml:space="preserve"' if exact else ""
            lines.append(
                f'        <descrip type="definition"{space}>{escape(entry.notes)}</descrip>'
            )
        if entry.context:
            lines.append(f'        <descrip type="subjectField">{escape(entry.context)}</descrip>')
        lines += _tbx_lang_section("nl", entry.source, _tbx_term_notes(entry))
        lines += _tbx_lang_section("en", entry.target, [])
        lines.append("      </termEntry>")
    lines += ["    </body>", "  </text>", "</tbx>", ""]
    return "\n".join(lines)


def _tbx_term_notes(entry: GlossaryEntry) -> list[str]:
    notes = []
    pos = [f[len(POS_PREFIX) :] for f in entry.flags if f.startswith(POS_PREFIX)]
    if pos:
        notes.append(f'<termNote type="partOfSpeech">{escape(pos[0])}</termNote>')
    own = [f for f in entry.flags if not f.startswith(POS_PREFIX)]
    if own:
        notes.append(f"<termNote type={quoteattr(FLAGS_NOTE)}>{escape(','.join(own))}</termNote>")
    return notes


def _tbx_lang_section(lang: str, term: str, notes: list[str]) -> list[str]:
    if not notes:
        return [
            f"        <langSec xml:lang={quoteattr(lang)}>",
            f"          <termSec><term>{escape(term)}</term></termSec>",
            "        </langSec>",
        ]
    return [
        f"        <langSec xml:lang={quoteattr(lang)}>",
        "          <termSec>",
        f"            <term>{escape(term)}</term>",
        *(f"            {note}" for note in notes),
        "          </termSec>",
        "        </langSec>",
    ]
