"""The project's exceptions.

Every error a user can cause is a :class:`VertaalError`: a one-line
``message`` and an optional ``hint`` saying how to fix it. They are plain
exceptions; the core raises them and never prints. The command line
(``translate.cli``) is the one place that turns them into an ``Error: ...``
line and exit status 1, without a traceback.

A message or hint that needs to name a setting the user can change writes it
as ``{option:NAME}``, where ``NAME`` is the setting's keyword (``encoding``,
``any_pair``, ``format_name``...), never a command-line flag. The command line
renders the marker as the flag of the command that ran (``--format``); any
other reader gets the setting's conventional long-option spelling
(``--format-name``), see :meth:`VertaalError.render`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

_E = TypeVar("_E", bound="VertaalError")
_OPTION_MARKER = re.compile(r"\{option:([A-Za-z_][A-Za-z0-9_]*)\}")


def option(name: str) -> str:
    """The marker for setting ``name`` in a message or hint (see the module docstring)."""
    return "{option:" + name + "}"


def default_flag(name: str) -> str:
    """The conventional long-option spelling of setting ``name``: ``any_pair`` → ``--any-pair``."""
    return "--" + name.replace("_", "-")


class VertaalError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self._message = message
        self._hint = hint

    @property
    def message(self) -> str:
        """What went wrong (settings spelled by :func:`default_flag`)."""
        return render_options(self._message)

    @property
    def hint(self) -> str | None:
        """How to fix it, if the raiser knows (settings spelled by :func:`default_flag`)."""
        return None if self._hint is None else render_options(self._hint)

    def render(self, flags: Mapping[str, str] | None = None) -> str:
        """``message; hint`` on one line, each setting spelled as ``flags[setting]``.

        Settings missing from ``flags`` get :func:`default_flag`.
        """
        text = self._message if self._hint is None else f"{self._message}; {self._hint}"
        return render_options(text, flags)

    def recast(self, kind: type[_E]) -> _E:
        """The same message and hint as an error of another ``kind``."""
        return kind(self._message, self._hint)

    def format_message(self) -> str:
        """The one-line text shown to a user (``message; hint``)."""
        return self.render()

    def __str__(self) -> str:
        return self.render()


def render_options(text: str, flags: Mapping[str, str] | None = None) -> str:
    """``text`` with each ``{option:NAME}`` marker spelled ``flags[NAME]`` (or the default)."""
    known = flags or {}
    return _OPTION_MARKER.sub(
        lambda match: known.get(match.group(1)) or default_flag(match.group(1)), text
    )


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
