"""A strict reader of PO glossary text: the gettext grammar, checked line by line.

polib is lenient: an unterminated string or a line without quotes can make it
drop an entry without a word, and a glossary saved after that has lost it.
This reader follows the gettext PO grammar and names the first line that
breaks it, so a broken file is refused, never rewritten. It also refuses two
entries with the same ``msgctxt`` and ``msgid`` (gettext's ``msgfmt`` refuses
them too) and names both lines.

It reads what a glossary needs (translator comments, flags, context, msgid,
msgstr, the header and its metadata) the way :mod:`polib` does, in one pass;
writing stays with polib (:meth:`glossary.store.Glossary.to_po_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import GlossaryError, located

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD = r"(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)"
_KEYWORD_LINE = re.compile(rf"^{_KEYWORD}[ \t]+(?P<string>{_STRING})[ \t]*$")
_CONTINUATION = re.compile(rf"^[ \t]*(?P<string>{_STRING})[ \t]*$")
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", '"': '"', "\\": "\\"}
_ORDER = {"msgctxt": 0, "msgid": 1, "msgid_plural": 2, "msgstr": 3}

_FIX = "fix the line or restore the file from version control"


@dataclass
class PoEntry:
    """One entry as read: its texts, comments, flags and where it starts."""

    line: int
    """First line of the entry (its first comment or keyword), as polib counts."""
    msgid_line: int = 0
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: str = ""
    tcomment: str = ""
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False
    keywords: list[str] = field(default_factory=list)

    def append(self, keyword: str, text: str) -> None:
        """Add ``text`` to the field of ``keyword`` (continuation lines extend it)."""
        if keyword == "msgctxt":
            self.msgctxt = (self.msgctxt or "") + text
        elif keyword == "msgid":
            self.msgid += text
        elif keyword == "msgid_plural":
            self.msgid_plural += text
        elif keyword in ("msgstr", "msgstr[0]"):
            self.msgstr += text


@dataclass
class PoFile:
    """A parsed PO file: the header comment, the metadata and the entries (header excluded)."""

    header: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    entries: list[PoEntry] = field(default_factory=list)


def _unquote(path: Path, line_number: int, quoted: str) -> str:
    def replace(escape: re.Match[str]) -> str:
        char = escape.group(1)
        if char not in _ESCAPES:
            raise GlossaryError(
                located(
                    path,
                    line_number,
                    f"PO syntax error: unknown escape '\\{char}'",
                    "write a backslash as \\\\",
                )
            )
        return _ESCAPES[char]

    return _ESCAPE.sub(replace, quoted[1:-1])


class _Reader:
    """The state of a pass over the lines: the entry being read and those finished."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.result = PoFile()
        self.entry: PoEntry | None = None
        self.current = ""  # keyword whose continuation lines extend its string
        self.seen: dict[tuple[str | None, str], int] = {}
        self.started = False  # a keyword has been read (comments before it are the header)
        self.obsolete_line = False  # the line being read starts with #~

    def finish(self, end_line: int) -> None:
        entry, self.entry = self.entry, None
        if entry is None or not entry.keywords:
            return  # nothing, or trailing comments (ignored, as gettext does)
        if "msgid" not in entry.keywords:
            raise GlossaryError(
                located(self.path, entry.line, "PO syntax error: entry without msgid", _FIX)
            )
        if not any(k.startswith("msgstr") for k in entry.keywords):
            raise GlossaryError(
                located(
                    self.path,
                    end_line,
                    f"PO syntax error: msgid {entry.msgid!r} has no msgstr",
                    'add msgstr "" (empty) or the English term',
                )
            )
        if entry.obsolete:
            return
        key = (entry.msgctxt, entry.msgid)
        if key in self.seen:
            ctx = f" in context {entry.msgctxt!r}" if entry.msgctxt is not None else ""
            raise GlossaryError(
                located(
                    self.path,
                    entry.msgid_line,
                    f"duplicate msgid {entry.msgid!r}{ctx} (first at line {self.seen[key]})",
                    "keep one of the two entries",
                )
            )
        self.seen[key] = entry.msgid_line
        if entry.msgid == "" and entry.msgctxt is None and not self.result.metadata:
            self.result.metadata = _metadata(entry.msgstr)
        else:
            self.result.entries.append(entry)

    def comment(self, number: int, line: str) -> None:
        if line.startswith("#~"):
            # obsolete entries are read for the grammar and then dropped
            body = line[2:].strip()
            if body:
                self.obsolete_line = True
                self.keyword_or_continuation(number, body)
                self.obsolete_line = False
            return
        if self.entry is not None and self.entry.keywords:
            self.finish(number)
        kind = line[1:2]
        if kind in (",",):
            self._pending(number).flags += [f.strip() for f in line[2:].split(",")]
        elif kind in (" ", ""):
            text = line.lstrip("#")
            text = text[1:] if text.startswith(" ") else text
            if not self.started:
                header = self.result.header
                self.result.header = f"{header}\n{text}" if header else text
            else:
                entry = self._pending(number)
                entry.tcomment = f"{entry.tcomment}\n{text}" if entry.tcomment else text
        else:
            self._pending(number)  # extracted (#.), reference (#:), previous (#|): not kept

    def _pending(self, number: int) -> PoEntry:
        if self.entry is None:
            self.entry = PoEntry(line=number)
        return self.entry

    def keyword_or_continuation(self, number: int, line: str) -> None:
        keyword_line = _KEYWORD_LINE.match(line)
        if keyword_line:
            self.keyword(number, keyword_line.group("keyword"), keyword_line.group("string"))
            return
        continuation = _CONTINUATION.match(line)
        if continuation and self.entry is not None and self.entry.keywords:
            self.entry.append(self.current, _unquote(self.path, number, continuation.group(1)))
            return
        problem = "unterminated string" if line.count('"') % 2 else "unexpected text"
        if line.startswith(tuple(_ORDER)) and '"' not in line:
            problem = "keyword without a quoted string"
        raise GlossaryError(located(self.path, number, f"PO syntax error: {problem}", _FIX))

    def keyword(self, number: int, keyword: str, quoted: str) -> None:
        base = "msgstr" if keyword.startswith("msgstr") else keyword
        entry = self.entry
        after_msgstr = entry is not None and any(k.startswith("msgstr") for k in entry.keywords)
        if base in ("msgctxt", "msgid") and after_msgstr:
            self.finish(number)
            entry = None
        if entry is None:
            entry = self.entry = PoEntry(line=number)
        entry.obsolete = entry.obsolete or self.obsolete_line
        last = entry.keywords[-1] if entry.keywords else None
        last_base = "msgstr" if last and last.startswith("msgstr") else last
        if keyword in entry.keywords or (
            last_base is not None and _ORDER[base] < _ORDER[last_base]
        ):
            raise GlossaryError(
                located(self.path, number, f"PO syntax error: unexpected {keyword}", _FIX)
            )
        if base == "msgid":
            entry.msgid_line = number
        self.started = True
        entry.keywords.append(keyword)
        self.current = keyword
        entry.append(keyword, _unquote(self.path, number, quoted))


def _metadata(msgstr: str) -> dict[str, str]:
    """``Key: value`` lines of the header entry; a line without a colon continues the last."""
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def parse_po(path: Path, text: str) -> PoFile:
    """Read PO ``text``; raise :class:`GlossaryError` (file:line, fix) where the grammar breaks."""
    reader = _Reader(path)
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            if reader.entry is not None and reader.entry.keywords:
                reader.finish(number)
            continue
        if line.startswith("#"):
            reader.comment(number, line)
        else:
            reader.keyword_or_continuation(number, line)
    reader.finish(len(lines) + 1)
    return reader.result
