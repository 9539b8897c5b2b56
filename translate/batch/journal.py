"""The job journal: which segments of which files are done, in ``OUTDIR/.vertaal-job/``.

A SQLite database in WAL mode. Each chunk of finished units is committed in
one transaction together with its statistics, so after a crash, ``kill -9``
or Ctrl-C the journal holds whole chunks only and a rerun picks up at the
first chunk that is missing. A unit is identified by its file (relative
path and content hash of the whole file) and its position, and also stores
the hash of its own text as a guard. The job's settings (model, glossary,
options) are stored too: a journal written under other settings is never
reused, since its translations would differ from what the command asks for.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import BatchError, option

JOB_DIR = ".vertaal-job"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY,
    source_sha TEXT NOT NULL,
    status TEXT NOT NULL,          -- 'running' | 'done'
    seconds REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS units (
    rel TEXT NOT NULL,
    idx INTEGER NOT NULL,
    text_sha TEXT NOT NULL,
    output TEXT NOT NULL,
    words INTEGER NOT NULL,
    sentences INTEGER NOT NULL,
    model_sentences INTEGER NOT NULL,  -- sentences this unit sent to the model
    cached_sentences INTEGER NOT NULL,
    terms INTEGER NOT NULL,
    terms_verified INTEGER NOT NULL,
    PRIMARY KEY (rel, idx)
) WITHOUT ROWID;
"""


def text_hash(text: str) -> str:
    """Short content hash of a unit's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class UnitRecord:
    """A finished unit as stored in the journal."""

    idx: int
    text_sha: str
    output: str
    words: int
    sentences: int
    model_sentences: int
    cached_sentences: int
    terms: int
    terms_verified: int


@dataclass(frozen=True)
class FileTotals:
    """Sums over a file's finished units."""

    units: int = 0
    words: int = 0
    sentences: int = 0
    model_sentences: int = 0
    cached_sentences: int = 0
    terms: int = 0
    terms_verified: int = 0
    seconds: float = 0.0


class Journal:
    """The job journal of one output directory."""

    def __init__(self, outdir: Path) -> None:
        self.dir = outdir / JOB_DIR
        self.path = self.dir / "journal.sqlite"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed chunk survives power loss, not just a killed process.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise BatchError(
                f"{self.path}: cannot open the job journal ({error}); "
                f"check the output directory or rerun with {option('restart')}"
            ) from None

    @staticmethod
    def exists(outdir: Path) -> bool:
        """Whether ``outdir`` holds a journal from an earlier run."""
        return (outdir / JOB_DIR / "journal.sqlite").exists()

    def settings(self) -> dict[str, str]:
        """The settings the journal was written under ({} when new)."""
        return dict(self._db.execute("SELECT key, value FROM settings").fetchall())

    def reset(self, settings: dict[str, str]) -> None:
        """Forget all progress and start a journal for ``settings``."""
        with self._transaction():
            self._db.execute("DELETE FROM units")
            self._db.execute("DELETE FROM files")
            self._db.execute("DELETE FROM settings")
            self._db.executemany("INSERT INTO settings VALUES (?, ?)", sorted(settings.items()))

    def begin_file(self, rel: str, source_sha: str) -> bool:
        """Register a file; return True when it is already done with the same content.

        A file whose content changed since the journal saw it starts over.
        """
        row = self._db.execute(
            "SELECT source_sha, status FROM files WHERE rel = ?", (rel,)
        ).fetchone()
        if row is not None and row[0] == source_sha:
            return bool(row[1] == "done")
        with self._transaction():
            self._db.execute("DELETE FROM units WHERE rel = ?", (rel,))
            self._db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, 'running', 0)", (rel, source_sha)
            )
        return False

    def done_indices(self, rel: str) -> set[int]:
        """Positions of the units of ``rel`` already finished."""
        return {i for (i,) in self._db.execute("SELECT idx FROM units WHERE rel = ?", (rel,))}

    def record_chunk(self, rel: str, units: Sequence[UnitRecord], seconds: float) -> None:
        """Commit a chunk of finished units in one transaction."""
        with self._transaction():
            self._db.executemany(
                "INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        rel,
                        u.idx,
                        u.text_sha,
                        u.output,
                        u.words,
                        u.sentences,
                        u.model_sentences,
                        u.cached_sentences,
                        u.terms,
                        u.terms_verified,
                    )
                    for u in units
                ],
            )
            self._db.execute("UPDATE files SET seconds = seconds + ? WHERE rel = ?", (seconds, rel))

    def outputs(self, rel: str) -> Iterator[tuple[int, str, str]]:
        """``(idx, text hash, output)`` of a file's units in order, streamed from disk."""
        cursor = self._db.cursor()
        yield from cursor.execute(
            "SELECT idx, text_sha, output FROM units WHERE rel = ? ORDER BY idx", (rel,)
        )

    def finish_file(self, rel: str) -> None:
        """Mark a file done (after its output was written)."""
        with self._transaction():
            self._db.execute("UPDATE files SET status = 'done' WHERE rel = ?", (rel,))

    def totals(self, rel: str) -> FileTotals:
        """Statistics summed over the finished units of ``rel``."""
        row = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(words), 0), COALESCE(SUM(sentences), 0), "
            "COALESCE(SUM(model_sentences), 0), COALESCE(SUM(cached_sentences), 0), "
            "COALESCE(SUM(terms), 0), COALESCE(SUM(terms_verified), 0) FROM units WHERE rel = ?",
            (rel,),
        ).fetchone()
        seconds = self._db.execute(
            "SELECT COALESCE(MAX(seconds), 0) FROM files WHERE rel = ?", (rel,)
        ).fetchone()
        units, words, sentences, model, cached, terms, verified = (int(v) for v in row)
        return FileTotals(
            units, words, sentences, model, cached, terms, verified, float(seconds[0] or 0.0)
        )

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def settings_fingerprint(settings: dict[str, object]) -> dict[str, str]:
    """Settings as stored in the journal (JSON values, stable order)."""
    return {key: json.dumps(value, sort_keys=True) for key, value in settings.items()}
