"""Hostile batch jobs: malformed PO files, ID columns, odd encodings, -o onto the inputs,
a full disk (a file-size limit and a real small tmpfs) and real signals.

Every case runs the real command on real files; each asserts the exit status,
a one-line message naming the file (and line), no traceback, and that nothing
was lost: good files are translated, bad ones untouched, jobs resumable.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translate.batch.formats import CsvFormat, FormatOptions, TsvFormat
from translate.cli import cli

from .helpers import FAST, manifest, numbered_sentences

pytestmark = pytest.mark.usefixtures("bundled_model")

BASE = ["--no-cache", "--no-glossary", *FAST]


def _batch(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(cli, ["batch", *args, *BASE])


def _vertaal(*args: str) -> list[str]:
    return [sys.executable, "-c", "from translate.cli import main; main()", *args]


def _no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output, result.output


# --------------------------------------------------------------------------- malformed PO

GOOD_PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'

MALFORMED_PO = [
    ("unterminated", 'msgid "Goedemorgen\nmsgstr ""\n', 5, "unterminated string"),
    ("bare-keyword", 'msgid "Goedemorgen."\nmsgstr\n', 6, "keyword without a quoted string"),
    ("no-msgstr", 'msgid "Goedemorgen."\n\nmsgid "Dag."\nmsgstr ""\n', 6, "has no msgstr"),
    ("garbage", 'msgid "Goedemorgen."\nmsgstr ""\nthis is not PO\n', 7, "unexpected text"),
    ("duplicate", 'msgid "Dag."\nmsgstr ""\n\nmsgid "Dag."\nmsgstr ""\n', 8, "duplicate msgid"),
    ("bad-escape", 'msgid "Goe\\demorgen."\nmsgstr ""\n', 5, "unknown escape"),
]


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [case[1:] for case in MALFORMED_PO],
    ids=[case[0] for case in MALFORMED_PO],
)
def test_malformed_po_fails_that_file_with_path_and_line(
    runner: CliRunner, tmp_path: Path, body: str, line: int, problem: str
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    bad = corpus / "bad.po"
    bad.write_text(GOOD_PO + body, encoding="utf-8")
    (corpus / "good.txt").write_text("Goedemorgen.\n", encoding="utf-8")
    before = bad.read_bytes()
    result = _batch(runner, str(corpus), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    _no_traceback(result)
    errors = [row for row in result.stderr.splitlines() if row.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {bad}:{line}: ") and problem in errors[0]
    files = {Path(f["input"]).name: f for f in manifest(tmp_path / "out")["files"]}
    assert files["bad.po"]["status"] == "failed" and f"{bad}:{line}" in files["bad.po"]["error"]
    assert files["good.txt"]["status"] == "done"
    assert not (tmp_path / "out" / "bad.po").exists()
    assert bad.read_bytes() == before


def test_on_error_fail_stops_before_translating(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.po"
    bad.write_text(GOOD_PO + MALFORMED_PO[0][1], encoding="utf-8")
    result = _batch(runner, str(bad), "-o", str(tmp_path / "out"), "--on-error", "fail")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {bad}:5: malformed PO")


# --------------------------------------------------------------------------- tables

CSV_WITH_IDS = 'id,text,score\n101,"De kat slaapt.",3\n102,"De hond blaft, en hard ook.",5\n'
TSV_WITHOUT_HEADER = "7001\tDe kat slaapt op de bank.\tNL\n7002\tDe hond blaft.\tNL\n"


def test_csv_default_column_is_the_text_not_the_id(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(CSV_WITH_IDS, encoding="utf-8")
    result = _batch(runner, str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "out" / "rows.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,text,score"  # the header is copied, not translated
    assert [row.split(",")[0] for row in rows[1:]] == ["101", "102"]
    assert rows[1].endswith(",3") and "cat" in rows[1].lower()


def test_tsv_without_header_picks_the_column_with_the_words(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "rows.tsv"
    source.write_text(TSV_WITHOUT_HEADER, encoding="utf-8")
    result = _batch(runner, str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    rows = [r.split("\t") for r in (tmp_path / "out" / "rows.tsv").read_text().splitlines()]
    assert [row[0] for row in rows] == ["7001", "7002"] and [row[2] for row in rows] == ["NL"] * 2
    assert "cat" in rows[0][1].lower()


@pytest.mark.parametrize(
    ("options", "header", "column"),
    [
        (FormatOptions(), True, 1),
        (FormatOptions(column="score"), True, 2),
        (FormatOptions(column="1"), True, 0),
        (FormatOptions(column="2", header=False), False, 1),
    ],
)
def test_table_layout_by_name_number_and_flag(
    tmp_path: Path, options: FormatOptions, header: bool, column: int
) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(CSV_WITH_IDS, encoding="utf-8")
    layout = CsvFormat(options).layout(source)
    assert (layout.header, layout.column) == (header, column)


def test_tsv_layout_detects_no_header_in_plain_rows(tmp_path: Path) -> None:
    source = tmp_path / "rows.tsv"
    source.write_text(TSV_WITHOUT_HEADER, encoding="utf-8")
    layout = TsvFormat().layout(source)
    assert (layout.header, layout.column) == (False, 1)


def test_unknown_column_name_names_the_header(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(CSV_WITH_IDS, encoding="utf-8")
    result = _batch(runner, str(source), "-o", str(tmp_path / "out"), "--column", "zin")
    assert result.exit_code == 1
    _no_traceback(result)
    assert f"error: {source}:1: no column named 'zin' in the header ('id', 'text', 'score')" in (
        result.stderr
    )


# --------------------------------------------------------------------------- encodings


def test_batch_reads_latin1_with_encoding_and_utf16_by_its_mark(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "latin.txt").write_bytes("Café De Zwaan is dicht.\n".encode("latin-1"))
    (corpus / "wide.txt").write_bytes("Café De Zwaan is dicht.\n".encode("utf-16"))
    refused = _batch(runner, str(corpus), "-o", str(tmp_path / "refused"))
    assert refused.exit_code == 1
    assert f"{corpus / 'latin.txt'}:1: not valid UTF-8" in refused.stderr
    assert "--encoding" in refused.stderr
    result = _batch(runner, str(corpus), "-o", str(tmp_path / "out"), "--encoding", "latin-1")
    assert result.exit_code == 0, result.output
    latin = (tmp_path / "out" / "latin.txt").read_text(encoding="utf-8")
    assert latin == (tmp_path / "out" / "wide.txt").read_text(encoding="utf-8")
    unknown = _batch(runner, str(corpus), "-o", str(tmp_path / "x"), "--encoding", "klingon")
    assert unknown.exit_code == 2 and "unknown encoding 'klingon'" in unknown.stderr


# --------------------------------------------------------------------------- -o onto the inputs


def test_output_equal_to_the_input_directory_says_so(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Goedemorgen.\n")
    result = _batch(runner, str(corpus), "-o", str(corpus))
    assert result.exit_code == 1
    _no_traceback(result)
    last = result.stderr.strip().splitlines()[-1]
    assert f"{corpus}: the input directory is also the output directory" in last
    assert "-o corpus-en" in last
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]


def test_output_around_the_input_directory_says_so(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "nl"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("Goedemorgen.\n")
    result = _batch(runner, str(corpus), "-o", str(tmp_path / "corpus"))
    assert result.exit_code == 1
    assert "is inside the output directory" in result.stderr.strip().splitlines()[-1]


# --------------------------------------------------------------------------- full disk


@pytest.fixture
def long_corpus(tmp_path: Path) -> Path:
    source = tmp_path / "in.txt"
    source.write_text("\n".join(numbered_sentences(60)) + "\n", encoding="utf-8")
    return source


JOB = ["--no-cache", "--no-glossary", "--quiet", "--beam-size", "1", "--chunk-size", "4"]


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))


def test_file_size_limit_mid_job_is_one_line_and_the_job_resumes(
    tmp_path: Path, long_corpus: Path
) -> None:
    out = tmp_path / "out"
    command = _vertaal("batch", str(long_corpus), "-o", str(out), *JOB)
    limited = subprocess.run(
        command, preexec_fn=_limit_file_size, capture_output=True, text=True, timeout=300
    )
    assert limited.returncode == 1, limited.stderr
    assert "Traceback" not in limited.stderr
    last = limited.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: {out}: cannot write the job's files (")
    assert "run the same command again to resume" in last
    assert not (out / "in.txt").exists()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    totals = manifest(out)["totals"]
    assert totals["resumed"] > 0 and totals["resumed"] + totals["translated_now"] == 60
    lines = (out / "in.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 60 and all(line.strip() for line in lines)


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not _can_mount_tmpfs(), reason="no private mount namespace here for a small tmpfs"
)
def test_a_really_full_tmpfs_is_one_line_and_the_job_resumes(
    tmp_path: Path, long_corpus: Path
) -> None:
    # In a private mount namespace: a 96 KiB tmpfs fills up mid-job; it is then
    # grown ("space freed") and the same command finishes the job.
    mount_point, saved = tmp_path / "small", tmp_path / "saved"
    mount_point.mkdir()
    job = " ".join(_vertaal("batch", str(long_corpus), "-o", f"{mount_point}/out", *JOB)).replace(
        "from translate.cli import main; main()", "'from translate.cli import main; main()'"
    )
    script = (
        f"mount -t tmpfs -o size=96k tmpfs {mount_point} || exit 99\n"
        f"{job} 2> {tmp_path}/first.err; echo $? > {tmp_path}/first.rc\n"
        f"mount -o remount,size=64m {mount_point}\n"
        f"{job} 2> {tmp_path}/second.err; echo $? > {tmp_path}/second.rc\n"
        f"cp -a {mount_point}/out {saved}\n"
    )
    subprocess.run(["unshare", "-m", "sh", "-c", script], check=True, timeout=600)
    first = (tmp_path / "first.err").read_text()
    assert (tmp_path / "first.rc").read_text().strip() == "1", first
    assert "Traceback" not in first
    assert "database or disk is full" in first or "No space left on device" in first
    assert "run the same command again to resume" in first.strip().splitlines()[-1]
    assert (tmp_path / "second.rc").read_text().strip() == "0", (
        tmp_path / "second.err"
    ).read_text()
    data = json.loads((saved / "manifest.json").read_text())
    assert data["totals"]["resumed"] + data["totals"]["translated_now"] == 60
    assert len((saved / "in.txt").read_text().splitlines()) == 60


# --------------------------------------------------------------------------- signals


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"]
)
def test_signal_mid_job_exits_by_convention_and_the_job_resumes(
    tmp_path: Path, long_corpus: Path, signum: int, status: int
) -> None:
    out = tmp_path / "out"
    command = _vertaal("batch", str(long_corpus), "-o", str(out), *JOB)
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    journal = out / ".vertaal-job" / "journal.sqlite"
    deadline = time.monotonic() + 120
    while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    assert process.poll() is None, "the job finished before the signal"
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert process.returncode == status, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"vertaal: interrupted by {signal.Signals(signum).name}"
    assert "run the same command again to resume" in err
    assert not (out / "in.txt").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr  # the lock was released
    assert len((out / "in.txt").read_text().splitlines()) == 60
    assert os.access(out / "manifest.json", os.R_OK)
