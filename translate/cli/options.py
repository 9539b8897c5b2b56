"""Click options shared by the commands that translate (``translate`` and ``batch``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])

COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int16", "float32", "float16")


def glossary_options(command: F) -> F:
    """Add ``--glossary`` (repeatable), ``--no-glossary`` and ``--include-fuzzy``."""
    command = click.option(
        "--include-fuzzy", is_flag=True, help="Also enforce fuzzy glossary entries."
    )(command)
    command = click.option("--no-glossary", is_flag=True, help="Translate without any glossary.")(
        command
    )
    return click.option(
        "--glossary",
        "glossaries",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Extra PO glossary (repeatable; later files win over earlier and shipped ones).",
    )(command)


def check_glossary_flags(glossaries: tuple[Path, ...], no_glossary: bool, fuzzy: bool) -> None:
    """Refuse ``--no-glossary`` together with options that need a glossary."""
    if no_glossary and (glossaries or fuzzy):
        raise click.UsageError("--no-glossary cannot be combined with --glossary/--include-fuzzy")


compute_type_option = click.option(
    "--compute-type",
    type=click.Choice(COMPUTE_TYPES),
    help="CTranslate2 compute type (default int8).",
)
