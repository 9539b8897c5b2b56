"""Hostile encodings and stdin: byte-order marks, UTF-16/32, ``-`` where a file is expected.

Every command that reads text goes through translate.fileio's one reader, so a
byte-order mark is never text, UTF-16/32 with a mark is never "binary", and
``-`` reads stdin.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

HYPOTHESES = ["The cabinet falls.", "The minister resigns today."]
REFERENCES = ["The cabinet falls.", "The minister resigns today."]


def _write(path: Path, lines: list[str], encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path.write_bytes(bom + ("\n".join(lines) + "\n").encode(encoding))
    return path


def _bleu(runner: CliRunner, *args: str, input: bytes | None = None) -> float:
    result = runner.invoke(cli, ["score", "--json", "-m", "bleu", *args], input=input)
    assert result.exit_code == 0, result.output
    return float(json.loads(result.stdout)["scores"][0]["score"])


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
     ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff")],
    ids=["utf8-bom", "utf16le", "utf16be", "utf32le", "utf32be"],
)  # fmt: skip
def test_a_byte_order_mark_never_changes_the_score(
    runner: CliRunner, tmp_path: Path, encoding: str, bom: bytes
) -> None:
    plain = _write(tmp_path / "hyp.txt", HYPOTHESES)
    marked = _write(tmp_path / "hyp-bom.txt", HYPOTHESES, encoding, bom)
    reference = _write(tmp_path / "ref.txt", REFERENCES)
    assert _bleu(runner, str(plain), str(reference)) == 100.0
    assert _bleu(runner, str(marked), str(reference)) == 100.0
    assert _bleu(runner, str(plain), str(marked)) == 100.0


def test_dash_reads_the_hypothesis_or_a_reference_from_stdin(
    runner: CliRunner, tmp_path: Path
) -> None:
    reference = _write(tmp_path / "ref.txt", REFERENCES)
    data = ("\n".join(HYPOTHESES) + "\n").encode()
    assert _bleu(runner, "-", str(reference), input=data) == 100.0
    hypothesis = _write(tmp_path / "hyp.txt", HYPOTHESES)
    assert _bleu(runner, str(hypothesis), "-", input=data) == 100.0


def test_dash_twice_is_refused_in_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["score", "-", "-"], input=b"a\n")
    assert result.exit_code == 1
    assert "only one of the files can be read from stdin" in result.stderr
    assert "Traceback" not in result.output


def test_stdin_that_is_binary_names_stdin_and_the_line(runner: CliRunner, tmp_path: Path) -> None:
    reference = _write(tmp_path / "ref.txt", REFERENCES)
    result = runner.invoke(cli, ["score", "-", str(reference)], input=b"ok\nbad\x00\n")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("<stdin>:2: hypothesis binary data (NUL byte at byte offset 6); give a text file")
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_translate_reads_unicode_with_a_byte_order_mark(
    runner: CliRunner, tmp_path: Path, encoding: str
) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes("De kat slaapt.\n".encode(encoding))
    from_file = runner.invoke(cli, ["translate", "--no-glossary", str(source)])
    assert from_file.exit_code == 0, from_file.output
    plain = runner.invoke(cli, ["translate", "--no-glossary"], input="De kat slaapt.\n")
    assert from_file.stdout == plain.stdout
    from_stdin = runner.invoke(cli, ["translate", "--no-glossary", "-"], input=source.read_bytes())
    assert from_stdin.stdout == plain.stdout


def test_utf16_without_a_mark_is_still_binary_unless_the_encoding_is_given(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes("De kat slaapt.\n".encode("utf-16-le"))
    refused = runner.invoke(cli, ["translate", "--no-glossary", str(source)])
    assert refused.exit_code == 1
    assert f"{source}:1: binary data" in refused.stderr
    accepted = runner.invoke(
        cli, ["translate", "--no-glossary", "--encoding", "utf-16-le", str(source)]
    )
    assert accepted.exit_code == 0, accepted.output


def test_invalid_utf16_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    # a lone high surrogate on line 2
    source.write_bytes(b"\xff\xfe" + "een\n".encode("utf-16-le") + b"\x00\xd8a\x00")
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source)])
    assert result.exit_code == 1
    assert f"{source}:2: not valid utf-16" in result.stderr
