"""Real SIGINT, SIGTERM and SIGKILL sent to a real ``vertaal translate`` mid-translation.

One convention: 130 for SIGINT, 143 for SIGTERM, one line on stderr, no
traceback, no partial output and no temporary file left; an existing output
file keeps its old content whatever signal arrives.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SENTENCES = 400


def vertaal(*args: str) -> list[str]:
    """The command line of a real ``vertaal`` process."""
    return [sys.executable, "-c", "from translate.cli import main; main()", *args]


@pytest.fixture
def long_input(tmp_path: Path) -> Path:
    """Distinct sentences (duplicates are translated once), enough for seconds of work."""
    path = tmp_path / "long.txt"
    lines = [f"In Utrecht wonen {100 + 7 * i} mensen en {i} katten." for i in range(SENTENCES)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _start_and_signal(command: list[str], signum: int) -> tuple[int, str, float]:
    """Run ``command``, send ``signum`` once the model is translating; (status, stderr, delay)."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    line = process.stderr.readline()  # "vertaal: translating with ..." once the model is loaded
    assert "translating with" in line, line
    time.sleep(0.3)
    assert process.poll() is None, "finished before the signal could be sent"
    sent = time.monotonic()
    process.send_signal(signum)
    rest = process.stderr.read()
    status = process.wait(timeout=60)
    return status, line + rest, time.monotonic() - sent


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"]
)
def test_signal_mid_translation_exits_by_convention_leaving_the_old_output(
    tmp_path: Path, long_input: Path, signum: int, status: int
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous translation\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, stderr, delay = _start_and_signal(
        vertaal("translate", "--no-glossary", str(long_input), "-o", str(target)), signum
    )
    assert code == status, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    assert (
        stderr.strip().splitlines()[-1] == f"vertaal: interrupted by {signal.Signals(signum).name}"
    )
    assert target.read_text() == "previous translation\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary left
    assert delay < 15, "the signal waited for the whole document"


def test_sigint_mid_translation_to_stdout_prints_nothing(long_input: Path) -> None:
    process = subprocess.Popen(
        vertaal("translate", "--no-glossary", str(long_input)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None and process.stdout is not None
    assert "translating with" in process.stderr.readline()
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert out == ""


def test_sigkill_mid_translation_leaves_the_old_output_whole(
    tmp_path: Path, long_input: Path
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous translation\n")
    code, _, _ = _start_and_signal(
        vertaal("translate", "--no-glossary", str(long_input), "-o", str(target)), signal.SIGKILL
    )
    assert code == -signal.SIGKILL
    assert target.read_text() == "previous translation\n"
