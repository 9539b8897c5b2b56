"""``vertaal translate FILE -o OUT`` for documents (format from the extension or --format)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from translate.cli import cli

PAGE = "<html><head><meta charset='utf-8'></head><body><p>De kat <b>slaapt</b>.</p></body></html>\n"


def test_html_file_to_file(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "pagina.html"
    source.write_text(PAGE, encoding="utf-8")
    target = tmp_path / "page.html"
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    written = target.read_text(encoding="utf-8")
    assert written.count("<b>") == 1 and "kat" not in written


def test_format_option_and_stdout(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "pagina.txt"
    source.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--no-glossary", "--format", "html", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("<b>") == 1 and "<p>" in result.stdout


def test_documents_and_text_are_not_mixed(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hallo.", encoding="utf-8")
    result = runner.invoke(
        cli,
        ["translate", str(tmp_path / "a.html"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "o")],
    )
    assert result.exit_code == 2 and "separate commands" in result.stderr
