"""Reading line-aligned text files the way sacreBLEU's command line reads them.

Scores must equal sacreBLEU's own CLI on the same files, so lines are split
exactly as Python's text mode does (universal newlines) and each line is
``rstrip()``-ed, as ``sacrebleu`` does. Every problem becomes a one-line
:class:`~translate.errors.ScoringError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translate.errors import ScoringError, located


def read_lines(path: Path, role: str = "file") -> list[str]:
    """Read ``path`` as UTF-8 and return its lines, right-stripped like sacreBLEU.

    ``role`` names the file in messages ("hypothesis", "reference", "source").
    Raises :class:`ScoringError` for a missing, unreadable, non-UTF-8, binary or
    empty file.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScoringError(located(path, None, f"{role} file not found")) from None
    except IsADirectoryError:
        raise ScoringError(
            located(path, None, f"{role} is a directory", "give a text file")
        ) from None
    except OSError as error:
        raise ScoringError(located(path, None, f"cannot read {role}: {error.strerror}")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise ScoringError(
            located(
                path,
                line,
                f"{role} is not UTF-8 (byte 0x{byte:02x} at column {column})",
                f"convert it, e.g. iconv -f windows-1252 -t utf-8 {path.name}",
            )
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ScoringError(
            located(path, line, f"{role} contains a NUL byte (binary file?)", "give plain text")
        ) from None
    if not text.strip():
        raise ScoringError(
            located(path, None, f"{role} file is empty", "give one segment per line")
        ) from None
    return split_lines(text)


def split_lines(text: str) -> list[str]:
    """Split ``text`` like iterating over a text-mode file, then ``rstrip()`` each line."""
    # Text mode turns \r\n and lone \r into \n; str.splitlines() would also split
    # on form feeds and U+2028, which sacreBLEU keeps inside a line.
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    pieces = normalised.split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()
    return [piece.rstrip() for piece in pieces]


def check_aligned(
    primary: Sequence[str],
    primary_path: Path,
    other: Sequence[str],
    other_path: Path,
    other_role: str,
) -> None:
    """Raise :class:`ScoringError` unless ``other`` has as many lines as ``primary``.

    The message points at the first line where the two files part ways.
    """
    if len(other) == len(primary):
        return
    if len(other) < len(primary):
        line = len(other)
        problem = f"{other_role} ends at line {line} but {primary_path} has {len(primary)} lines"
    else:
        line = len(primary) + 1
        problem = f"{other_role} has {len(other)} lines but {primary_path} has only {len(primary)}"
    fix = "give exactly one line per segment in every file"
    if _nonblank(other) == _nonblank(primary) and len(other) != len(primary):
        fix = "blank lines differ; pass --skip-blank-lines if they only separate paragraphs"
    raise ScoringError(located(other_path, max(line, 1), problem, fix))


def _nonblank(lines: Sequence[str]) -> int:
    return sum(1 for line in lines if line.strip())


def drop_blank(lines: Sequence[str]) -> list[str]:
    """The non-blank lines of ``lines`` (blank lines separate paragraphs, they are not segments)."""
    return [line for line in lines if line.strip()]
