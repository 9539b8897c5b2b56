"""Reading line-aligned files: sacreBLEU's line semantics and one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.errors import ScoringError
from translate.scoring.textfiles import check_aligned, read_lines, split_lines


@given(st.text(alphabet=st.sampled_from(list("ab \t\r\n\x0c\u2028é")), max_size=40))
def test_split_lines_matches_text_mode_iteration_like_sacrebleu(text: str) -> None:
    # sacreBLEU iterates over a text-mode file and rstrips every line
    expected = [line.rstrip() for line in io.StringIO(text, newline=None)]
    assert split_lines(text) == expected


def test_crlf_and_trailing_spaces_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "h.txt"
    path.write_bytes(b"one  \r\ntwo\r\n")
    assert read_lines(path) == ["one", "two"]


def test_not_utf8_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "h.txt"
    path.write_bytes(b"fine\nalso fine\ncaf" + b"\xe9 au lait\n")
    with pytest.raises(ScoringError) as caught:
        read_lines(path, "hypothesis")
    assert caught.value.message == (
        f"{path}:3: hypothesis not valid utf-8 (byte 0xe9 at byte offset 18); "
        "convert it, e.g. iconv -f windows-1252 -t utf-8 h.txt"
    )


def test_byte_order_mark_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "h.txt"
    path.write_bytes(b"\xef\xbb\xbfone\ntwo\n")
    assert read_lines(path) == ["one", "two"]
    path.write_bytes("one\ntwo\n".encode("utf-16"))
    assert read_lines(path) == ["one", "two"]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(content)
    with pytest.raises(ScoringError, match=r"r\.txt: reference file is empty"):
        read_lines(path, "reference")


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"text\nmore\x00binary\n")
    with pytest.raises(ScoringError) as caught:
        read_lines(path, "reference")
    assert caught.value.message == (
        f"{path}:2: reference binary data (NUL byte at byte offset 9); give a text file"
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScoringError, match="hypothesis file not found"):
        read_lines(tmp_path / "nope.txt", "hypothesis")
    with pytest.raises(ScoringError, match="hypothesis is a directory"):
        read_lines(tmp_path, "hypothesis")


def test_short_reference_points_at_its_last_line() -> None:
    with pytest.raises(ScoringError) as caught:
        check_aligned(["a", "b", "c"], Path("h.txt"), ["a", "b"], Path("r.txt"), "reference")
    assert caught.value.message == (
        "r.txt:2: reference ends at line 2 but h.txt has 3 lines; "
        "give exactly one line per segment in every file"
    )


def test_long_reference_points_at_first_extra_line() -> None:
    with pytest.raises(
        ScoringError, match=r"^r\.txt:3: reference has 3 lines but h\.txt has only 2"
    ):
        check_aligned(["a", "b"], Path("h.txt"), ["a", "b", "c"], Path("r.txt"), "reference")


def test_mismatch_caused_by_blank_lines_suggests_the_flag() -> None:
    with pytest.raises(ScoringError, match="--skip-blank-lines"):
        check_aligned(["a", "", "b"], Path("h.txt"), ["a", "b"], Path("r.txt"), "reference")
