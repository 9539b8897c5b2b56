"""Checks on a glossary: what would make enforcement wrong or surprising."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from glossary.match import Matcher
from glossary.store import KNOWN_FLAGS, PLURAL_PREFIX, POS_PREFIX, Glossary, GlossaryEntry

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class LintIssue:
    """One finding; ``error`` findings make ``vertaal glossary lint`` exit 1."""

    severity: str
    line: int | None
    message: str
    path: Path | None = None

    def format(self) -> str:
        """``file:line: severity: message``."""
        where = f"{self.path or '<glossary>'}" + (f":{self.line}" if self.line else "")
        return f"{where}: {self.severity}: {self.message}"


def _precedence_issues(
    entries: list[GlossaryEntry], add: Callable[[str, GlossaryEntry, str], None]
) -> None:
    """Entries that another entry takes precedence over (see glossary.match), and
    terms whose domains disagree."""
    by_term: dict[str, list[GlossaryEntry]] = defaultdict(list)
    for entry in entries:
        by_term[entry.source.casefold()].append(entry)
    for same in by_term.values():
        if len(same) < 2:
            continue
        for entry in same:
            for other in same:
                if (
                    other.case_sensitive
                    and not entry.case_sensitive
                    and (other.context or "") == (entry.context or "")
                ):
                    add(
                        WARNING,
                        entry,
                        f"{entry.source!r} is shadowed where spelled {other.source!r}: "
                        f"case-sensitive {other.describe()!r} (line {other.line}) wins there",
                    )
        contexts = {e.context: e.english for e in same if e.context}
        if len(set(contexts.values())) > 1:
            first = same[0]
            names = ", ".join(repr(c) for c in sorted(c for c in contexts if c))
            add(
                WARNING,
                first,
                f"{first.source!r} has different targets in domains {names}; "
                "choose the domain when translating",
            )


def lint_glossary(glossary: Glossary, corpus: Iterable[str] | None = None) -> list[LintIssue]:
    """Duplicates, conflicting or empty targets, bad flags, fuzzy entries, terms that match nothing,
    and entries shadowed by another one (a case-sensitive ``Kat`` over a plain ``kat``).

    Without ``corpus`` an entry "matches nothing" when its own term is taken
    by another entry (it could never apply); with a corpus (lines of Dutch
    text) when it occurs nowhere in it.
    """
    issues: list[LintIssue] = []
    path = glossary.path

    def add(severity: str, entry: GlossaryEntry, message: str) -> None:
        issues.append(LintIssue(severity, entry.line, message, path))

    by_key: dict[tuple[str, str, str], list[GlossaryEntry]] = defaultdict(list)
    for entry in glossary.entries:
        by_key[entry.key].append(entry)
    for entries in by_key.values():
        first = entries[0]
        for other in entries[1:]:
            if other.english == first.english:
                add(ERROR, other, f"duplicate of {first.describe()!r} (line {first.line})")
            else:
                add(
                    ERROR,
                    other,
                    f"conflicting targets for {other.source!r}: {first.english!r} "
                    f"(line {first.line}) and {other.english!r}",
                )
    _precedence_issues(glossary.entries, add)
    for entry in glossary.entries:
        if not entry.english.strip():
            add(
                WARNING if entry.fuzzy else ERROR,
                entry,
                f"empty English target for {entry.source!r}",
            )
        elif entry.english != entry.english.strip():
            add(ERROR, entry, f"target {entry.english!r} has surrounding spaces")
        if entry.fuzzy:
            add(WARNING, entry, f"fuzzy (not approved, not enforced): {entry.describe()}")
        for flag in entry.flags:
            if flag not in KNOWN_FLAGS and not flag.startswith((PLURAL_PREFIX, POS_PREFIX)):
                add(WARNING, entry, f"unknown flag {flag!r}")
        if entry.no_translate and entry.target and entry.target != entry.source:
            add(ERROR, entry, f"no-translate term {entry.source!r} has a different target")

    active = glossary.active(include_fuzzy=True)
    matcher = Matcher(active)
    if corpus is None:
        for index, entry in enumerate(active):
            if matcher.entries_in(entry.source) == {index}:
                continue  # only its own forms occur in it: it applies (the usual case, fast)
            found = matcher.find(entry.source)
            if not any(m.entry == entry for m in found):
                taken = ", ".join(repr(m.entry.source) for m in found) or "nothing"
                add(WARNING, entry, f"{entry.source!r} never applies: matched by {taken}")
    else:
        counts: dict[GlossaryEntry, int] = defaultdict(int)
        for line in corpus:
            for match in matcher.find(line):
                counts[match.entry] += 1
        for entry in active:
            if not counts[entry]:
                add(WARNING, entry, f"{entry.source!r} matches nothing in the corpus")
    issues.sort(key=lambda i: (i.line or 0, i.severity))
    return issues


def lint_overrides(earlier: Glossary, later: Glossary) -> list[LintIssue]:
    """Where entries of ``later`` (a user file) take precedence over those of ``earlier``.

    Applied together (``load_glossaries``), a later entry with the same term,
    context and case rule replaces the earlier one, and a case-sensitive
    entry wins over a case-insensitive one where the spelling fits; each is
    reported on the later file's line, naming the earlier entry and its line.
    """
    by_term: dict[str, list[GlossaryEntry]] = defaultdict(list)
    for entry in earlier.entries:
        by_term[entry.source.casefold()].append(entry)
    where = earlier.path or "<glossary>"
    issues = []
    for entry in later.entries:
        for other in by_term.get(entry.source.casefold(), []):
            if (other.context or "") != (entry.context or ""):
                continue
            if other.key == entry.key:
                message = (
                    f"{entry.describe()!r} replaces {other.describe()!r} ({where}:{other.line})"
                )
            elif other.case_sensitive and not entry.case_sensitive:
                message = (
                    f"{entry.source!r} is shadowed where spelled {other.source!r}: "
                    f"case-sensitive {other.describe()!r} ({where}:{other.line}) wins there"
                )
            elif entry.case_sensitive and not other.case_sensitive:
                message = (
                    f"case-sensitive {entry.describe()!r} wins over {other.describe()!r} "
                    f"({where}:{other.line}) where spelled {entry.source!r}"
                )
            else:
                continue
            issues.append(LintIssue(WARNING, entry.line, message, later.path))
    return issues
