"""File formats a batch job reads and writes, in one registry.

Every format is a :class:`Format` subclass registered under a name. A format
turns a file into a stream of :class:`Unit` (the texts to translate, in file
order, with the line they start on) and writes a translated copy of the file
given the translations of those units in the same order. Reading is
streaming and deterministic, so a job can read a file once to validate and
count it, then again to translate it, and a third time to write it, without
holding more than one file's worth of structure in memory (line formats hold
one line at a time; TMX and PO are parsed whole).

Problems in a file raise :class:`~translate.errors.InputError` with the path
and line, so the job can skip that file and go on with the others.
"""

from __future__ import annotations

import codecs
import csv
import json
import operator
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar

from translate.errors import InputError, VertaalError, located, option
from translate.fileio import decode_text, read_bytes, read_text, sniff_encoding

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Unit:
    """One text to translate: a paragraph, a cell, a field, a segment or a message."""

    text: str
    line: int


@dataclass(frozen=True)
class UnitPlan:
    """What the model translates for one unit, and how the unit's output is put together.

    A plain unit is translated as it is. A document segment (markup with
    inline tags, see :mod:`translate.documents`) is translated as its plain
    texts plus its tagged phrases, and reassembled with its tags.
    """

    texts: tuple[str, ...]
    counted: int = 1
    """The first ``counted`` texts are the unit's own (its sentence and term statistics)."""
    assemble: Callable[[Sequence[str]], str] = operator.itemgetter(0)
    """The unit's output from the translations of ``texts``, in order."""


@dataclass(frozen=True)
class FormatOptions:
    """Choices that change which part of a file is translated."""

    column: str = "auto"
    """TSV/CSV column: ``auto`` (the column that holds running text, never an ID
    column), a 1-based number, or a name from the header row."""
    header: bool | None = None
    """TSV/CSV: whether row 1 is a header; ``None`` detects it (see :func:`looks_like_header`)."""
    encoding: str = "utf-8"
    """Encoding of the input files unless a byte-order mark says otherwise; outputs are UTF-8."""
    field: str = "text"
    """JSONL field holding the text; dots reach into nested objects (``meta.title``)."""
    overwrite: bool = False
    """PO and TMX: replace existing translations instead of keeping them."""
    source_lang: str = "nl"
    target_lang: str = "en"


class Format(ABC):
    """Reads the units of a file and writes its translated copy."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    description: ClassVar[str]

    def __init__(self, options: FormatOptions | None = None) -> None:
        self.options = options or FormatOptions()

    @abstractmethod
    def read(self, path: Path) -> Iterator[Unit]:
        """Yield the units of ``path`` in file order; raise InputError on bad input."""

    @abstractmethod
    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        """Write ``target``: ``path`` with each unit replaced by the next translation."""

    def plan(self, text: str) -> UnitPlan:
        """How to translate the unit ``text`` (as it is, unless the format says otherwise)."""
        return UnitPlan((text,))

    def output_name(self, name: str) -> str:
        """The file name of the translation of a file called ``name``.

        A ``.nl`` suffix becomes ``.en`` (``article.nl.txt`` → ``article.en.txt``);
        other names are kept.
        """
        source = f".{self.options.source_lang}"
        target = f".{self.options.target_lang}"
        stem, dot, rest = name.partition(".")
        if not dot:
            return name
        parts = rest.split(".")
        parts = [target[1:] if f".{part}" == source else part for part in parts]
        return ".".join([stem, *parts])


FORMATS: dict[str, type[Format]] = {}
"""Format name → class; :func:`register` adds to it."""


def register(cls: type[Format]) -> type[Format]:
    """Class decorator adding a format to :data:`FORMATS`."""
    FORMATS[cls.name] = cls
    return cls


def format_for(path: Path, override: str | None = None) -> type[Format] | None:
    """The format for ``path``: ``override`` if given, else by file extension, else None."""
    if override is not None:
        return FORMATS[override]
    suffix = path.suffix.lower()
    for cls in FORMATS.values():
        if suffix in cls.extensions:
            return cls
    return None


def count_words(text: str) -> int:
    """Whitespace-separated words, the unit of the job's word statistics."""
    return len(text.split())


