"""Reading text files with located errors, and writing files atomically.

Every part of vertaal reads user files (documents, references, glossaries,
corpora) and writes results that must never be left half-written. These two
concerns live here once: a reader that names the file, line and byte of a
decoding problem, and a writer that goes through a temporary file in the
target's directory and renames it into place.
"""

from __future__ import annotations

import codecs
import glob
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from translate.errors import InputError, VertaalError, located, option


def decode_text(
    name: object,
    data: bytes,
    encoding: str = "utf-8",
    *,
    error: type[VertaalError] = InputError,
    what: str = "",
    fix: str = f"pass {option('encoding')}, e.g. {option('encoding')} latin-1",
    keep_bom: bool = False,
) -> str:
    """Decode ``data`` read from ``name``, refusing binary data and invalid text.

    A UTF-8 byte-order mark is dropped unless ``keep_bom`` (for callers that must
    see the text exactly as another tool reads it). Raises ``error`` with the
    line and byte offset of the first NUL byte or undecodable byte; ``what``
    (e.g. ``"reference "``) prefixes the problem and ``fix`` is the suggested remedy.
    """
    codec_name = codecs.lookup(encoding).name
    nul = data.find(b"\x00")
    # UTF-16 and UTF-32 text contains NUL bytes; in any other encoding they mean binary data
    if nul >= 0 and not codec_name.startswith(("utf-16", "utf-32")):
        line = data.count(b"\n", 0, nul) + 1
        raise error(
            located(
                name, line, f"{what}binary data (NUL byte at byte offset {nul})", "give a text file"
            )
        )
    codec = "utf-8-sig" if codec_name == "utf-8" and not keep_bom else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        bad = data[problem.start : problem.start + 1].hex()
        raise error(
            located(
                name,
                line,
                f"{what}not valid {encoding} (byte 0x{bad} at byte offset {problem.start})",
                fix,
            )
        ) from None


def read_text(
    path: Path,
    encoding: str = "utf-8",
    *,
    error: type[VertaalError] = InputError,
    what: str = "",
    fix: str = f"pass {option('encoding')}, e.g. {option('encoding')} latin-1",
    missing_fix: str = "check the path",
    keep_bom: bool = False,
) -> str:
    """Read and decode the text file ``path`` (see :func:`read_bytes` and :func:`decode_text`)."""
    data = read_bytes(path, error=error, what=what, missing_fix=missing_fix)
    return decode_text(path, data, encoding, error=error, what=what, fix=fix, keep_bom=keep_bom)


def read_bytes(
    path: Path,
    *,
    error: type[VertaalError] = InputError,
    what: str = "",
    missing_fix: str = "check the path",
) -> bytes:
    """The contents of ``path``; a missing file, a directory or an unreadable file raise ``error``.

    The message names the path; ``what`` prefixes the problem and ``missing_fix``
    is the remedy suggested for a missing file (e.g. how to create it).
    """
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error(located(path, None, f"{what}file not found", missing_fix)) from None
    except IsADirectoryError:
        raise error(located(path, None, f"{what}is a directory", "give a text file")) from None
    except OSError as problem:
        raise error(located(path, None, f"{what}cannot read ({problem.strerror})")) from None


def atomic_write(
    target: Path,
    write: Callable[[Path], object],
    *,
    error: type[VertaalError] | None = None,
) -> None:
    """Call ``write(temporary_path)``, flush it to disk, then rename it over ``target``.

    The temporary file sits in the target's directory (a rename within one file
    system is atomic), keeps the permissions of a file it replaces, and is
    removed if anything fails; a reader sees the old file or the new one, never
    a part. Temporaries that a killed earlier write left for the same target
    are removed first, and the rename itself is made durable by syncing the
    directory. With ``error``, an :class:`OSError` (no permission, disk full, a
    parent that is a file) becomes that exception, naming ``target``.
    """
    try:
        _write_through_temporary(Path(target), write)
    except OSError as problem:
        if error is None:
            raise
        reason = problem.strerror or str(problem)
        raise error(located(target, None, f"cannot write ({reason})")) from None


def _write_through_temporary(target: Path, write: Callable[[Path], object]) -> None:
    directory = target.parent if str(target.parent) else Path()
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob(f".{glob.escape(target.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        temporary.chmod(target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make a rename durable (the directory entry), where the platform allows it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # directories cannot be synced on every platform (e.g. Windows)
    finally:
        os.close(descriptor)


def atomic_write_text(
    target: Path,
    text: str,
    encoding: str = "utf-8",
    *,
    error: type[VertaalError] | None = None,
) -> None:
    """Write ``text`` to ``target`` atomically (see :func:`atomic_write`), newlines untranslated."""

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding=encoding, newline="") as handle:
            handle.write(text)

    atomic_write(target, write, error=error)
