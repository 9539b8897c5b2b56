"""Changes to a glossary file: approving proposals, merging imported terms, adding proposals.

Each function takes the :class:`~glossary.store.Glossary` that
:func:`glossary.store.edit_glossary` holds locked and changes it in memory;
``edit_glossary`` writes it back only when the block finishes without an
error, so a refused change leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from glossary.store import FUZZY, Glossary, GlossaryEntry
from translate.errors import GlossaryError, located


def approve(glossary: Glossary, sources: Sequence[str], every: bool = False) -> list[GlossaryEntry]:
    """Remove ``fuzzy`` from the entries for ``sources`` (all fuzzy entries with ``every``).

    Raises :class:`GlossaryError` when an entry to approve has no English
    target, or a named term has no fuzzy entry; nothing is changed then.
    """
    wanted = {s.casefold() for s in sources}
    approved: list[GlossaryEntry] = []
    changed = list(glossary.entries)
    for index, entry in enumerate(changed):
        if entry.fuzzy and (every or entry.source.casefold() in wanted):
            if not entry.english.strip():
                raise GlossaryError(
                    located(
                        glossary.path or "<glossary>",
                        entry.line,
                        f"{entry.source!r} has no English target",
                        "give it an English target first",
                    )
                )
            changed[index] = entry.with_flags(remove=[FUZZY])
            approved.append(entry)
    missing = wanted - {e.source.casefold() for e in approved}
    if missing:
        raise GlossaryError(
            located(
                glossary.path or "<glossary>",
                None,
                f"no fuzzy term {', '.join(sorted(missing))!s}",
                "only fuzzy (proposed) terms can be approved",
            )
        )
    glossary.entries = changed
    return approved


@dataclass(frozen=True)
class MergeResult:
    """What :func:`merge_entries` did."""

    added: int
    replaced: int
    kept: int
    """Entries that exist already and were left as they were (no ``replace_existing``)."""


def merge_entries(
    glossary: Glossary, entries: Iterable[GlossaryEntry], replace_existing: bool = False
) -> MergeResult:
    """Add ``entries`` (imported from CSV/TSV/TBX/PO) to ``glossary``.

    An entry for a term and context the glossary has already replaces it only
    with ``replace_existing``; otherwise the existing one is kept. Line numbers
    of the imported file are dropped (they name another file).
    """
    added = replaced = kept = 0
    for entry in entries:
        clean = replace(entry, line=None)
        exists = any(e.key == clean.key for e in glossary.entries)
        if exists and not replace_existing:
            kept += 1
            continue
        glossary.add(clean, replace_existing=True)
        if exists:
            replaced += 1
        else:
            added += 1
    return MergeResult(added=added, replaced=replaced, kept=kept)


def add_proposals(glossary: Glossary, proposals: Iterable[GlossaryEntry]) -> int:
    """Add fuzzy ``proposals`` for terms the glossary lacks; returns how many were added."""
    added = 0
    for entry in proposals:
        if glossary.find(entry.source):
            continue
        glossary.add(entry.with_flags(add=[FUZZY]))
        added += 1
    return added
