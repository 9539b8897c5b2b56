"""Glossaries stored as gettext PO files.

One PO file holds one glossary for one language pair:

* ``msgid`` is the Dutch term in its base form (singular, uninflected),
* ``msgstr`` is the English term,
* ``msgctxt`` is an optional domain (``defence``, ``diplomacy``...),
* the translator comment (``# ...``) holds notes: source, definition, reasoning,
* flags (``#, ...``) change how the term is matched and enforced:

  ``fuzzy``
      proposed, not approved: not enforced unless asked for (``include_fuzzy``).
  ``no-translate``
      keep the Dutch term as it is (``NIS``); ``msgstr`` may be empty or equal.
  ``case-sensitive``
      match the exact spelling only.
  ``no-compound``
      do not match the term as the first part of a hyphenated compound
      (``NAVO-top``).
  ``closed-compound``
      also match the term as the first part of a closed compound
      (``Kremlinwoordvoerder``); off by default because it is rarely safe.
  ``no-article``
      the English term takes no article where the Dutch one has one
      (``met de NAVO`` → "with NATO"); a "the" the model puts before it is
      removed, except when the term heads a compound ("the NATO summit").
  ``plural:<English plural>``
      the English plural when it is not regular (``plural:asking parties`` is
      what the automatic rule gives anyway; ``plural:people`` is not).

The header's metadata names the language pair (``Language: en``,
``X-Source-Language: nl``).

Writing is atomic (temporary file in the same directory, then
:func:`os.replace`) and canonical: entries sorted by term and context, flags
sorted, fixed wrap width, no timestamps. Loading and saving a saved file gives
the same bytes, so version control shows only real edits. :func:`edit_glossary`
holds a lock on a sidecar ``<file>.lock`` while it reads, changes and writes,
so two processes editing the same glossary lose nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from translate.errors import GlossaryError, located, option
from translate.fileio import atomic_write_text, read_text

WRAP_WIDTH = 78
"""Line width for PO output; fixed so that saves never re-wrap (no churn)."""

SOURCE_LANGUAGE = "nl"
TARGET_LANGUAGE = "en"

FUZZY = "fuzzy"
NO_TRANSLATE = "no-translate"
CASE_SENSITIVE = "case-sensitive"
NO_COMPOUND = "no-compound"
CLOSED_COMPOUND = "closed-compound"
NO_ARTICLE = "no-article"
PLURAL_PREFIX = "plural:"
KNOWN_FLAGS = frozenset(
    {FUZZY, NO_TRANSLATE, CASE_SENSITIVE, NO_COMPOUND, CLOSED_COMPOUND, NO_ARTICLE}
)

DEFAULT_HEADER = (
    "Glossary Dutch → English for vertaal.\n"
    "msgid = Dutch term (base form), msgstr = English term, msgctxt = domain.\n"
    "Flags: fuzzy (proposed), no-translate, case-sensitive, no-compound,\n"
    "closed-compound, no-article, plural:<English plural>.\n"
    "Edit with `vertaal glossary`."
)

_BASE_METADATA = {
    "Project-Id-Version": "vertaal glossary",
    "Language": TARGET_LANGUAGE,
    "X-Source-Language": SOURCE_LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def _flag_sort_key(flag: str) -> tuple[int, str]:
    return (0 if flag == FUZZY else 1, flag)


@dataclass(frozen=True)
class GlossaryEntry:
    """One term: Dutch ``source`` (base form) → English ``target``."""

    source: str
    target: str
    context: str | None = None
    flags: tuple[str, ...] = ()
    notes: str = ""
    line: int | None = field(default=None, compare=False)
    """Line of ``msgid`` in the file it was loaded from (for messages), if any."""

    def __post_init__(self) -> None:
        # Canonical flag order, no duplicates: what is equal compares equal and saves equally.
        canonical = tuple(sorted(set(self.flags), key=_flag_sort_key))
        if canonical != self.flags:
            object.__setattr__(self, "flags", canonical)

    @property
    def fuzzy(self) -> bool:
        """Proposed, not approved."""
        return FUZZY in self.flags

    @property
    def no_translate(self) -> bool:
        """The term stays as it is in English."""
        return NO_TRANSLATE in self.flags

    @property
    def case_sensitive(self) -> bool:
        """Only the exact spelling matches."""
        return CASE_SENSITIVE in self.flags

    @property
    def allows_compound(self) -> bool:
        """May match as the first part of a hyphenated compound (``NAVO-top``)."""
        return NO_COMPOUND not in self.flags

    @property
    def allows_closed_compound(self) -> bool:
        """May match as the first part of a closed compound (opt-in)."""
        return CLOSED_COMPOUND in self.flags

    @property
    def english(self) -> str:
        """The English form to enforce (the source itself for ``no-translate``)."""
        return self.source if self.no_translate and not self.target else self.target

    @property
    def plural(self) -> str | None:
        """The explicit English plural from a ``plural:`` flag, if any."""
        for flag in self.flags:
            if flag.startswith(PLURAL_PREFIX):
                return flag[len(PLURAL_PREFIX) :].strip() or None
        return None

    @property
    def key(self) -> tuple[str, str]:
        """Identity within a glossary: case-folded term and context."""
        return (self.source.casefold(), self.context or "")

    def with_flags(self, add: Iterable[str] = (), remove: Iterable[str] = ()) -> GlossaryEntry:
        """A copy with flags added and removed."""
        removed = set(remove)
        flags = [f for f in self.flags if f not in removed] + list(add)
        return replace(self, flags=tuple(flags))

    def describe(self) -> str:
        """``source [context] → target`` for messages."""
        ctx = f" [{self.context}]" if self.context else ""
        return f"{self.source}{ctx} → {self.english}"


def _sort_key(entry: GlossaryEntry) -> tuple[str, str, str, str]:
    return (entry.source.casefold(), entry.source, entry.context or "", entry.target)


@dataclass
class Glossary:
    """A set of entries with the file they came from (``path``) and its header."""

    entries: list[GlossaryEntry] = field(default_factory=list)
    path: Path | None = None
    metadata: dict[str, str] = field(default_factory=lambda: dict(_BASE_METADATA))
    header: str = DEFAULT_HEADER

    @property
    def version(self) -> str:
        """A hash of the content (entries and metadata): changes whenever the glossary does."""
        return hashlib.sha256(self.to_po_text().encode("utf-8")).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    def active(self, include_fuzzy: bool = False) -> list[GlossaryEntry]:
        """Entries to enforce: approved ones, plus fuzzy ones when asked."""
        return [e for e in self.entries if include_fuzzy or not e.fuzzy]

    def find(self, source: str, context: str | None = None) -> list[GlossaryEntry]:
        """Entries for ``source`` (case-folded); with ``context`` only that domain."""
        folded = source.casefold()
        return [
            e
            for e in self.entries
            if e.source.casefold() == folded and (context is None or (e.context or "") == context)
        ]

    def add(self, entry: GlossaryEntry, replace_existing: bool = False) -> GlossaryEntry | None:
        """Add ``entry``; returns the entry it replaced (same term and context), if any.

        Raises :class:`GlossaryError` when the term exists and ``replace_existing`` is false.
        """
        _validate_entry(entry, self.path)
        for i, existing in enumerate(self.entries):
            if existing.key == entry.key:
                if not replace_existing:
                    raise GlossaryError(
                        located(
                            self.path or "<glossary>",
                            existing.line,
                            f"term {existing.describe()!r} exists already",
                            f"use {option('replace_existing')} to overwrite it",
                        )
                    )
                self.entries[i] = entry
                return existing
        self.entries.append(entry)
        return None

    def remove(self, source: str, context: str | None = None) -> list[GlossaryEntry]:
        """Remove the entries for ``source`` (and ``context`` when given); returns them."""
        removed = self.find(source, context)
        if not removed:
            ctx = f" in context {context!r}" if context else ""
            raise GlossaryError(
                located(self.path or "<glossary>", None, f"no term {source!r}{ctx}")
            )
        self.entries = [e for e in self.entries if e not in removed]
        return removed

    def sorted_entries(self) -> list[GlossaryEntry]:
        """Entries in the canonical (saved) order."""
        return sorted(self.entries, key=_sort_key)

    def to_po_text(self) -> str:
        """The canonical PO text of this glossary."""
        import polib

        po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8")
        po.header = self.header
        metadata = dict(_BASE_METADATA)
        metadata.update(self.metadata)
        po.metadata = metadata
        for entry in self.sorted_entries():
            po.append(
                polib.POEntry(
                    msgid=entry.source,
                    msgstr=entry.target,
                    msgctxt=entry.context or None,
                    flags=list(entry.flags),
                    tcomment=entry.notes,
                )
            )
        text = str(po)
        return text if text.endswith("\n") else text + "\n"

    def save(self, path: Path | None = None) -> Path:
        """Write the glossary atomically to ``path`` (default: where it came from)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise GlossaryError("glossary has no file to save to; give a path")
        atomic_write_text(target, self.to_po_text(), error=GlossaryError)
        self.path = target
        return target


