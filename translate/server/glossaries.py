"""The glossaries a server enforces, chosen per request by name or given inline.

The server's *default* glossary is the shipped one plus every ``--glossary``
file (later files win), restricted to ``--domain`` when given. A request may
name another: ``none``, ``default``, the shipped glossary (``news``), the stem
of a ``--glossary`` file, or a domain (a ``msgctxt`` of the default
glossary). Inline ``terms`` are merged over the chosen glossary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossary.enforce import Enforcer
from glossary.store import (
    Glossary,
    GlossaryEntry,
    default_glossary_path,
    load_glossary,
    merge_glossaries,
)
from translate.errors import GlossaryError, option

NO_GLOSSARY = "none"
DEFAULT = "default"
MAX_INLINE_TERMS = 500
MAX_TERM_CHARS = 200


class GlossaryRequestError(ValueError):
    """A request's ``glossary`` or ``terms`` field that cannot be used (answered with 400)."""


@dataclass(frozen=True)
class GlossaryChoice:
    """The enforcer for one request and what to call it in the response."""

    name: str
    enforcer: Enforcer | None
    version: str
    """Content version for the translation cache (``none`` without a glossary)."""


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".po", ".nl-en"):
        name = name.removesuffix(suffix)
    return name


def _restricted(glossary: Glossary, domains: Sequence[str]) -> Glossary:
    """Entries without a domain plus those of ``domains`` (all entries when none given)."""
    if not domains:
        return glossary
    wanted = set(domains)
    entries = [e for e in glossary.entries if e.context is None or e.context in wanted]
    return Glossary(entries=entries, metadata=dict(glossary.metadata))


def _choice(name: str, glossary: Glossary | None, include_fuzzy: bool) -> GlossaryChoice:
    if glossary is None or not glossary.active(include_fuzzy):
        return GlossaryChoice(name, None, NO_GLOSSARY)
    version = f"{glossary.version}{'+fuzzy' if include_fuzzy else ''}"
    return GlossaryChoice(name, Enforcer(glossary, include_fuzzy=include_fuzzy), version)


class GlossaryCatalog:
    """Named glossaries loaded at start-up, and enforcers for request-given terms."""

    def __init__(
        self,
        paths: Sequence[Path] = (),
        *,
        use_default: bool = True,
        domains: Sequence[str] = (),
        include_fuzzy: bool = False,
    ) -> None:
        """Load every glossary now, so a broken file stops the server before it listens."""
        self.include_fuzzy = include_fuzzy
        files: dict[str, Glossary] = {}
        if use_default:
            files[_stem(default_glossary_path())] = load_glossary(default_glossary_path())
        for path in paths:
            files[_stem(Path(path))] = load_glossary(path)
        merged = merge_glossaries(list(files.values())) if files else None
        for domain in domains:
            if merged is None or not any(e.context == domain for e in merged.entries):
                known = sorted({e.context for e in merged.entries if e.context}) if merged else []
                raise GlossaryError(
                    f"{option('domains')} {domain}: no glossary entry has this domain",
                    f"known domains: {', '.join(known) or 'none'}",
                )
        self._glossaries: dict[str, Glossary] = dict(files)
        if merged is not None:
            for domain in sorted({e.context for e in merged.entries if e.context}):
                self._glossaries.setdefault(domain, _restricted(merged, [domain]))
        default = _restricted(merged, domains) if merged is not None else None
        self.default = _choice(DEFAULT, default, include_fuzzy)
        self._default_glossary = default
        self._choices: dict[str, GlossaryChoice] = {
            DEFAULT: self.default,
            NO_GLOSSARY: GlossaryChoice(NO_GLOSSARY, None, NO_GLOSSARY),
        }
        for name, glossary in self._glossaries.items():
            self._choices.setdefault(name, _choice(name, glossary, include_fuzzy))

    @property
    def names(self) -> list[str]:
        """Names a request may give in its ``glossary`` field."""
        return list(self._choices)

    def choose(self, name: str | None, terms: Any = None) -> GlossaryChoice:
        """The glossary named ``name`` (default when None), with inline ``terms`` over it."""
        key = DEFAULT if name in (None, "") else str(name)
        choice = self._choices.get(key)
        if choice is None:
            raise GlossaryRequestError(
                f"unknown glossary {key!r}; this server has: {', '.join(self.names)}"
            )
        if terms is None or terms == []:
            return choice
        entries = _inline_entries(terms)
        base = self._default_glossary if key == DEFAULT else self._glossaries.get(key)
        inline = Glossary(entries=entries)
        merged = merge_glossaries([base, inline]) if base is not None else inline
        return _choice(f"{key}+terms", merged, self.include_fuzzy)


def _inline_entries(terms: Any) -> list[GlossaryEntry]:
    """Validate ``[{"source": ..., "target": ...}, ...]`` into glossary entries."""
    if not isinstance(terms, list):
        raise GlossaryRequestError('terms must be a list of {"source": ..., "target": ...}')
    if len(terms) > MAX_INLINE_TERMS:
        raise GlossaryRequestError(f"too many terms ({len(terms)}); at most {MAX_INLINE_TERMS}")
    entries: list[GlossaryEntry] = []
    seen: set[str] = set()
    for number, item in enumerate(terms, 1):
        if not isinstance(item, dict):
            raise GlossaryRequestError(f'terms[{number}] must be {{"source": ..., "target": ...}}')
        source, target = item.get("source"), item.get("target")
        if not isinstance(source, str) or not isinstance(target, str):
            raise GlossaryRequestError(f"terms[{number}]: source and target must be strings")
        source, target = source.strip(), target.strip()
        if not source or not target or "\n" in source + target:
            raise GlossaryRequestError(
                f"terms[{number}]: source and target must be non-empty single lines"
            )
        if len(source) > MAX_TERM_CHARS or len(target) > MAX_TERM_CHARS:
            raise GlossaryRequestError(f"terms[{number}]: longer than {MAX_TERM_CHARS} characters")
        if source.casefold() in seen:
            raise GlossaryRequestError(f"terms[{number}]: {source!r} is given twice")
        seen.add(source.casefold())
        entries.append(GlossaryEntry(source=source, target=target))
    return entries
