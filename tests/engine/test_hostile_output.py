"""Hostile outputs: links, FIFOs, devices, full disks, closed pipes, directories by slash.

Every case is real: real symbolic links, FIFOs, /dev/full, closed pipes and a
real ``vertaal`` process where the process's own stdout is the thing under test.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

SOURCE = "De kat slaapt.\n"
DEV_FULL = Path("/dev/full")


def vertaal(*args: str) -> list[str]:
    """The command line of a real ``vertaal`` process."""
    return [sys.executable, "-c", "from translate.cli import main; main()", *args]


def _one_line_error(stderr: str, *needles: str) -> None:
    last = stderr.strip().splitlines()[-1]
    assert "Traceback" not in stderr, stderr
    for needle in needles:
        assert needle in last, stderr


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def _translate(runner: CliRunner, *args: str) -> object:
    return runner.invoke(cli, ["translate", "--no-glossary", *args])


def test_output_onto_a_symlink_writes_through_it(
    runner: CliRunner, tmp_path: Path, source: Path
) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.readlink() == Path("real.txt")
    assert "cat" in real.read_text().lower()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "link.txt", "real.txt"]


def test_output_onto_a_dangling_symlink_creates_its_target(
    runner: CliRunner, tmp_path: Path, source: Path
) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("made.txt")
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (tmp_path / "made.txt").read_text().strip()


def test_output_into_a_fifo_writes_into_it_and_keeps_the_node(
    runner: CliRunner, tmp_path: Path, source: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", str(fifo)])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert b"cat" in received[0].lower()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "pipe"]


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")
def test_output_onto_dev_full_is_a_clean_error_and_the_device_stays(
    runner: CliRunner, source: Path
) -> None:
    before = DEV_FULL.stat()
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", "/dev/full"])
    assert result.exit_code == 1
    _one_line_error(result.stderr, "/dev/full", "No space left on device")
    after = DEV_FULL.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("suffix", ["/", "/sub/"])
def test_output_ending_in_a_slash_is_a_directory_created_on_demand(
    runner: CliRunner, tmp_path: Path, source: Path, suffix: str
) -> None:
    target = tmp_path / "newdir"
    result = runner.invoke(
        cli, ["translate", "--no-glossary", str(source), "-o", str(target) + suffix]
    )
    assert result.exit_code == 0, result.output
    written = (target / suffix.strip("/") / "in.txt") if suffix != "/" else target / "in.txt"
    assert written.is_file() and "cat" in written.read_text().lower()


def test_output_slash_onto_an_existing_file_is_refused_and_the_file_kept(
    runner: CliRunner, tmp_path: Path, source: Path
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("keep me\n")
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", f"{blocker}/"])
    assert result.exit_code == 2
    assert "not a directory" in result.stderr
    assert blocker.read_text() == "keep me\n"


def test_output_onto_a_symlink_to_the_input_is_refused(
    runner: CliRunner, tmp_path: Path, source: Path
) -> None:
    link = tmp_path / "alias.txt"
    link.symlink_to(source)
    result = runner.invoke(cli, ["translate", "--no-glossary", str(source), "-o", str(link)])
    assert result.exit_code == 2
    assert "overwrite the input" in result.stderr
    assert source.read_text() == SOURCE


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")
def test_stdout_on_a_full_device_exits_non_zero_with_one_line(source: Path) -> None:
    with DEV_FULL.open("wb") as full:
        done = subprocess.run(
            vertaal("translate", "--no-glossary", str(source)),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert done.returncode == 1
    _one_line_error(done.stderr, "<stdout>", "No space left on device")


def test_stdout_into_a_closed_pipe_exits_non_zero_with_one_line(source: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: every write gets EPIPE
    try:
        done = subprocess.run(
            vertaal("glossary", "list"),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 1
    _one_line_error(done.stderr, "<stdout>", "Broken pipe")


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")
def test_json_listing_on_a_full_device_is_reported(tmp_path: Path) -> None:
    with DEV_FULL.open("wb") as full:
        done = subprocess.run(
            vertaal("models", "list", "--json"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    _one_line_error(done.stderr, "No space left on device")