# --- shared helpers -------------------------------------------------------------------------


def _decoded_lines(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line with its ending)``; undecodable text names the line.

    A byte-order mark decides the encoding (see :func:`translate.fileio.sniff_encoding`)
    and is never part of the text (writers copy a UTF-8 one back). UTF-16 and
    UTF-32 files are decoded whole; other encodings line by line, streaming.
    """
    try:
        with path.open("rb") as probe:
            head = probe.read(4)
    except OSError as error:
        raise InputError(located(path, None, f"cannot read ({error.strerror})")) from None
    codec = sniff_encoding(head, encoding)
    if codecs.lookup(codec).name.startswith(("utf-16", "utf-32")):
        text = decode_text(path, read_bytes(path), codec, fix=_ENCODING_FIX)
        lines = text.split("\n")
        for number, line in enumerate(lines[:-1], 1):
            yield number, line + "\n"
        if lines[-1]:
            yield len(lines), lines[-1]
        return
    line_codec = "utf-8" if codecs.lookup(codec).name == "utf-8-sig" else codec
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                text = raw.decode(line_codec)
            except UnicodeDecodeError as error:
                raise InputError(
                    located(
                        path,
                        number,
                        f"not valid {encoding_label(line_codec)} (byte {error.start + 1} "
                        "of the line)",
                        _ENCODING_FIX,
                    )
                ) from None
            if "\x00" in text:
                raise InputError(
                    located(path, number, "contains NUL bytes (binary file?)", "remove the file")
                )
            yield number, text


_ENCODING_FIX = f"convert the file to UTF-8, or pass its {option('encoding')}"


def encoding_label(codec: str) -> str:
    """``UTF-8`` for the UTF-8 codecs, else the codec's name (for messages)."""
    return "UTF-8" if codecs.lookup(codec).name in ("utf-8", "utf-8-sig") else codec


def _has_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(3) == b"\xef\xbb\xbf"


def _split_ending(line: str) -> tuple[str, str]:
    """``"abc\\r\\n"`` → ``("abc", "\\r\\n")``."""
    content = line.rstrip("\r\n")
    return content, line[len(content) :]


def _one_line(text: str, breaks: str = "\r\n") -> str:
    """Keep line-based formats aligned: a translation never spans lines (or cells)."""
    return re.sub(f"[{breaks}]+", " ", text) if any(c in text for c in breaks) else text


def _next_translation(translations: Iterator[str], path: Path) -> str:
    try:
        return next(translations)
    except StopIteration:
        raise InputError(
            located(path, None, "changed while it was being translated", "run the job again")
        ) from None


def _open_target(target: Path, path: Path) -> IO[str]:
    handle = target.open("w", encoding="utf-8", newline="")
    if _has_bom(path):
        handle.write("\ufeff")
    return handle


# --- plain text and Moses-style aligned text ------------------------------------------------


@register
class TextFormat(Format):
    """Plain text: every non-blank line is a unit; blank lines and line endings are copied.

    Sentences never cross a line break in :mod:`translate.segment`, so
    translating line by line gives exactly what ``vertaal translate`` gives for
    the whole file, while a file of any size streams in fixed-size chunks.
    """

    name = "text"
    extensions: ClassVar[tuple[str, ...]] = (".txt", ".text")
    description = "plain text, line by line, layout preserved"

    def read(self, path: Path) -> Iterator[Unit]:
        for number, line in _decoded_lines(path, self.options.encoding):
            content, _ = _split_ending(line)
            if content.strip():
                yield Unit(content, number)

    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        with _open_target(target, path) as out:
            for _, line in _decoded_lines(path, self.options.encoding):
                content, ending = _split_ending(line)
                if content.strip():
                    out.write(_one_line(_next_translation(translations, path)) + ending)
                else:
                    out.write(line)


@register
class MosesFormat(TextFormat):
    """One segment per line (``corpus.nl`` → ``corpus.en``), line N aligned with line N."""

    name = "moses"
    extensions: ClassVar[tuple[str, ...]] = (".nl",)
    description = "one sentence per line, aligned output (*.nl → *.en)"


# --- TSV / CSV ------------------------------------------------------------------------------


