"""Click options shared by the commands that translate (``translate`` and ``batch``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

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
        "-g",
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


def _parse_metrics(ctx: click.Context, param: click.Parameter, value: Any) -> list[str] | None:
    if value is None or isinstance(value, list):
        return value
    from translate.errors import ScoringError
    from translate.scoring.metrics import parse_metric_names

    try:
        return parse_metric_names(str(value))
    except ScoringError as error:
        raise click.BadParameter(error.format_message(), ctx=ctx, param=param) from None


def metrics_option(
    default: str | None, *declarations: str, help: str | None = None, hidden: bool = False
) -> Callable[[F], F]:
    """``--metrics bleu,chrf,...`` (or other ``declarations``), parsed into metric names."""
    return click.option(
        *(declarations or ("--metrics",)),
        default=default,
        show_default=default is not None,
        metavar="METRICS",
        callback=_parse_metrics,
        hidden=hidden,
        help=help,
    )
