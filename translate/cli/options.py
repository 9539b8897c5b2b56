"""Click options shared by the commands that translate, evaluate, score and edit glossaries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from translate.engine import (
    COMPUTE_TYPES,
    DEFAULT_BEAM_SIZE,
    DEFAULT_COMPUTE_TYPE,
    DEFAULT_MAX_BATCH_TOKENS,
    EngineRequest,
    available_cores,
)

F = TypeVar("F", bound=Callable[..., object])

domain_option = click.option(
    "--domain",
    "domains",
    multiple=True,
    metavar="NAME",
    help="Apply glossary entries of this msgctxt domain (repeatable); entries without a "
    "domain always apply. Default: every domain.",
)

no_default_glossary_option = click.option(
    "--no-default-glossary",
    is_flag=True,
    help="Leave out the shipped news glossary (use only --glossary files).",
)


def glossary_options(command: F) -> F:
    """Add ``--glossary`` (repeatable), ``--no-default-glossary``, ``--domain``,
    ``--no-glossary`` and ``--include-fuzzy``."""
    command = click.option(
        "--include-fuzzy", is_flag=True, help="Also enforce fuzzy glossary entries."
    )(command)
    command = click.option("--no-glossary", is_flag=True, help="Translate without any glossary.")(
        command
    )
    command = domain_option(command)
    command = no_default_glossary_option(command)
    return click.option(
        "-g",
        "--glossary",
        "glossaries",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Extra PO glossary (repeatable; later files win over earlier and shipped ones).",
    )(command)


def check_glossary_flags(
    glossaries: tuple[Path, ...],
    no_glossary: bool,
    fuzzy: bool,
    no_default: bool = False,
    domains: Sequence[str] = (),
) -> None:
    """Refuse ``--no-glossary`` together with options that need a glossary."""
    if no_glossary and (glossaries or fuzzy or no_default or domains):
        raise click.UsageError(
            "--no-glossary cannot be combined with --glossary/--include-fuzzy/"
            "--no-default-glossary/--domain"
        )


no_protect_option = click.option(
    "--no-protect",
    is_flag=True,
    help="Leave numbers, dates, codes, URLs, placeholders and tags to the model "
    "(by default they are kept or converted by rule and verified).",
)


def _known_encoding(ctx: click.Context, param: click.Parameter, value: str) -> str:
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r}") from None
    return value


def encoding_option(help_text: str) -> Callable[[F], F]:
    """``--encoding`` (default UTF-8), refused at parse time when Python does not know it."""
    return click.option(
        "--encoding",
        default="utf-8",
        show_default=True,
        callback=_known_encoding,
        help=help_text,
    )


def cache_options(command: F) -> F:
    """Add ``--cache FILE`` and ``--no-cache`` (the one cache that batch and serve share)."""
    command = click.option(
        "--no-cache", is_flag=True, help="Do not read or write the translation cache."
    )(command)
    return click.option(
        "--cache",
        "cache_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Translation cache file, shared by batch and serve "
        "(default: $XDG_CACHE_HOME/vertaal/cache.sqlite).",
    )(command)


def chosen_cache(cache_path: Path | None, no_cache: bool) -> Path | None:
    """The cache file that ``--cache``/``--no-cache`` select (``None``: no cache)."""
    if no_cache and cache_path:
        raise click.UsageError("--cache and --no-cache exclude each other")
    if no_cache:
        return None
    from translate.batch.cache import default_cache_path

    return cache_path or default_cache_path()


compute_type_option = click.option(
    "--compute-type",
    type=click.Choice(COMPUTE_TYPES),
    help=f"CTranslate2 compute type (default {DEFAULT_COMPUTE_TYPE}).",
)
beam_size_option = click.option(
    "--beam-size", type=click.IntRange(1, 16), help=f"Beam size (default {DEFAULT_BEAM_SIZE})."
)
batch_tokens_option = click.option(
    "--batch-tokens",
    type=click.IntRange(16, 1_000_000),
    help=f"Source tokens per batch (default {DEFAULT_MAX_BATCH_TOKENS}).",
)


def threads_help() -> str:
    """How the cores are used by default on this machine (from :class:`EngineRequest`)."""
    options = EngineRequest().resolve()
    return (
        f"all {available_cores()} cores here: {options.inter_threads} replica(s) "
        f"of {options.resolved_intra_threads()} thread(s)"
    )


def inter_threads_help() -> str:
    """The default number of CTranslate2 replicas on this machine (from :class:`EngineRequest`)."""
    one = EngineRequest().resolve().inter_threads
    two = EngineRequest(workers=2).resolve().inter_threads
    return f"{one} here with one worker, {two} per worker with two; more cores, more replicas"


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
