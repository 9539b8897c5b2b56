"""``vertaal batch`` and ``vertaal cache`` end to end, with the real bundled model."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translate.batch.formats import FormatOptions, format_for
from translate.cli import cli

from .helpers import FAST, manifest

pytestmark = pytest.mark.usefixtures("bundled_model")

EXPECTED_OUTPUTS = {
    "article.en.txt",
    "corpus.en",
    "memory.tmx",
    "messages.po",
    "records.jsonl",
    "table.csv",
    "sub/crlf.txt",
    "sub/pairs.tsv",
}


# The corpus's tables hold their Dutch text in column 2 (column 1 holds ids).
TABLES = ("--column", "2")


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every translated file under ``outdir`` (not the manifest or the journal)."""
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and ".vertaal-job" not in p.parts and p.name != "manifest.json"
    }


def batch(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["batch", *FAST, *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_batch_translates_every_format_and_mirrors_the_layout(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, output = batch(runner, str(corpus), *TABLES, "-o", str(out), "--no-cache")
    assert code == 0, output
    produced = outputs(out)
    assert set(produced) == EXPECTED_OUTPUTS
    assert "segments" not in output.split("vertaal:")[0]  # no progress bar off a terminal

    # Layout: line-based outputs keep every line, blank lines stay blank.
    for name in ("corpus.en", "sub/crlf.txt", "article.en.txt"):
        source_name = {"corpus.en": "corpus.nl", "article.en.txt": "article.nl.txt"}.get(name, name)
        source = (corpus / source_name).read_bytes().split(b"\n")
        target = produced[name].split(b"\n")
        assert len(source) == len(target)
        assert [not line.strip() for line in source] == [not line.strip() for line in target]
        assert [line.endswith(b"\r") for line in source] == [
            line.endswith(b"\r") for line in target
        ]

    po = polib.pofile((out / "messages.po").read_text("utf-8"))
    assert po.find("Opslaan").msgstr == "Save"
    opened = po.find("Bestand openen")
    assert opened.msgstr and "fuzzy" in opened.flags
    records = [
        json.loads(line) for line in (out / "records.jsonl").read_text("utf-8").splitlines() if line
    ]
    assert [r["id"] for r in records] == [1, 2] and records[1]["meta"] == {"bron": "nos"}
    assert all(isinstance(r["text"], str) and r["text"].strip() for r in records)

    data = manifest(out)
    expected_segments = 0
    for path in corpus.rglob("*"):
        fmt = format_for(path)
        if fmt is not None:
            expected_segments += len(list(fmt(FormatOptions(column="2")).read(path)))
    totals = data["totals"]
    assert totals["files"] == totals["done"] == 8 and totals["failed"] == 0
    assert totals["segments"] == expected_segments == totals["translated_now"]
    assert totals["words"] > totals["segments"] > 0
    assert totals["model_sentences"] >= totals["segments"] - 1
    for entry in data["files"]:
        assert entry["status"] == "done" and entry["seconds"] >= 0
        assert set(entry) >= {"segments", "words", "terms", "term_adherence", "seconds", "status"}


def test_rerun_resumes_instead_of_translating_again(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert batch(runner, str(corpus), *TABLES, "-o", str(out), "--no-cache")[0] == 0
    first = outputs(out)
    code, output = batch(runner, str(corpus), *TABLES, "-o", str(out), "--no-cache")
    assert code == 0, output
    totals = manifest(out)["totals"]
    assert totals["translated_now"] == 0 and totals["resumed"] == totals["segments"] > 0
    assert outputs(out) == first

    # A changed file is translated again; the others are not.
    (corpus / "corpus.nl").write_text("Een nieuwe zin.\n", encoding="utf-8")
    assert batch(runner, str(corpus), *TABLES, "-o", str(out), "--no-cache")[0] == 0
    files = {Path(f["input"]).name: f for f in manifest(out)["files"]}
    assert files["corpus.nl"]["translated_now"] == 1
    assert files["article.nl.txt"]["translated_now"] == 0


def test_cache_serves_a_second_job_and_can_be_inspected_and_cleared(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    assert (
        batch(runner, str(corpus), *TABLES, "-o", str(tmp_path / "a"), "--cache", str(cache))[0]
        == 0
    )
    code, output = batch(
        runner, str(corpus), *TABLES, "-o", str(tmp_path / "b"), "--cache", str(cache)
    )
    assert code == 0, output
    totals = manifest(tmp_path / "b")["totals"]
    assert totals["model_sentences"] == 0 and totals["cached_sentences"] == totals["sentences"] > 0
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")

    stats = runner.invoke(cli, ["cache", "stats", "--cache", str(cache)])
    assert stats.exit_code == 0
    entries = int(stats.output.split("entries: ")[1].split()[0])
    assert entries == manifest(tmp_path / "a")["totals"]["model_sentences"]
    assert manifest(tmp_path / "a")["model_id"] in stats.output

    cleared = runner.invoke(cli, ["cache", "clear", "--cache", str(cache)])
    assert cleared.exit_code == 0 and f"cleared {entries} entries" in cleared.output
    assert "entries: 0" in runner.invoke(cli, ["cache", "stats", "--cache", str(cache)]).output


def test_default_cache_lives_in_xdg_cache_home(
    runner: CliRunner, tmp_path: Path, isolated_argos_home: Path
) -> None:
    source = tmp_path / "a.nl"
    source.write_text("Goedemorgen.\n", encoding="utf-8")
    assert batch(runner, str(source), "-o", str(tmp_path / "out"))[0] == 0
    assert (isolated_argos_home / "cache" / "vertaal" / "cache.sqlite").is_file()


def test_bad_files_are_skipped_and_reported_while_good_files_complete(
    runner: CliRunner, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Het regent.\n", encoding="utf-8")
    (inputs / "broken.jsonl").write_text('{"text": "Ja."}\n{"text": \n', encoding="utf-8")
    (inputs / "latin1.txt").write_bytes("Goed.\nCafé\n".encode("latin-1"))
    (inputs / "bad.po").write_text('msgid "a"\nmsgstr ""\nmsgid\n', encoding="utf-8")
    (inputs / "bad.tmx").write_text("<tmx><body><tu>\n</tmx>\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(runner, str(inputs), "-o", str(out), "--no-cache")
    assert code == 1
    assert f"{inputs / 'broken.jsonl'}:2: invalid JSON" in output
    assert f"{inputs / 'latin1.txt'}:2: not valid UTF-8" in output
    assert f"{inputs / 'bad.po'}:3: malformed PO" in output
    assert f"{inputs / 'bad.tmx'}:2: malformed XML" in output
    assert "Traceback" not in output
    assert set(outputs(out)) == {"good.txt"}
    statuses = {Path(f["input"]).name: f["status"] for f in manifest(out)["files"]}
    assert statuses == {
        "good.txt": "done",
        "broken.jsonl": "failed",
        "latin1.txt": "failed",
        "bad.po": "failed",
        "bad.tmx": "failed",
    }

    # --on-error fail stops before translating anything.
    strict = tmp_path / "strict"
    code, output = batch(runner, str(inputs), "-o", str(strict), "--no-cache", "--on-error", "fail")
    assert code == 1 and "Traceback" not in output
    assert not (strict / "good.txt").exists()


def test_glossary_terms_are_enforced_and_counted(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "news.txt"
    source.write_text("De NAVO komt morgen bijeen.\nDe Tweede Kamer stemt.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch(runner, str(source), "-o", str(out), "--no-cache")[0] == 0
    entry = manifest(out)["files"][0]
    assert entry["terms"] >= 2 and entry["term_adherence"] is not None
    translated = (out / "news.txt").read_text("utf-8")
    if entry["terms_verified"] == entry["terms"]:
        assert "NATO" in translated and "House of Representatives" in translated

    plain = tmp_path / "plain"
    assert batch(runner, str(source), "-o", str(plain), "--no-cache", "--no-glossary")[0] == 0
    data = manifest(plain)
    assert data["files"][0]["terms"] == 0 and data["glossary_version"] == "none"


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Ja.\n", encoding="utf-8")
    code, output = batch(runner, str(source), "-o", str(tmp_path / "o"), "--resume")
    assert code == 1 and "no interrupted job to resume" in output
    code, output = batch(runner, str(source), "-o", str(tmp_path / "o"), "--resume", "--restart")
    assert code == 2
    unknown = tmp_path / "a.xyz"
    unknown.write_text("x", encoding="utf-8")
    code, output = batch(runner, str(unknown), "-o", str(tmp_path / "o"))
    assert code == 1 and "unknown file type '.xyz'; pass --format" in output


def test_two_jobs_never_write_one_output_directory(runner: CliRunner, tmp_path: Path) -> None:
    from filelock import FileLock

    source = tmp_path / "a.txt"
    source.write_text("Ja.\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / ".vertaal-job").mkdir(parents=True)
    with FileLock(str(out / ".vertaal-job" / "lock")):
        code, output = batch(runner, str(source), "-o", str(out))
    assert code == 1 and "another vertaal batch job is writing here" in output
    assert batch(runner, str(source), "-o", str(out), "--no-cache")[0] == 0


def test_only_bad_files_still_gets_a_manifest(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text("{oops\n", encoding="utf-8")
    code, output = batch(runner, str(source), "-o", str(tmp_path / "out"))
    assert code == 1 and f"{source}:1: invalid JSON" in output
    assert manifest(tmp_path / "out")["totals"] == {
        **manifest(tmp_path / "out")["totals"],
        "files": 1,
        "failed": 1,
        "done": 0,
    }


def test_glob_selects_files_and_format_overrides_extensions(
    runner: CliRunner, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    (inputs / "deep" / "er").mkdir(parents=True)
    for name in ("a.txt", "deep/er/b.txt", "c.nl", "notes.md", ".hidden/d.txt"):
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_text("Het regent.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch(runner, str(inputs), "-o", str(out), "--glob", "*.txt", "--no-cache")[0] == 0
    assert set(outputs(out)) == {"a.txt", "deep/er/b.txt"}

    md = tmp_path / "md"
    code, output = batch(runner, str(inputs / "notes.md"), "-o", str(md), "--format", "text")
    assert code == 0, output
    assert set(outputs(md)) == {"notes.md"}
