"""The project's exceptions.

Every error a user can cause is a :class:`VertaalError`. It subclasses
:class:`click.ClickException` so the command line prints it as one line and
exits with ``exit_code`` without a traceback; core code raises it like any
other exception and never prints.
"""

from __future__ import annotations

import click


class VertaalError(click.ClickException):
    """Base class: a problem the user can fix, described in one line."""

    exit_code = 1


class InputError(VertaalError):
    """Input text or file that cannot be read (missing, not UTF-8, binary, empty)."""


class ModelError(VertaalError):
    """No usable translation model, or a model that fails to load."""


class PackageError(VertaalError):
    """An Argos package that is invalid, unsafe, or cannot be installed or downloaded."""


class GlossaryError(VertaalError):
    """A glossary file or entry that is malformed or conflicts with another."""


class ScoringError(VertaalError):
    """Hypothesis and reference files that cannot be scored together."""


class BatchError(VertaalError):
    """A batch job that cannot start or continue."""


class TrainingError(VertaalError):
    """A training corpus or configuration that cannot produce a model."""


def located(path: object, line: int | None, problem: str, fix: str | None = None) -> str:
    """Format a one-line message ``path:line: problem (fix)`` for errors tied to a file."""
    where = f"{path}:{line}" if line is not None else f"{path}"
    return f"{where}: {problem}" + (f"; {fix}" if fix else "")