def _validate_entry(entry: GlossaryEntry, path: Path | None) -> None:
    where = path or "<glossary>"
    if not entry.source.strip():
        raise GlossaryError(located(where, entry.line, "empty Dutch term (msgid)"))
    if entry.source != entry.source.strip() or "\n" in entry.source:
        raise GlossaryError(
            located(where, entry.line, f"term {entry.source!r} has surrounding spaces or a newline")
        )
    for flag in entry.flags:
        if "," in flag or "\n" in flag:
            raise GlossaryError(located(where, entry.line, f"flag {flag!r} contains a comma"))


_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def load_glossary(path: Path | str) -> Glossary:
    """Read a PO glossary; raises :class:`GlossaryError` naming file and line on bad input."""
    import polib

    path = Path(path)
    text = read_text(
        path,
        error=GlossaryError,
        what="glossary ",
        fix="save the glossary as UTF-8",
        missing_fix="check the path or create it with add",
    )
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH, encoding="utf-8")
    except (OSError, ValueError) as exc:
        found = _POLIB_LINE.search(str(exc))
        raise GlossaryError(
            located(
                path,
                int(found.group(1)) if found else None,
                "PO syntax error",
                "fix the entry or restore it from git",
            )
        ) from None
    entries = []
    for po_entry in po:
        if po_entry.obsolete:
            continue
        if po_entry.msgid_plural:
            raise GlossaryError(
                located(
                    path,
                    po_entry.linenum,
                    f"plural entry {po_entry.msgid!r} is not supported",
                    "use one entry and a 'plural:<English plural>' flag",
                )
            )
        entry = GlossaryEntry(
            source=po_entry.msgid,
            target=po_entry.msgstr,
            context=po_entry.msgctxt or None,
            flags=tuple(f for f in po_entry.flags if f),
            notes=po_entry.tcomment or "",
            line=po_entry.linenum,
        )
        _validate_entry(entry, path)
        entries.append(entry)
    metadata = dict(po.metadata)
    source_lang = metadata.get("X-Source-Language", SOURCE_LANGUAGE)
    target_lang = metadata.get("Language", TARGET_LANGUAGE)
    if source_lang.split("_")[0] != SOURCE_LANGUAGE or target_lang.split("_")[0] != TARGET_LANGUAGE:
        raise GlossaryError(
            located(
                path,
                None,
                f"glossary is {source_lang}→{target_lang}, vertaal needs nl→en",
                "set 'Language: en' and 'X-Source-Language: nl' in the header",
            )
        )
    return Glossary(entries=entries, path=path, metadata=metadata, header=po.header or "")