AUTO_COLUMN = "auto"
SAMPLE_ROWS = 200
"""Rows read to detect a header and the text column."""

# Header names that say "the text to translate", best first.
TEXT_COLUMN_NAMES = (
    "nl", "nld", "dutch", "nederlands", "source", "src", "text", "tekst", "sentence", "zin",
    "segment", "content", "body", "message", "description", "title",
)  # fmt: skip
_ID_LIKE = re.compile(r"^(?:[A-Za-z]{0,6}[-_.:#]?)?\d[\d\-_.:/]*$|^[0-9a-fA-F-]{16,}$")


@dataclass(frozen=True)
class TableLayout:
    """How a TSV/CSV file is read: a header row or not, and the 0-based text column."""

    header: bool
    column: int


def _numeric(cell: str) -> bool:
    return bool(_ID_LIKE.match(cell.strip()))


def _name_like(cell: str) -> bool:
    text = cell.strip()
    return 0 < len(text) <= 40 and len(text.split()) <= 4 and text[-1] not in ".!?;:,"


def looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """Whether ``first`` is a header row over the data rows ``rest``.

    It is when every cell is a short name (no sentence, no number) and the
    data differs from it: a column that holds numbers or IDs below a name, a
    well-known column name (``id``, ``text``, ``nl``...), or data cells at
    least twice as long as the names above them.
    """
    if not rest or not all(_name_like(cell) for cell in first):
        return False
    known = {*TEXT_COLUMN_NAMES, "id", "key", "nr", "no", "en", "target", "tgt", "label", "note"}
    if any(cell.strip().lower() in known for cell in first):
        return True
    for index, name in enumerate(first):
        column = [row[index] for row in rest if index < len(row) and row[index].strip()]
        if not column:
            continue
        if sum(map(_numeric, column)) >= 0.9 * len(column):
            return True
        if sum(len(cell) for cell in column) / len(column) >= 2 * len(name.strip()) + 8:
            return True
    return False


def text_column(header: list[str] | None, rows: list[list[str]]) -> int:
    """The 0-based column that holds the running text.

    A header name from :data:`TEXT_COLUMN_NAMES` wins; otherwise the column
    with the most words per cell, leaving out columns of numbers and IDs.
    """
    if header:
        lowered = [name.strip().lower() for name in header]
        for name in TEXT_COLUMN_NAMES:
            if name in lowered:
                return lowered.index(name)
    width = max((len(row) for row in rows), default=1)
    best, best_words = 0, -1.0
    for index in range(width):
        cells = [row[index] for row in rows if index < len(row) and row[index].strip()]
        if not cells or sum(map(_numeric, cells)) >= 0.9 * len(cells):
            continue
        words = sum(len(cell.split()) for cell in cells) / len(cells)
        if words > best_words:
            best, best_words = index, words
    return best


