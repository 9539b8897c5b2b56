"""Located reading errors and atomic writes (translate/fileio.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.errors import GlossaryError, InputError
from translate.fileio import atomic_write, atomic_write_text, decode_text, read_bytes, read_text


def test_invalid_byte_is_located_by_line_and_offset() -> None:
    data = b"eerste regel\ntweede r" + b"\xe9gel\n"
    with pytest.raises(InputError) as caught:
        decode_text("in.txt", data)
    assert caught.value.message == (
        "in.txt:2: not valid utf-8 (byte 0xe9 at byte offset 21); "
        "pass --encoding, e.g. --encoding latin-1"
    )


def test_nul_byte_means_binary_unless_the_encoding_is_utf16() -> None:
    with pytest.raises(InputError, match=r"x.bin:3: binary data \(NUL byte at byte offset 4\)"):
        decode_text("x.bin", b"a\nb\n\x00")
    assert decode_text("x.txt", "hé".encode("utf-16"), "utf-16") == "hé"


def test_byte_order_mark_is_dropped_and_error_class_is_chosen_by_caller(tmp_path: Path) -> None:
    path = tmp_path / "terms.po"
    path.write_bytes(b"\xef\xbb\xbfmsgid\n")
    assert read_text(path) == "msgid\n"
    with pytest.raises(GlossaryError, match="file not found"):
        read_text(tmp_path / "missing.po", error=GlossaryError)
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


@given(st.text())
def test_decoding_what_was_encoded_gives_it_back(text: str) -> None:
    if "\x00" in text:
        return
    assert decode_text("t", text.encode("utf-8")) == text.removeprefix("\ufeff")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(0o600)

    def explode(temporary: Path) -> None:
        temporary.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, explode)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]

    atomic_write_text(target, "new\r\nline\n")
    assert target.read_bytes() == b"new\r\nline\n"
    assert target.stat().st_mode & 0o777 == 0o600


def test_write_errors_become_the_callers_error_naming_the_target(tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    target = blocker / "out.po"
    with pytest.raises(GlossaryError) as caught:
        atomic_write_text(target, "text", error=GlossaryError)
    assert caught.value.message == f"{target}: cannot write (Not a directory)"
    with pytest.raises(OSError):
        atomic_write_text(target, "text")


def test_missing_file_fix_is_the_callers_choice_and_a_byte_order_mark_never_text(
    tmp_path: Path,
) -> None:
    with pytest.raises(GlossaryError) as caught:
        read_text(tmp_path / "terms.po", error=GlossaryError, missing_fix="create it with add")
    assert caught.value.message == f"{tmp_path / 'terms.po'}: file not found; create it with add"
    path = tmp_path / "hyp.txt"
    path.write_bytes(b"\xef\xbb\xbfone\n")
    assert read_text(path) == "one\n"
    assert read_bytes(path) == b"\xef\xbb\xbfone\n"


def test_temporaries_left_by_a_killed_write_are_cleared(tmp_path: Path) -> None:
    target = tmp_path / "out[1].txt"
    leftover = tmp_path / ".out[1].txt.k1ll3d.tmp"
    unrelated = tmp_path / ".other.txt.k1ll3d.tmp"
    leftover.write_text("half")
    unrelated.write_text("someone else's")
    atomic_write_text(target, "done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [unrelated.name, target.name]
