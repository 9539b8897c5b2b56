"""Reference corpora: a Dutch source document with one or more English references.

A corpus is a directory ``<name>/`` holding ``source.nl.txt`` (the document,
blank lines between paragraphs allowed) and ``ref-*.en.txt`` files, each with
exactly one line per non-empty source line. Corpora are found by name in the
directories listed in ``$VERTAAL_CORPORA`` (separated by ``os.pathsep``) and in
the project's ``corpora/`` directory, or by path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from translate.errors import ScoringError, located
from translate.scoring.textfiles import read_document, read_lines, split_lines

SOURCE_NAME = "source.nl.txt"
REFERENCE_GLOB = "ref-*.en.txt"
DEFAULT_CORPUS = "nos-article"
CORPORA_ENV = "VERTAAL_CORPORA"


@dataclass(frozen=True)
class Corpus:
    """A validated corpus; every reference stream is aligned with :attr:`segments`."""

    name: str
    path: Path
    source_path: Path
    reference_paths: tuple[Path, ...]
    source_text: str
    """The whole source document, layout included (what gets translated)."""
    segments: tuple[str, ...]
    """The non-empty source lines, right-stripped: the units that are scored."""
    references: tuple[tuple[str, ...], ...]
    """Reference streams: ``references[k][i]`` is reference ``k`` of segment ``i``."""

    @property
    def reference_names(self) -> list[str]:
        """Short names of the references (``a``, ``b`` for ``ref-a.en.txt``, ``ref-b.en.txt``)."""
        return [path.name[len("ref-") : -len(".en.txt")] for path in self.reference_paths]


def project_corpora_dir() -> Path:
    """The ``corpora/`` directory next to the ``translate`` package (a source checkout)."""
    return Path(__file__).resolve().parent.parent.parent / "corpora"


def corpora_dirs() -> list[Path]:
    """Directories searched for corpora by name, in order."""
    extra = [Path(part) for part in os.environ.get(CORPORA_ENV, "").split(os.pathsep) if part]
    return [*extra, project_corpora_dir()]


def available_corpora() -> dict[str, Path]:
    """Every corpus that can be named, mapped to its directory (first directory wins)."""
    found: dict[str, Path] = {}
    for directory in corpora_dirs():
        if not directory.is_dir():
            continue
        for child in sorted(directory.iterdir()):
            if (child / SOURCE_NAME).is_file() and child.name not in found:
                found[child.name] = child
    return found


def find_corpus(spec: str | Path | None) -> Path:
    """Resolve a corpus name or directory to a directory (``None`` = the default corpus)."""
    text = str(spec) if spec is not None else DEFAULT_CORPUS
    as_path = Path(text).expanduser()
    if as_path.is_dir():
        return as_path
    if as_path.is_file() and as_path.name == SOURCE_NAME:
        return as_path.parent
    known = available_corpora()
    if text in known:
        return known[text]
    names = ", ".join(known) or "none"
    raise ScoringError(
        f"no corpus named or at {text!r} (available: {names}); give a directory holding "
        f"{SOURCE_NAME} and {REFERENCE_GLOB}"
    )


def load_corpus(spec: str | Path | None = None) -> Corpus:
    """Find, read and validate a corpus.

    Raises :class:`ScoringError` with file and line when a file is missing,
    unreadable, or when a reference is not aligned with the source's non-empty lines.
    """
    directory = find_corpus(spec)
    source_path = directory / SOURCE_NAME
    if not source_path.is_file():
        raise ScoringError(
            located(source_path, None, "corpus has no source file", f"add {SOURCE_NAME}")
        )
    reference_paths = tuple(sorted(directory.glob(REFERENCE_GLOB)))
    if not reference_paths:
        raise ScoringError(
            located(directory, None, "corpus has no references", f"add {REFERENCE_GLOB} files")
        )
    source_text = read_document(source_path, "source")
    source_lines = split_lines(source_text)
    segments = tuple(line for line in source_lines if line.strip())
    references: list[tuple[str, ...]] = []
    for path in reference_paths:
        lines = read_lines(path, "reference")
        for number, text in enumerate(lines, 1):
            if not text.strip():
                raise ScoringError(
                    located(
                        path,
                        number,
                        "blank line in reference",
                        "give one line per non-empty source line, no paragraph breaks",
                    )
                )
        if len(lines) != len(segments):
            where = min(len(lines), len(segments)) + (0 if len(lines) < len(segments) else 1)
            raise ScoringError(
                located(
                    path,
                    max(where, 1),
                    f"reference has {len(lines)} lines but {source_path} has "
                    f"{len(segments)} non-empty lines",
                    "give one reference line per non-empty source line",
                )
            )
        references.append(tuple(lines))
    return Corpus(
        name=directory.resolve().name,
        path=directory,
        source_path=source_path,
        reference_paths=reference_paths,
        source_text=source_text,
        segments=segments,
        references=tuple(references),
    )
