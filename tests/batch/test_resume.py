"""Never lose work: a batch job killed with SIGKILL mid-run finishes on rerun, identically."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import manifest, numbered_sentences

pytestmark = pytest.mark.usefixtures("bundled_model")

SEGMENTS = 120
CHUNK = "4"


def vertaal(*args: str) -> list[str]:
    """The command line of a real ``vertaal`` process."""
    return [sys.executable, "-c", "from translate.cli import main; main()", *args]


def batch_args(source: Path, outdir: Path) -> list[str]:
    return vertaal(
        "batch", str(source), "-o", str(outdir), "--no-cache", "--quiet",
        "--beam-size", "2", "--chunk-size", CHUNK, "--threads", "1",
    )  # fmt: skip


def journal_units(outdir: Path) -> int:
    """Units committed to the job journal (0 while it does not exist yet)."""
    path = outdir / ".vertaal-job" / "journal.sqlite"
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT COUNT(*) FROM units").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0  # schema not created yet


def test_sigkill_mid_run_then_rerun_gives_identical_output_without_retranslating(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    sentences = numbered_sentences(SEGMENTS)
    (inputs / "a.nl").write_text("\n".join(sentences[: SEGMENTS // 2]) + "\n", encoding="utf-8")
    (inputs / "b.txt").write_text("\n\n".join(sentences[SEGMENTS // 2 :]), encoding="utf-8")

    reference = tmp_path / "reference"
    subprocess.run(batch_args(inputs, reference), check=True, timeout=300)

    out = tmp_path / "out"
    process = subprocess.Popen(batch_args(inputs, out))
    deadline = time.monotonic() + 120
    while journal_units(out) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the job finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    done_before = journal_units(out)
    assert 8 <= done_before < SEGMENTS
    assert not (out / "b.txt").exists()  # outputs appear whole or not at all
    assert not (out / "manifest.json").exists()

    rerun = subprocess.run(batch_args(inputs, out), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr

    for name in ("a.en", "b.txt"):
        assert (out / name).read_bytes() == (reference / name).read_bytes()
    assert not [p for p in out.rglob("*.tmp")]

    totals = manifest(out)["totals"]
    # Nothing done before the kill was translated again ...
    assert totals["resumed"] == done_before
    assert totals["translated_now"] == SEGMENTS - done_before
    # ... and every sentence went to the model exactly once over both runs.
    assert totals["model_sentences"] == SEGMENTS == manifest(reference)["totals"]["model_sentences"]


def run_on_terminal(args: list[str]) -> str:
    """Run a command with stderr on a pseudo-terminal; return what it wrote there."""
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_on_a_terminal_unless_quiet(tmp_path: Path) -> None:
    source = tmp_path / "a.nl"
    source.write_text("\n".join(numbered_sentences(20)) + "\n", encoding="utf-8")
    base = ["batch", str(source), "--no-cache", "--beam-size", "2"]
    shown = run_on_terminal(vertaal(*base, "-o", str(tmp_path / "a")))
    assert "files: 100%" in shown and "segments: 100%" in shown and "20/20" in shown
    assert "seg/s" in shown
    quiet = run_on_terminal(vertaal(*base, "-o", str(tmp_path / "b"), "--quiet"))
    assert "segments:" not in quiet and "1 of 1 files translated" in quiet
