"""``vertaal translate`` end to end with the bundled model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translate.cli import cli

NO_GLOSSARY = ["--no-glossary"]


def _translate(runner: CliRunner, *args: str, input: str | bytes | None = None) -> Any:
    return runner.invoke(cli, ["translate", *args], input=input)


def test_stdin_to_stdout_keeps_layout(runner: CliRunner) -> None:
    text = "Goedemorgen.\n\n  Het weer is mooi. De zon schijnt.\n"
    result = _translate(runner, *NO_GLOSSARY, input=text)
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[2].startswith("  ") and lines[3] == ""
    assert "translating with bundled" in result.stderr
    assert "small bundled model" in result.stderr  # warned


def test_file_to_file_and_json(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("De kat slaapt. De hond blaft.\n", encoding="utf-8")
    target = tmp_path / "out.txt"
    result = _translate(runner, *NO_GLOSSARY, str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").count("\n") == 1
    as_json = _translate(runner, *NO_GLOSSARY, "--json", str(source))
    payload = json.loads(as_json.stdout)
    assert [s["source"] for s in payload["segments"]] == ["De kat slaapt.", "De hond blaft."]
    assert all(s["output"] and s["seconds"] >= 0 for s in payload["segments"])
    assert payload["text"] == target.read_text(encoding="utf-8")
    assert payload["model"].startswith("bundled@")


def test_several_files_into_a_directory(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Hallo wereld.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _translate(
        runner, *NO_GLOSSARY, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]
    usage = _translate(runner, *NO_GLOSSARY, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert usage.exit_code == 2 and "several inputs need -o DIRECTORY" in usage.stderr


def _one_line_error(result: Any, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return str(lines[0])


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    line = _one_line_error(_translate(runner, *NO_GLOSSARY, str(tmp_path / "nope.txt")))
    assert line == f"Error: {tmp_path / 'nope.txt'}: file not found; check the path"


def test_not_utf8_names_line_and_offset(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "latin.txt"
    source.write_bytes("Eerste regel.\nCafé open.\n".encode("latin-1"))
    line = _one_line_error(_translate(runner, *NO_GLOSSARY, str(source)))
    assert f"{source}:2:" in line and "byte offset 17" in line and "--encoding" in line
    ok = _translate(runner, *NO_GLOSSARY, "--encoding", "latin-1", str(source))
    assert ok.exit_code == 0, ok.output


def test_binary_and_empty_input(runner: CliRunner, tmp_path: Path) -> None:
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"abc\n\x00\x01\x02")
    assert "binary data (NUL byte at byte offset 4)" in _one_line_error(
        _translate(runner, *NO_GLOSSARY, str(binary))
    )
    assert "empty input" in _one_line_error(_translate(runner, *NO_GLOSSARY, input=" \n\n"))


def test_no_partial_output_on_error(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Hallo.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    out = tmp_path / "out"
    result = _translate(runner, *NO_GLOSSARY, str(good), str(bad), "-o", str(out))
    _one_line_error(result)
    assert not out.exists()


def test_model_option_errors(runner: CliRunner, tmp_path: Path, fake_package: Any) -> None:
    line = _one_line_error(_translate(runner, *NO_GLOSSARY, "--model", "nope", input="Hallo."))
    assert "no installed package named 'nope'" in line
    german = fake_package(tmp_path / "de", "de", "en")
    line = _one_line_error(_translate(runner, *NO_GLOSSARY, "--model", str(german), input="Hallo."))
    assert "not nl→en" in line
    broken = fake_package(tmp_path / "broken")
    line = _one_line_error(_translate(runner, *NO_GLOSSARY, "--model", str(broken), input="Hallo."))
    assert "broken package" in line


def test_decoding_options(runner: CliRunner) -> None:
    result = _translate(
        runner,
        *NO_GLOSSARY,
        "--beam-size",
        "1",
        "--threads",
        "1",
        "--batch-tokens",
        "64",
        "--compute-type",
        "int8",
        input="Hallo.",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() and not result.stdout.endswith("\n")
    usage = _translate(runner, "--beam-size", "0", input="Hallo.")
    assert usage.exit_code == 2


def test_no_glossary_conflicts_with_glossary(runner: CliRunner, tmp_path: Path) -> None:
    result = _translate(
        runner, "--no-glossary", "--glossary", str(tmp_path / "x.po"), input="Hallo."
    )
    assert result.exit_code == 2


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_default_glossary_is_applied(runner: CliRunner, extra: list[str]) -> None:
    result = _translate(runner, *extra, input="De NAVO-top begint morgen in Den Haag.\n")
    assert result.exit_code == 0, result.output
    if extra:
        payload = json.loads(result.stdout)
        assert payload["glossary"] is True
        assert all("terms" in segment for segment in payload["segments"])
    else:
        assert result.stdout.strip()


def test_unwritable_output_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = _translate(runner, *NO_GLOSSARY, "-o", str(blocker / "out.txt"), input="Hallo.")
    assert result.exit_code == 1 and "Traceback" not in result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: {blocker / 'out.txt'}: cannot write")
