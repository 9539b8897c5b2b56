"""Hostile and broken documents: one-line errors naming the file, nothing parsed that should not be."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import translate.documents
from translate.cli import cli
from translate.documents import extract_document
from translate.errors import InputError

from . import samples
from .builders import build_docx, build_odt


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _encrypted_flag(data: bytes) -> bytes:
    """Set the "encrypted" bit of every member (local and central headers), as a password does."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = patched.find(signature)
        while start >= 0:
            patched[start + offset] |= 0x1
            start = patched.find(signature, start + 4)
    return bytes(patched)


@pytest.mark.parametrize("fmt", ["docx", "odt", "epub"])
def test_corrupt_archive(fmt: str) -> None:
    with pytest.raises(InputError, match=rf"^kapot\.{fmt}: corrupt {fmt.upper()}"):
        extract_document(b"PK\x03\x04 broken", fmt, name=f"kapot.{fmt}")


def test_password_protected_office_file() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    with pytest.raises(InputError, match=r"geheim\.docx: .*password-protected"):
        extract_document(ole, "docx", name="geheim.docx")


def test_encrypted_zip_member() -> None:
    data = _encrypted_flag(_zip({"word/document.xml": b"<x/>"}))
    with pytest.raises(InputError, match="password-protected"):
        extract_document(data, "docx", name="a.docx")


def test_encrypted_odt() -> None:
    source = zipfile.ZipFile(io.BytesIO(build_odt()))
    members = {name: source.read(name) for name in source.namelist()}
    members["META-INF/manifest.xml"] = members["META-INF/manifest.xml"].replace(
        b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>"
    )
    with pytest.raises(InputError, match="ODT is password-protected"):
        extract_document(_zip(members), "odt", name="a.odt")


def test_zip_bomb_is_refused_before_unpacking() -> None:
    bomb = _zip({"word/document.xml": bytes(20 * 2**20)})
    assert len(bomb) < 100_000
    with pytest.raises(InputError, match=r"bom\.docx: word/document\.xml expands \d+ times"):
        extract_document(bomb, "docx", name="bom.docx")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xliff version="1.2"><file><body><trans-unit id="1"><source>&lol2;</source></trans-unit></body></file></xliff>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff version="1.2"><file><body><trans-unit id="1"><source>&xxe;</source></trans-unit></body></file></xliff>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "xxe"])
def test_xml_entities_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^a\.xlf:2: XML declares entities"):
        extract_document(data, "xliff", name="a.xlf")


def test_entities_inside_a_docx_are_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(build_docx()))
    members = {name: source.read(name) for name in source.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE w [<!ENTITY e "x">]>', 1
    )
    with pytest.raises(InputError, match=r"a\.docx:word/document\.xml:\d+: XML declares entities"):
        extract_document(_zip(members), "docx", name="a.docx")


def test_malformed_xliff_names_the_line() -> None:
    broken = samples.XLIFF12.replace("</source>\n      </trans-unit>", "</trans-unit>", 1)
    with pytest.raises(InputError, match=r"^a\.xlf:\d+: malformed XLIFF"):
        extract_document(broken.encode(), "xliff", name="a.xlf")


def test_malformed_srt_names_the_line() -> None:
    broken = samples.SRT.replace("00:00:03,000 --> 00:00:05,500", "drie seconden")
    with pytest.raises(InputError, match=r"^a\.srt:\d+: malformed SRT"):
        extract_document(broken.encode(), "srt", name="a.srt")


def test_huge_document_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "groot.html"
    path.write_text("<p>" + "woord " * 100 + "</p>", encoding="utf-8")
    monkeypatch.setattr(translate.documents, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(InputError, match=r"groot\.html: document is \d+ bytes, larger than"):
        extract_document(path, None)


def test_unknown_extension_asks_for_format(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="not a known document type"):
        extract_document(path, None)


def test_cli_bad_document_leaves_the_old_output(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "kapot.docx"
    source.write_bytes(b"PK\x03\x04 not really a zip")
    target = tmp_path / "out.docx"
    target.write_bytes(b"earlier result")
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", str(target)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(f"{source}: corrupt DOCX" in line for line in lines)
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"earlier result"
    assert [p.name for p in tmp_path.iterdir()] == sorted(["kapot.docx", "out.docx"]) or len(
        list(tmp_path.iterdir())
    ) == 2


def test_cli_zip_document_needs_an_output_file(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(build_docx())
    result = runner.invoke(cli, ["translate", str(source)])
    assert result.exit_code == 2
    assert "needs -o FILE" in result.stderr
