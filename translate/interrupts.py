"""SIGINT and SIGTERM as one exception, so every command stops the same way.

Python turns SIGINT into :class:`KeyboardInterrupt`, which click renders as
"Aborted!" with exit status 1, and SIGTERM kills the process without running
any ``finally`` block, leaving temporary files, staging directories and locks
behind. Inside :func:`interrupts_as_exceptions` both signals instead raise
:class:`Interrupted`, which unwinds the stack (so atomic writers remove their
temporaries, batch jobs close their journal, installs remove their staging
directory) and lets the command line exit with the shell's convention:
128 + the signal number, i.e. 130 for SIGINT and 143 for SIGTERM.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The process received SIGINT or SIGTERM; unwind, clean up and exit.

    A :class:`BaseException` (like :class:`KeyboardInterrupt`) so that handlers
    of ordinary errors do not swallow it; deliberately *not* a
    ``KeyboardInterrupt``, which click would turn into "Aborted!" and status 1.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's status for death by this signal: 130 (SIGINT), 143 (SIGTERM)."""
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        """``SIGINT`` or ``SIGTERM``."""
        return signal.Signals(self.signum).name


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    # A second signal while the first one's cleanup runs ends the process at
    # once: the user asked twice, and cleanup must not be interrupted halfway.
    for handled in HANDLED_SIGNALS:
        signal.signal(handled, _exit_at_once)
    raise Interrupted(signum)


def _exit_at_once(signum: int, frame: FrameType | None) -> None:
    os._exit(128 + signum)


@contextmanager
def interrupts_as_exceptions() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread.

    Outside the main thread (where handlers cannot be installed) this does
    nothing. The previous handlers are restored on exit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {handled: signal.getsignal(handled) for handled in HANDLED_SIGNALS}
    for handled in HANDLED_SIGNALS:
        signal.signal(handled, _raise_interrupted)
    try:
        yield
    finally:
        for handled, handler in previous.items():
            signal.signal(handled, signal.SIG_DFL if handler is None else handler)
