"""A strict syntax check of PO text, run before :mod:`polib` parses a glossary.

polib is lenient: an unterminated string or a line without quotes can make it
drop an entry without a word, and a glossary saved after that has lost it.
This check reads the file line by line against the gettext PO grammar and
names the first line that breaks it, so a broken file is refused, never
rewritten. It also refuses two entries with the same ``msgctxt`` and
``msgid`` (gettext's ``msgfmt`` refuses them too) and names both lines.
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
_VALID_ESCAPES = frozenset('nt"\\r')
_ORDER = {"msgctxt": 0, "msgid": 1, "msgid_plural": 2, "msgstr": 3}

_FIX = "fix the line or restore the file from version control"


@dataclass
class _Entry:
    """The entry being read: which keywords it has and where it began."""

    line: int
    keywords: list[str] = field(default_factory=list)
    context: str | None = None
    msgid: str = ""
    current: str = ""  # keyword whose string continuation lines extend

    def append(self, text: str) -> None:
        if self.current == "msgctxt":
            self.context = (self.context or "") + text
        elif self.current == "msgid":
            self.msgid += text


def _unquote(path: Path, line_number: int, quoted: str) -> str:
    body = quoted[1:-1]
    for escape in _ESCAPE.finditer(body):
        if escape.group(1) not in _VALID_ESCAPES:
            raise GlossaryError(
                located(
                    path,
                    line_number,
                    f"PO syntax error: unknown escape '\\{escape.group(1)}'",
                    "write a backslash as \\\\",
                )
            )
    return body


def check_po_syntax(path: Path, text: str) -> None:
    """Raise :class:`GlossaryError` (file:line, fix) at the first line breaking the PO grammar."""
    seen: dict[tuple[str | None, str], int] = {}
    entry: _Entry | None = None

    def finish(end_line: int) -> None:
        if entry is None:
            return
        if "msgid" not in entry.keywords:
            raise GlossaryError(
                located(path, entry.line, "PO syntax error: entry without msgid", _FIX)
            )
        if not any(k.startswith("msgstr") for k in entry.keywords):
            raise GlossaryError(
                located(
                    path,
                    end_line,
                    f"PO syntax error: msgid {entry.msgid!r} has no msgstr",
                    'add msgstr "" (empty) or the English term',
                )
            )
        key = (entry.context, entry.msgid)
        if key in seen:
            ctx = f" in context {entry.context!r}" if entry.context is not None else ""
            raise GlossaryError(
                located(
                    path,
                    entry.line,
                    f"duplicate msgid {entry.msgid!r}{ctx} (first at line {seen[key]})",
                    "keep one of the two entries",
                )
            )
        seen[key] = entry.line

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish(number)
            entry = None
            continue
        if line.startswith("#"):
            if entry is not None and entry.keywords:
                finish(number)
                entry = None
            continue
        keyword_line = _KEYWORD_LINE.match(line)
        if keyword_line:
            keyword = keyword_line.group("keyword")
            base = "msgstr" if keyword.startswith("msgstr") else keyword
            starts_new = (
                base in ("msgctxt", "msgid")
                and entry is not None
                and (any(k.startswith("msgstr") for k in entry.keywords))
            )
            if starts_new:
                finish(number)
                entry = None
            if entry is None:
                entry = _Entry(line=number)
            last = entry.keywords[-1] if entry.keywords else None
            last_base = "msgstr" if last and last.startswith("msgstr") else last
            repeated = keyword in entry.keywords
            if repeated or (last_base is not None and _ORDER[base] < _ORDER[last_base]):
                raise GlossaryError(
                    located(path, number, f"PO syntax error: unexpected {keyword}", _FIX)
                )
            if base == "msgid":
                entry.line = number  # messages name the msgid line, as polib does
            entry.keywords.append(keyword)
            entry.current = keyword
            entry.append(_unquote(path, number, keyword_line.group("string")))
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and entry is not None and entry.keywords:
            entry.append(_unquote(path, number, continuation.group("string")))
            continue
        problem = "unterminated string" if line.count('"') % 2 else "unexpected text"
        if line.startswith(tuple(_ORDER)) and '"' not in line:
            problem = "keyword without a quoted string"
        raise GlossaryError(located(path, number, f"PO syntax error: {problem}", _FIX))
    finish(len(text.splitlines()) + 1)
