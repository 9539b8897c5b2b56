"""Reading line-aligned text files the way sacreBLEU's command line reads them.

Scores must equal sacreBLEU's own CLI on the same files, so lines are split
exactly as Python's text mode does (universal newlines) and each line is
``rstrip()``-ed, as ``sacrebleu`` does. Every problem becomes a one-line
:class:`~translate.errors.ScoringError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translate.errors import ScoringError, located, option
from translate.fileio import display_name, read_text


def read_lines(path: Path, role: str = "file") -> list[str]:
    """Read ``path`` (``-``: stdin) as UTF-8 and return its lines, right-stripped like sacreBLEU.

    ``role`` names the file in messages ("hypothesis", "reference", "source").
    A byte-order mark (UTF-8, or UTF-16/32 text) is not part of the first line.
    Raises :class:`ScoringError` for a missing, unreadable, non-UTF-8, binary or
    empty file.
    """
    return split_lines(read_document(path, role))


def read_document(path: Path, role: str = "file") -> str:
    """The text of ``path`` with newlines as text mode gives them (see :func:`read_lines`)."""
    # sacreBLEU would keep a byte-order mark as part of the first line (and so
    # score a perfect first segment lower); it is not text, so it is dropped here
    text = read_text(
        path,
        error=ScoringError,
        what=f"{role} ",
        fix=f"convert it, e.g. iconv -f windows-1252 -t utf-8 {Path(path).name}",
    )
    if not text.strip():
        raise ScoringError(
            located(display_name(path), None, f"{role} file is empty", "give one segment per line")
        )
    return _universal_newlines(text)


def split_lines(text: str) -> list[str]:
    """Split ``text`` like iterating over a text-mode file, then ``rstrip()`` each line."""
    # str.splitlines() would also split on form feeds and U+2028, which sacreBLEU
    # keeps inside a line.
    pieces = _universal_newlines(text).split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()
    return [piece.rstrip() for piece in pieces]


def _universal_newlines(text: str) -> str:
    """``text`` with \\r\\n and lone \\r turned into \\n, as reading in text mode does."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    primary_name, other_name = display_name(primary_path), display_name(other_path)
    if len(other) < len(primary):
        line = len(other)
        problem = f"{other_role} ends at line {line} but {primary_name} has {len(primary)} lines"
    else:
        line = len(primary) + 1
        problem = f"{other_role} has {len(other)} lines but {primary_name} has only {len(primary)}"
    fix = "give exactly one line per segment in every file"
    if _nonblank(other) == _nonblank(primary) and len(other) != len(primary):
        fix = (
            f"blank lines differ; pass {option('skip_blank_lines')} "
            "if they only separate paragraphs"
        )
    raise ScoringError(located(other_name, max(line, 1), problem, fix))


def _nonblank(lines: Sequence[str]) -> int:
    return sum(1 for line in lines if line.strip())


def drop_blank(lines: Sequence[str]) -> list[str]:
    """The non-blank lines of ``lines`` (blank lines separate paragraphs, they are not segments)."""
    return [line for line in lines if line.strip()]
