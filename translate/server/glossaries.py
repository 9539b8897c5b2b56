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
    load_glossaries,
    load_glossary,
    merge_glossaries,
    select_domains,
)

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
    """Content version for the translation cache (``none`` without a glossary), as batch keys it."""


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".po", ".nl-en"):
        name = name.removesuffix(suffix)
    return name


def _choice(
    name: str, glossary: Glossary | None, include_fuzzy: bool, protect: bool
) -> GlossaryChoice:
    """The enforcer for ``glossary`` (spans protected when ``protect``), keyed for the cache.

    Without protection the cache version is the one ``vertaal batch`` uses, so
    the two share cached sentences; protection changes outputs, so it is part
    of the version.
    """
    if glossary is None or not glossary.active(include_fuzzy):
        if not protect:
            return GlossaryChoice(name, None, NO_GLOSSARY)
        return GlossaryChoice(name, Enforcer(None, protect=True), f"{NO_GLOSSARY}+protect")
    version = f"{glossary.version}{'+fuzzy' if include_fuzzy else ''}"
    enforcer = Enforcer(glossary, include_fuzzy=include_fuzzy, protect=protect)
    return GlossaryChoice(name, enforcer, version + ("+protect" if protect else ""))


class GlossaryCatalog:
    """Named glossaries loaded at start-up, and enforcers for request-given terms."""

    def __init__(
        self,
        paths: Sequence[Path] = (),
        *,
        use_default: bool = True,
        domains: Sequence[str] = (),
        include_fuzzy: bool = False,
        enabled: bool = True,
        protect: bool = True,
    ) -> None:
        """Load every glossary now, so a broken file stops the server before it listens.

        ``enabled=False`` (``--no-glossary``) makes ``none`` the default; the
        files can still be named by requests. ``protect`` keeps numbers, codes,
        URLs and tags exactly (:mod:`translate.protect`), as ``vertaal translate`` does.
        """
        self.include_fuzzy = include_fuzzy
        self.protect = protect
        everything = load_glossaries(paths, default=use_default)
        default = select_domains(everything, list(domains)) if domains else everything
        self._glossaries: dict[str, Glossary] = {}
        if use_default:
            self._glossaries[_stem(default_glossary_path())] = load_glossary(
                default_glossary_path()
            )
        for path in paths:
            self._glossaries[_stem(Path(path))] = load_glossary(path)
        for domain in everything.domains():
            self._glossaries.setdefault(domain, select_domains(everything, [domain]))
        self._default_glossary = default if enabled and default.entries else None
        self.default = _choice(DEFAULT, self._default_glossary, include_fuzzy, protect)
        self._choices: dict[str, GlossaryChoice] = {
            DEFAULT: self.default,
            NO_GLOSSARY: _choice(NO_GLOSSARY, None, include_fuzzy, protect),
        }
        for name, glossary in self._glossaries.items():
            self._choices.setdefault(name, _choice(name, glossary, include_fuzzy, protect))

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
        return _choice(f"{key}+terms", merged, self.include_fuzzy, self.protect)


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
