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
  ``pos:<part of speech>``
      the part of speech (``pos:noun``), as TBX termbases give it; informative.

Precedence, when several entries could apply to the same words:

1. the longest match wins (``Verenigde Naties`` over ``Naties``);
2. for the same words, an entry of a chosen domain (``--domain``) wins over
   one without a context;
3. then a ``case-sensitive`` entry wins over a case-insensitive one
   (``Kat`` over ``kat`` where the text says ``Kat``; both stay entries);
4. then the exact form over an inflected or case-folded one;
5. then the later glossary file over the earlier (user files over the shipped
   one); for the same term, context and case rule a later file *replaces* the
   entry of an earlier one (:func:`load_glossaries`).

``vertaal glossary lint`` warns where an entry is shadowed this way.

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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from glossary.po_check import parse_po
from translate.errors import GlossaryError, located, option
from translate.fileio import atomic_write_text, read_text
from translate.languages import SOURCE_LANGUAGE, TARGET_LANGUAGE

WRAP_WIDTH = 78
"""Line width for PO output; fixed so that saves never re-wrap (no churn)."""

FUZZY = "fuzzy"
NO_TRANSLATE = "no-translate"
CASE_SENSITIVE = "case-sensitive"
NO_COMPOUND = "no-compound"
CLOSED_COMPOUND = "closed-compound"
NO_ARTICLE = "no-article"
PLURAL_PREFIX = "plural:"
POS_PREFIX = "pos:"
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
    def key(self) -> tuple[str, str, str]:
        """Identity within a glossary: case-folded term, context, and the exact spelling of a
        case-sensitive term (a case-sensitive ``Kat`` and a plain ``kat`` are two entries)."""
        exact = self.source if self.case_sensitive else ""
        return (self.source.casefold(), self.context or "", exact)

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
    sources: tuple[Path, ...] = ()
    """The files this glossary was loaded and merged from, in precedence order (lowest first)."""
    _version: tuple[int, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def version(self) -> str:
        """A hash of the content (entries and metadata): changes whenever the glossary does."""
        # rendering a large glossary takes a while; the hash of the entries tells whether it changed
        fingerprint = hash((tuple(self.entries), tuple(sorted(self.metadata.items())), self.header))
        if self._version is None or self._version[0] != fingerprint:
            text = self.to_po_text().encode("utf-8")
            self._version = (fingerprint, hashlib.sha256(text).hexdigest()[:16])
        return self._version[1]

    @property
    def label(self) -> str:
        """The files it came from, for reports (``<glossary>`` when built in memory)."""
        files = self.sources or ((self.path,) if self.path else ())
        return ", ".join(_display_path(p) for p in files) or "<glossary>"

    def domains(self) -> list[str]:
        """The contexts (msgctxt) used by its entries, sorted."""
        return sorted({e.context for e in self.entries if e.context})

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
        if flag.startswith(PLURAL_PREFIX) and not flag[len(PLURAL_PREFIX) :].strip():
            raise GlossaryError(
                located(
                    where,
                    entry.line,
                    f"empty 'plural:' flag on {entry.source!r}",
                    "write plural:<English plural> or remove the flag",
                )
            )


def load_glossary(path: Path | str) -> Glossary:
    """Read a PO glossary; raises :class:`GlossaryError` naming file and line on bad input."""
    path = Path(path)
    text = read_text(
        path,
        error=GlossaryError,
        what="glossary ",
        fix="save the glossary as UTF-8",
        missing_fix="check the path or create it with add",
    )
    po = parse_po(path, text)
    entries = []
    for po_entry in po.entries:
        if po_entry.obsolete:
            continue
        if po_entry.msgid_plural:
            raise GlossaryError(
                located(
                    path,
                    po_entry.line,
                    f"plural entry {po_entry.msgid!r} is not supported",
                    "use one entry and a 'plural:<English plural>' flag",
                )
            )
        entry = GlossaryEntry(
            source=po_entry.msgid,
            target=po_entry.msgstr,
            context=po_entry.msgctxt or None,
            flags=tuple(f for f in po_entry.flags if f),
            notes=po_entry.tcomment,
            line=po_entry.line,
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
    return Glossary(
        entries=entries, path=path, metadata=metadata, header=po.header or "", sources=(path,)
    )


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
    """One glossary from several; for the same term and context the later glossary wins.

    The merged entries keep precedence order: an entry later in the list wins a
    tie in matching (see :mod:`glossary.match`).
    """
    merged: dict[tuple[str, str, str], GlossaryEntry] = {}
    for glossary in glossaries:
        for entry in glossary.entries:
            merged.pop(entry.key, None)  # re-insert so the winner keeps the later position
            merged[entry.key] = entry
    metadata: dict[str, Any] = {}
    for glossary in glossaries:
        metadata.update(glossary.metadata)
    sources = tuple(p for glossary in glossaries for p in glossary.sources)
    return Glossary(entries=list(merged.values()), path=None, metadata=metadata, sources=sources)


def select_domains(glossary: Glossary, domains: Sequence[str] | None) -> Glossary:
    """The entries that apply for the chosen msgctxt ``domains``.

    With domains: the entries without a context plus those of the chosen
    domains (a chosen domain's entry then wins over a context-free one for the
    same words, see :mod:`glossary.match`). Without: every domain applies,
    except that for a term that also has an entry without a context, that
    general entry applies and the domain entries wait to be chosen.

    Raises :class:`GlossaryError` for a domain no entry has (a typo would
    otherwise silently select nothing).
    """
    if not domains:
        general = {e.source.casefold() for e in glossary.entries if e.context is None}
        kept = [
            e for e in glossary.entries if e.context is None or e.source.casefold() not in general
        ]
        return glossary if len(kept) == len(glossary.entries) else replace(glossary, entries=kept)
    known = set(glossary.domains())
    unknown = [d for d in domains if d not in known]
    if unknown:
        have = ", ".join(sorted(known)) or "none"
        raise GlossaryError(
            located(
                glossary.label,
                None,
                f"no entries in domain {', '.join(map(repr, unknown))}",
                f"domains in these glossaries: {have}",
            )
        )
    wanted = set(domains)
    return replace(
        glossary, entries=[e for e in glossary.entries if e.context is None or e.context in wanted]
    )


def load_glossaries(
    paths: Sequence[Path | str] = (),
    default: bool = True,
    domains: Sequence[str] | None = None,
) -> Glossary:
    """The one place where the shipped glossary and user files become the glossary a run applies.

    The shipped news glossary comes first (``default``), then ``paths`` in
    order. For the same term and context a later file replaces an earlier
    one (user files over the shipped one). ``domains`` selects msgctxt
    domains: entries without a context always apply, entries with one when
    their domain is chosen; ``None`` applies every domain where no entry
    without a context gives the same term (:func:`select_domains`). The result's
    :attr:`Glossary.version` is the content hash that keys translation caches
    and batch journals.
    """
    files = ([default_glossary_path()] if default else []) + [Path(p) for p in paths]
    loaded = [load_glossary(path) for path in files]
    if not loaded:
        return Glossary(metadata={})
    merged = loaded[0] if len(loaded) == 1 else merge_glossaries(loaded)
    return select_domains(merged, list(dict.fromkeys(domains or ())))


def _display_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
