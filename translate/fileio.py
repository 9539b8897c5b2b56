"""Reading text files with located errors, and writing files atomically.

Every part of vertaal reads user files (documents, references, glossaries,
corpora) and writes results that must never be left half-written. These two
concerns live here once: a reader that names the file, line and byte of a
decoding problem (and honours byte-order marks and ``-`` for stdin), and a
writer that goes through a temporary file in the target's directory and
renames it into place, writing through links and into FIFOs and devices the
way other Unix tools do.
"""

from __future__ import annotations

import codecs
import errno
import glob
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from translate.errors import InputError, VertaalError, located, option

STDIN = "-"
"""The file name that means standard input (and, for outputs, standard output)."""

# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def is_stdin(path: object) -> bool:
    """Whether ``path`` is ``-``, the name for standard input."""
    return str(path) == STDIN


def display_name(path: object) -> str:
    """``path`` as messages name it (``<stdin>`` for ``-``)."""
    return "<stdin>" if is_stdin(path) else str(path)


def sniff_encoding(data: bytes, encoding: str = "utf-8") -> str:
    """The codec to decode ``data`` with: the one its byte-order mark names, else ``encoding``.

    A UTF-8, UTF-16 or UTF-32 byte-order mark is proof of the encoding (no
    legacy text starts with one), so it wins over ``encoding``; the codec
    returned drops the mark while decoding.
    """
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return codec
    if codecs.lookup(encoding).name == "utf-8":
        return "utf-8-sig"
    return encoding


def decode_text(
    name: object,
    data: bytes,
    encoding: str = "utf-8",
    *,
    error: type[VertaalError] = InputError,
    what: str = "",
    fix: str = f"pass {option('encoding')}, e.g. {option('encoding')} latin-1",
) -> str:
    """Decode ``data`` read from ``name``, refusing binary data and invalid text.

    The encoding is ``encoding`` unless the data starts with a byte-order mark
    (see :func:`sniff_encoding`); the mark itself is never part of the text.
    Raises ``error`` with the line and byte offset of the first NUL byte or
    undecodable byte; ``what`` (e.g. ``"reference "``) prefixes the problem and
    ``fix`` is the suggested remedy.
    """
    name = display_name(name)
    codec = sniff_encoding(data, encoding)
    codec_name = codecs.lookup(codec).name
    nul = data.find(b"\x00")
    # UTF-16 and UTF-32 text contains NUL bytes; in any other encoding they mean binary data
    if nul >= 0 and not codec_name.startswith(("utf-16", "utf-32")):
        line = data.count(b"\n", 0, nul) + 1
        raise error(
            located(
                name, line, f"{what}binary data (NUL byte at byte offset {nul})", "give a text file"
            )
        )
    try:
        return data.decode(codec)
    except UnicodeDecodeError as problem:
        before = data[: problem.start].decode(codec, errors="replace")
        line = before.count("\n") + 1
        bad = data[problem.start : problem.start + 1].hex()
        shown = encoding if codec_name in ("utf-8", "utf-8-sig") else codec_name
        raise error(
            located(
                name,
                line,
                f"{what}not valid {shown} (byte 0x{bad} at byte offset {problem.start})",
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
) -> str:
    """Read and decode the text file ``path`` (see :func:`read_bytes` and :func:`decode_text`)."""
    data = read_bytes(path, error=error, what=what, missing_fix=missing_fix)
    return decode_text(path, data, encoding, error=error, what=what, fix=fix)


def read_bytes(
    path: Path,
    *,
    error: type[VertaalError] = InputError,
    what: str = "",
    missing_fix: str = "check the path",
) -> bytes:
    """The contents of ``path`` (standard input for ``-``); problems raise ``error``.

    A missing file, a directory or an unreadable file raise ``error`` naming the
    path; ``what`` prefixes the problem and ``missing_fix`` is the remedy
    suggested for a missing file (e.g. how to create it).
    """
    try:
        if is_stdin(path):
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error(located(path, None, f"{what}file not found", missing_fix)) from None
    except IsADirectoryError:
        raise error(located(path, None, f"{what}is a directory", "give a text file")) from None
    except OSError as problem:
        where = display_name(path)
        raise error(located(where, None, f"{what}cannot read ({problem.strerror})")) from None


def names_directory(text: str) -> bool:
    """Whether an output path given as ``text`` says it is a directory (a trailing slash)."""
    return text.endswith(("/", os.sep)) or (os.altsep is not None and text.endswith(os.altsep))


def atomic_write(
    target: Path,
    write: Callable[[Path], object],
    *,
    error: type[VertaalError] | None = None,
) -> None:
    """Write ``target`` through ``write(path)`` so that no reader ever sees half a file.

    What happens depends on what ``target`` is, as with other Unix tools:

    * a regular file (or none yet): ``write`` fills a temporary file in the
      same directory, which is flushed to disk and renamed over ``target``; it
      keeps the permissions of the file it replaces and is removed if anything
      fails, and temporaries a killed earlier write left are cleared first;
    * a symbolic link: the file it points to is replaced that way, and the
      link stays a link;
    * a FIFO or a character device (``/dev/stdout``, a terminal, ``/dev/full``):
      ``write`` writes into it directly; the node is never replaced;
    * a directory, block device or socket: refused.

    With ``error``, an :class:`OSError` (no permission, disk full, a parent that
    is a file) becomes that exception, naming ``target``.
    """
    target = Path(target)
    try:
        destination = _real_target(target)
        if _is_special(destination):
            write(destination)
        else:
            _write_through_temporary(destination, write)
    except OSError as problem:
        if error is None:
            raise
        reason = problem.strerror or str(problem)
        raise error(located(target, None, f"cannot write ({reason})")) from None


def _real_target(target: Path) -> Path:
    """``target`` with symbolic links followed (a dangling link names the file to create)."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _is_special(target: Path) -> bool:
    """True for a FIFO or character device; raises for what must not be written at all."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISREG(mode):
        return False
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    kind = "a block device" if stat.S_ISBLK(mode) else "not a regular file"
    raise OSError(errno.EINVAL, f"{kind}; refusing to replace it", str(target))


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