def default_glossary_path() -> Path:
    """The glossary shipped with vertaal: news terminology (``glossary/news.nl-en.po``)."""
    return Path(__file__).resolve().parent / "news.nl-en.po"


def new_glossary(path: Path | None = None) -> Glossary:
    """An empty glossary with the standard header."""
    return Glossary(path=path)


def load_or_new(path: Path) -> Glossary:
    """Load ``path`` if it exists, else an empty glossary that will be saved there."""
    return load_glossary(path) if Path(path).exists() else new_glossary(Path(path))


def merge_glossaries(glossaries: Sequence[Glossary]) -> Glossary:
    """One glossary from several; for the same term and context the later glossary wins."""
    merged: dict[tuple[str, str], GlossaryEntry] = {}
    for glossary in glossaries:
        for entry in glossary.entries:
            merged.pop(entry.key, None)  # re-insert so the winner keeps the later position
            merged[entry.key] = entry
    metadata: dict[str, Any] = {}
    for glossary in glossaries:
        metadata.update(glossary.metadata)
    return Glossary(entries=list(merged.values()), path=None, metadata=metadata)


def lock_path(path: Path) -> Path:
    """The sidecar lock file guarding edits of ``path``."""
    path = Path(path)
    return path.with_name(path.name + ".lock")


@contextmanager
def edit_glossary(path: Path, create: bool = True, timeout: float = 30.0) -> Iterator[Glossary]:
    """Lock ``path``, load it, let the caller change it, and save it atomically.

    The lock (a sidecar ``.lock`` file, :mod:`filelock`) is held from reading to
    writing, so concurrent editors serialise and none loses another's change.
    Nothing is written when the block raises.
    """
    from filelock import FileLock, Timeout

    path = Path(path)
    if not create and not path.exists():
        raise GlossaryError(located(path, None, "no such glossary file"))
    if not path.parent.exists():
        raise GlossaryError(located(path, None, "directory does not exist"))
    lock = FileLock(str(lock_path(path)), timeout=timeout)
    try:
        with lock:
            glossary = load_or_new(path)
            before = glossary.to_po_text() if path.exists() else None
            yield glossary
            if glossary.to_po_text() != before:
                glossary.save(path)
    except Timeout:
        raise GlossaryError(
            located(path, None, "glossary is locked by another process", "try again")
        ) from None
