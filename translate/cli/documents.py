"""The document part of ``vertaal translate``: plan outputs, translate, write atomically."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from translate.errors import InputError


@dataclass(frozen=True)
class DocumentJob:
    """One document to translate: where it is, its format, and where it goes (None: stdout)."""

    source: Path
    format: str
    target: Path | None


def plan_documents(
    files: tuple[str, ...], output: str | None, fmt: str | None
) -> list[DocumentJob] | None:
    """The documents among ``files``, or None when they are plain text (the text path).

    Mixing documents and text files, a binary document to stdout, or an
    output that would overwrite its input are usage errors, found before the
    model loads.
    """
    from translate.documents import FORMATS, document_format_for
    from translate.fileio import names_directory

    if not files or "-" in files:
        if fmt:
            raise click.UsageError(
                "--format needs FILE arguments (documents are not read from stdin)"
            )
        return None
    formats = [fmt or document_format_for(name) for name in files]
    if not any(formats):
        return None
    if not all(formats):
        raise click.UsageError("translate documents and text files in separate commands")
    jobs: list[DocumentJob] = []
    if output is None and len(files) > 1:
        raise click.UsageError("several documents need -o DIRECTORY")
    target = Path(output) if output else None
    for name, kind in zip(files, formats, strict=True):
        assert kind is not None
        source = Path(name)
        if source.is_dir():
            raise InputError(f"{name}: is a directory; use `vertaal batch` for directories")
        destination: Path | None
        if target is None:
            if FORMATS[kind].binary:
                raise click.UsageError(f"{name}: a {kind} document needs -o FILE")
            destination = None
        elif len(files) == 1 and not target.is_dir() and not names_directory(str(output)):
            destination = target
        else:
            destination = target / source.name
        if destination is not None and destination.resolve() == source.resolve():
            raise click.UsageError(f"{name}: output would overwrite the input")
        jobs.append(DocumentJob(source, kind, destination))
    return jobs


def translate_documents(
    jobs: list[DocumentJob], engine: Any, enforcer: Any, overwrite: bool
) -> list[Any]:
    """Translate each document and write it; returns the engine's sentence records."""
    from translate.documents import DocumentOptions, EngineTranslator, translate_document
    from translate.fileio import atomic_write

    translator = EngineTranslator(engine, enforcer)
    options = DocumentOptions(overwrite=overwrite)
    for job in jobs:
        notes: list[str] = []
        data = translate_document(job.source, job.format, translator, options=options, notes=notes)
        for note in notes:
            click.echo(f"note: {note}", err=True)
        if job.target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            atomic_write(job.target, _writer(data), error=InputError)
    return translator.segments


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda temporary: temporary.write_bytes(data)
