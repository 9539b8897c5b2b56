"""Real SIGINT and SIGTERM while a glossary is being edited or written.

The signals are real (``os.kill`` of this very process) and handled the way
the command line handles them (:func:`translate.interrupts.interrupts_as_exceptions`):
the glossary keeps its old bytes, no temporary file stays, and the edit lock
is released for the next editor.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from glossary.store import GlossaryEntry, edit_glossary, lock_path
from translate.fileio import atomic_write
from translate.interrupts import Interrupted, interrupts_as_exceptions

ORIGINAL = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    'msgid "kabinet"\nmsgstr "cabinet"\n'
)

SIGNALS = pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    path = tmp_path / "terms.po"
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


def _leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


@SIGNALS
def test_signal_during_an_edit_writes_nothing_and_frees_the_lock(
    glossary_file: Path, signum: int
) -> None:
    with (
        pytest.raises(Interrupted) as raised,
        interrupts_as_exceptions(),
        edit_glossary(glossary_file) as glossary,
    ):
        glossary.add(GlossaryEntry("premier", "prime minister"))
        os.kill(os.getpid(), signum)
    assert raised.value.exit_code == 128 + signum
    assert glossary_file.read_text(encoding="utf-8") == ORIGINAL
    with edit_glossary(glossary_file, timeout=0.5) as glossary:  # not locked any more
        glossary.add(GlossaryEntry("premier", "prime minister"))
    assert "prime minister" in glossary_file.read_text(encoding="utf-8")


@SIGNALS
def test_signal_halfway_through_the_write_leaves_the_old_file_and_no_temporary(
    glossary_file: Path, signum: int
) -> None:
    def half_then_signal(temporary: Path) -> None:
        temporary.write_text(ORIGINAL[:20], encoding="utf-8")
        os.kill(os.getpid(), signum)

    with pytest.raises(Interrupted), interrupts_as_exceptions():
        atomic_write(glossary_file, half_then_signal)
    assert glossary_file.read_text(encoding="utf-8") == ORIGINAL
    assert (
        _leftovers(glossary_file.parent, {glossary_file.name, lock_path(glossary_file).name}) == []
    )


def test_handlers_are_restored_after_the_block() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with interrupts_as_exceptions():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