class _TableFormat(Format):
    """Shared logic of TSV and CSV: one column is translated, the rest is copied."""

    def layout(self, path: Path) -> TableLayout:
        """Whether row 1 of ``path`` is a header, and which column to translate."""
        sample: list[list[str]] = []
        for _, cells, _ in self._rows(path):
            if cells and cells != [""]:
                sample.append(cells)
            if len(sample) > SAMPLE_ROWS:
                break
        if not sample:
            return TableLayout(False, 0)
        column = self.options.column
        header = self.options.header
        if header is None:
            by_name = not column.isdigit() and column != AUTO_COLUMN
            header = by_name or looks_like_header(sample[0], sample[1:])
        names = sample[0] if header else None
        data = sample[1:] if header else sample
        return TableLayout(header, self._column_index(names, data, path))

    def _column_index(self, header: list[str] | None, data: list[list[str]], path: Path) -> int:
        column = self.options.column
        if column == AUTO_COLUMN:
            return text_column(header, data)
        if column.isdigit():
            index = int(column) - 1
            if index < 0:
                raise InputError(f"{option('column')} {column}: columns are numbered from 1")
            return index
        if header is None or column not in header:
            shown = ", ".join(repr(name) for name in header) if header else "no header row"
            raise InputError(
                located(
                    path,
                    1,
                    f"no column named {column!r} in the header ({shown})",
                    f"pass {option('column')} NAME from the first row, or a column number",
                )
            )
        return header.index(column)

    @abstractmethod
    def _rows(self, path: Path) -> Iterator[tuple[int, list[str], str]]:
        """Yield ``(line, cells, line ending)`` per row."""

    @abstractmethod
    def _write_row(self, out: IO[str], cells: list[str], ending: str) -> None: ...

    def _cells(self, path: Path) -> Iterator[tuple[int, list[str], str, int | None]]:
        """Yield rows with the index of the cell to translate (None: copy the row)."""
        layout = self.layout(path)
        index = layout.column
        header_pending = layout.header
        for number, cells, ending in self._rows(path):
            if cells == [] or cells == [""]:
                yield number, cells, ending, None  # blank line
                continue
            if header_pending:
                header_pending = False
                yield number, cells, ending, None
                continue
            if index >= len(cells):
                raise InputError(
                    located(
                        path,
                        number,
                        f"row has {len(cells)} columns; column {index + 1} is missing",
                        f"fix the row or choose another {option('column')}",
                    )
                )
            yield number, cells, ending, index if cells[index].strip() else None

    def read(self, path: Path) -> Iterator[Unit]:
        for number, cells, _, index in self._cells(path):
            if index is not None:
                yield Unit(cells[index], number)

    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        with _open_target(target, path) as out:
            for _, cells, ending, index in self._cells(path):
                if index is not None:
                    cells = list(cells)
                    cells[index] = self._clean(_next_translation(translations, path))
                self._write_row(out, cells, ending)

    def _clean(self, text: str) -> str:
        return text


@register
class TsvFormat(_TableFormat):
    """Tab-separated values without quoting (the usual parallel-corpus layout)."""

    name = "tsv"
    extensions = (".tsv", ".tab")
    description = f"tab-separated columns, no quoting ({option('column')})"

    def _rows(self, path: Path) -> Iterator[tuple[int, list[str], str]]:
        for number, line in _decoded_lines(path, self.options.encoding):
            content, ending = _split_ending(line)
            yield number, content.split("\t") if content else [], ending

    def _write_row(self, out: IO[str], cells: list[str], ending: str) -> None:
        out.write("\t".join(cells) + ending)

    def _clean(self, text: str) -> str:
        return _one_line(text, "\r\n\t")


