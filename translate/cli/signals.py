"""How the command line ends: exit status after a signal or an output that could not be written.

One convention for every command: SIGINT exits 130 and SIGTERM 143 after the
stack has unwound (temporaries, staging directories and locks are removed on
the way, see :mod:`translate.interrupts`); output that cannot be written to
standard output (a full device, a closed pipe) is reported on stderr in one
line with status 1 instead of being lost silently or ending in a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import NoReturn

import click

from translate.interrupts import Interrupted, interrupts_as_exceptions

WRITE_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})
"""Errors that mean "the output could not be written", not a bug."""

STDOUT_NAME = "<stdout>"


def run_command_line(command: click.Command) -> NoReturn:
    """Run ``command`` (a click command in standalone mode) and exit with its status."""
    with interrupts_as_exceptions():
        try:
            status = _run(command)
        except Interrupted as interrupt:
            _say(f"vertaal: interrupted by {interrupt.signal_name}")
            _silence_stdout()  # whatever is still buffered is partial output: drop it
            sys.stderr.flush()
            # Every finally block has run while the exception unwound; skipping
            # the interpreter's teardown avoids waiting for the model's worker
            # threads to finish the batches they had already queued.
            os._exit(interrupt.exit_code)
    sys.exit(status)


def _run(command: click.Command) -> int:
    stdout = sys.stdout
    try:
        command.main()
    except SystemExit as done:
        status = _status(done.code)
    except OSError as problem:
        if problem.errno not in WRITE_ERRNOS:
            raise
        _say(f"vertaal: {problem.filename or STDOUT_NAME}: cannot write ({problem.strerror})")
        _silence_stdout()
        return 1
    else:
        status = 0
    # When click catches EPIPE it says nothing and swaps sys.stdout for a
    # wrapper that hides later flush errors (its class is private from click 8.5).
    if sys.stdout is not stdout:
        _say(f"vertaal: {STDOUT_NAME}: cannot write ({os.strerror(errno.EPIPE)})")
        return status or 1
    return _flush_stdout(status)


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _say(str(code))
    return 1


def _flush_stdout(status: int) -> int:
    """Flush stdout now, so that a write error is reported instead of lost at exit."""
    try:
        sys.stdout.flush()
    except OSError as problem:
        _say(f"vertaal: {STDOUT_NAME}: cannot write ({problem.strerror})")
        _silence_stdout()
        return status or 1
    return status


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no real stdout (embedded use): nothing can be flushed to it either


def _say(message: str) -> None:
    with contextlib.suppress(OSError):  # stderr is gone too; the exit status still tells
        click.echo(message, err=True)
