"""A persistent translation cache: source sentence → translation, in SQLite.

Entries live in a *namespace* derived from everything that changes a
translation besides the sentence itself (model id, glossary version,
decoding options), so a new model or an edited glossary never serves stale
output. The file defaults to ``$XDG_CACHE_HOME/vertaal/cache.sqlite``; several
processes may share it (WAL journal, busy timeout).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import BatchError, option

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    namespace TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    terms INTEGER NOT NULL,
    terms_verified INTEGER NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (namespace, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS namespaces (
    namespace TEXT PRIMARY KEY,
    model_id TEXT NOT NULL,
    glossary_version TEXT NOT NULL,
    options TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class SentenceResult:
    """A translated sentence with the glossary terms found in it and how many were verified."""

    output: str
    terms: int = 0
    terms_verified: int = 0


@dataclass(frozen=True)
class CacheStats:
    """What ``vertaal cache stats`` shows."""

    path: Path
    exists: bool
    entries: int
    size_bytes: int
    models: list[tuple[str, int]]
    """(model id, entries) pairs, most entries first."""


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/vertaal/cache.sqlite`` (``~/.cache`` when the variable is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vertaal" / "cache.sqlite"


def cache_namespace(model_id: str, glossary_version: str, options: dict[str, object]) -> str:
    """A short stable key for one (model, glossary, options) combination."""
    blob = json.dumps([model_id, glossary_version, options], sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


class TranslationCache:
    """Cached sentence translations in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise BatchError(
                f"{path}: cannot open the translation cache ({error}); "
                f"pass another {option('cache_path')} PATH or {option('no_cache')}"
            ) from None

    def register(
        self, namespace: str, model_id: str, glossary_version: str, options: dict[str, object]
    ) -> None:
        """Record what a namespace stands for (shown by ``vertaal cache stats``)."""
        with self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO namespaces VALUES (?, ?, ?, ?)",
                (namespace, model_id, glossary_version, json.dumps(options, sort_keys=True)),
            )

    def get_many(self, namespace: str, sources: Iterable[str]) -> dict[str, SentenceResult]:
        """The cached results among ``sources``."""
        found: dict[str, SentenceResult] = {}
        unique = list(dict.fromkeys(sources))
        # SQLite limits bound parameters; query in slices.
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                "SELECT source, output, terms, terms_verified FROM entries "
                f"WHERE namespace = ? AND source IN ({marks})",
                (namespace, *batch),
            )
            for source, output, terms, verified in rows:
                found[source] = SentenceResult(output, terms, verified)
        return found

    def put_many(self, namespace: str, items: Sequence[tuple[str, SentenceResult]]) -> None:
        """Store results (one transaction)."""
        now = time.time()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (namespace, source, r.output, r.terms, r.terms_verified, now)
                    for source, r in items
                ],
            )

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()


def cache_stats(path: Path) -> CacheStats:
    """Entries, size and per-model counts of the cache at ``path`` (read-only)."""
    if not path.exists():
        return CacheStats(path, False, 0, 0, [])
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            models = db.execute(
                "SELECT n.model_id, COUNT(*) FROM entries e JOIN namespaces n "
                "USING (namespace) GROUP BY n.model_id ORDER BY COUNT(*) DESC"
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error as error:
        raise BatchError(
            f"{path}: not a readable vertaal cache ({error}); remove it or use vertaal cache clear"
        ) from None
    return CacheStats(path, True, int(entries), size, [(str(m), int(c)) for m, c in models])


def clear_cache(path: Path) -> int:
    """Delete the cache file (and its WAL files); return how many entries it held."""
    try:
        entries = cache_stats(path).entries
    except BatchError:
        entries = 0  # a damaged cache is exactly what clearing is for
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise BatchError(f"{candidate}: cannot remove ({error.strerror})") from None
    return entries