@register
class CsvFormat(_TableFormat):
    """Comma-separated values with RFC 4180 quoting (cells may span lines)."""

    name = "csv"
    extensions = (".csv",)
    description = f"comma-separated columns with quoting ({option('column')})"

    def _rows(self, path: Path) -> Iterator[tuple[int, list[str], str]]:
        lines = _decoded_lines(path, self.options.encoding)
        ending = "\n"
        state = {"line": 0}

        def text_lines() -> Iterator[str]:
            nonlocal ending
            for number, line in lines:
                if number == 1:
                    ending = _split_ending(line)[1] or "\n"
                state["line"] = number
                yield line

        reader = csv.reader(text_lines(), strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise InputError(
                    located(path, state["line"], f"malformed CSV ({error})", "fix the quoting")
                ) from None
            yield start, row, ending
            start = state["line"] + 1

    def _write_row(self, out: IO[str], cells: list[str], ending: str) -> None:
        csv.writer(out, lineterminator=ending).writerow(cells)


# --- JSON lines -----------------------------------------------------------------------------


@register
class JsonlFormat(Format):
    """One JSON object per line; the ``--field`` string is translated, the rest copied."""

    name = "jsonl"
    extensions = (".jsonl", ".ndjson")
    description = f"JSON object per line ({option('field')}, dots for nested keys)"

    def _records(self, path: Path) -> Iterator[tuple[int, str, dict[str, Any] | None]]:
        keys = self.options.field.split(".")
        for number, line in _decoded_lines(path, self.options.encoding):
            content, ending = _split_ending(line)
            if not content.strip():
                yield number, line, None
                continue
            try:
                record = json.loads(content)
            except json.JSONDecodeError as error:
                raise InputError(
                    located(
                        path,
                        number,
                        f"invalid JSON ({error.msg} at column {error.colno})",
                        "fix or remove the line",
                    )
                ) from None
            holder = record
            for key in keys[:-1]:
                holder = holder.get(key) if isinstance(holder, dict) else None
            value = holder.get(keys[-1]) if isinstance(holder, dict) else None
            if not isinstance(value, str):
                problem = "no" if value is None else f"a non-string ({type(value).__name__})"
                raise InputError(
                    located(
                        path,
                        number,
                        f"{problem} field {self.options.field!r}",
                        f"choose the text field with {option('field')}",
                    )
                )
            yield number, ending, record

    def _field(self, record: dict[str, Any]) -> tuple[dict[str, Any], str]:
        keys = self.options.field.split(".")
        holder = record
        for key in keys[:-1]:
            holder = holder[key]
        return holder, keys[-1]

    def read(self, path: Path) -> Iterator[Unit]:
        for number, _, record in self._records(path):
            if record is not None:
                holder, key = self._field(record)
                if holder[key].strip():
                    yield Unit(holder[key], number)

    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        with _open_target(target, path) as out:
            for _, text, record in self._records(path):
                if record is None:
                    out.write(text)  # blank line, copied with its ending
                    continue
                holder, key = self._field(record)
                if holder[key].strip():
                    holder[key] = _next_translation(translations, path)
                out.write(json.dumps(record, ensure_ascii=False) + text)


# --- TMX ------------------------------------------------------------------------------------


def _parse_xml(path: Path) -> Any:
    """Parse with defusedxml (no entity expansion, no external resources)."""
    import xml.etree.ElementTree as ElementTree

    import defusedxml
    import defusedxml.ElementTree as SafeElementTree

    try:
        return SafeElementTree.parse(str(path))
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else None
        problem = re.sub(r": line \d+, column \d+$", "", str(error.msg))
        raise InputError(
            located(path, line, f"malformed XML ({problem})", "fix the markup")
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise InputError(
            located(path, None, f"unsafe XML ({error})", "remove entity declarations")
        ) from None
    except OSError as error:
        raise InputError(located(path, None, f"cannot read ({error.strerror})")) from None


def _lang_matches(element: Any, lang: str) -> bool:
    value = element.get(XML_LANG) or element.get("lang") or ""
    return bool(value) and value.lower().replace("_", "-").split("-")[0] == lang.lower()


@register
class TmxFormat(Format):
    """Translation memory: source ``<tuv>`` segments are translated into target ``<tuv>``s.

    Units already holding a target ``<tuv>`` are kept unless ``overwrite``.
    Inline markup inside a source ``<seg>`` is reduced to its text.
    """

    name = "tmx"
    extensions = (".tmx",)
    description = "TMX translation memory (adds target-language tuvs)"

    def _units(self, tree: Any, path: Path) -> Iterator[tuple[Any, Any, Any | None]]:
        """Yield ``(tu, source seg, target tuv or None)`` for each unit to translate."""
        root = tree.getroot()
        if root.tag != "tmx":
            raise InputError(located(path, 1, f"root element is <{root.tag}>, not <tmx>"))
        for tu in root.iter("tu"):
            source = next(
                (t for t in tu.iter("tuv") if _lang_matches(t, self.options.source_lang)), None
            )
            if source is None:
                continue
            seg = source.find("seg")
            if seg is None:
                raise InputError(located(path, None, "a source <tuv> has no <seg>"))
            target = next(
                (t for t in tu.iter("tuv") if _lang_matches(t, self.options.target_lang)), None
            )
            if target is not None and not self.options.overwrite:
                continue
            if "".join(seg.itertext()).strip():
                yield tu, seg, target

    def read(self, path: Path) -> Iterator[Unit]:
        _decode_check(path, self.options.encoding)
        tree = _parse_xml(path)
        for _, seg, _ in self._units(tree, path):
            yield Unit("".join(seg.itertext()), 0)

    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        import xml.etree.ElementTree as ElementTree

        tree = _parse_xml(path)
        for tu, seg, tuv in list(self._units(tree, path)):
            text = _next_translation(translations, path)
            if tuv is None:
                # Append after the last tuv with the same indentation as its siblings.
                source_tuv = next(t for t in tu.iter("tuv") if t.find("seg") is seg)
                last = list(tu)[-1]
                tuv = ElementTree.Element("tuv", {XML_LANG: self.options.target_lang})
                tuv.tail, last.tail = last.tail, tu.text
                tuv.text = source_tuv.text
                tu.append(tuv)
                new_seg = ElementTree.SubElement(tuv, "seg")
                new_seg.tail = seg.tail
            else:
                new_seg = tuv.find("seg")
                if new_seg is None:
                    new_seg = ElementTree.SubElement(tuv, "seg")
                for child in list(new_seg):
                    new_seg.remove(child)
            new_seg.text = text
        with target.open("wb") as out:
            tree.write(out, encoding="utf-8", xml_declaration=True)
            out.write(b"\n")


def _decode_check(path: Path, encoding: str) -> None:
    """Name the line of the first undecodable byte before an XML parser sees it."""
    for _ in _decoded_lines(path, encoding):
        pass


# --- PO -------------------------------------------------------------------------------------


def _plural_count(po: Any) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


@register
class PoFormat(Format):
    """Gettext catalogs: empty msgstrs are filled with machine translations marked fuzzy.

    Existing translations (fuzzy or not) are kept unless ``overwrite``; a
    plural message yields two units, its msgid and its msgid_plural.
    """

    name = "po"
    extensions = (".po", ".pot")
    description = "gettext PO catalog (fills msgstr, marks fuzzy)"

    def output_name(self, name: str) -> str:
        if name.endswith(".pot"):
            return name[:-1]
        return super().output_name(name)

    def _load(self, path: Path) -> Any:
        import polib

        from glossary.po_check import parse_po

        text = read_text(path, self.options.encoding, fix=_ENCODING_FIX)
        try:
            # polib silently drops what it cannot parse; the strict check names the line
            parse_po(path, text)
        except VertaalError as error:
            problem = error.message.replace("PO syntax error", "malformed PO")
            raise InputError(problem, error.hint) from None
        try:
            return polib.pofile(text)
        except (OSError, ValueError) as error:
            match = re.search(r"\(line (\d+)\)", str(error))
            problem = str(error).split(":")[-1].strip() if ":" in str(error) else "syntax error"
            raise InputError(
                located(
                    path,
                    int(match.group(1)) if match else None,
                    f"malformed PO ({problem})",
                    "check it with msgfmt --check",
                )
            ) from None

    def _entries(self, po: Any) -> Iterator[Any]:
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            translated = bool(entry.msgstr) or any(entry.msgstr_plural.values())
            if translated and not self.options.overwrite:
                continue
            yield entry

    def read(self, path: Path) -> Iterator[Unit]:
        po = self._load(path)
        for entry in self._entries(po):
            yield Unit(entry.msgid, entry.linenum)
            if entry.msgid_plural:
                yield Unit(entry.msgid_plural, entry.linenum)

    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        po = self._load(path)
        plurals = _plural_count(po)
        for entry in list(self._entries(po)):
            singular = _next_translation(translations, path)
            if entry.msgid_plural:
                plural = _next_translation(translations, path)
                entry.msgstr_plural = {
                    index: singular if index == 0 else plural for index in range(plurals)
                }
            else:
                entry.msgstr = singular
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        text = str(po)
        if not po.header and text.startswith("#\n"):
            text = text[2:]  # polib writes an empty header comment as a bare "#"
        with _open_target(target, path) as out:
            out.write(text)


def format_names() -> list[str]:
    """Registered format names, for ``--format`` choices."""
    return list(FORMATS)


def describe_formats() -> Iterable[tuple[str, str, str]]:
    """``(name, extensions, description)`` rows for help text.

    Descriptions name settings as :func:`translate.errors.option` markers; see
    :func:`translate.errors.render_options`.
    """
    for cls in FORMATS.values():
        yield cls.name, " ".join(cls.extensions), cls.description


def _register_documents() -> None:
    """Documents (DOCX, ODT, HTML, XLIFF, subtitles, Markdown, EPUB) from translate.documents."""
    from translate.documents.batch import document_batch_formats

    for cls in document_batch_formats():
        register(cls)


_register_documents()
