"""``vertaal cache``: inspect or clear the translation cache used by ``vertaal batch``."""

from __future__ import annotations

from pathlib import Path

import click

from translate.batch.cache import cache_stats, clear_cache, default_cache_path

_CACHE_OPTION = click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Cache file (default: $XDG_CACHE_HOME/vertaal/cache.sqlite).",
)


@click.group("cache")
def cache_group() -> None:
    """Inspect or clear the translation cache (sentence → translation, per model and glossary).

    \b
    Examples:
      vertaal cache stats
      vertaal cache clear --cache /tmp/vertaal-cache.sqlite
    """


@cache_group.command("stats")
@_CACHE_OPTION
def stats_command(cache_path: Path | None) -> None:
    """Show where the cache is, how many translations it holds and for which models.

    \b
    Example:
      vertaal cache stats
    """
    stats = cache_stats(cache_path or default_cache_path())
    click.echo(f"cache: {stats.path}")
    if not stats.exists:
        click.echo("entries: 0 (no cache yet)")
        return
    click.echo(f"entries: {stats.entries}")
    click.echo(f"size: {stats.size_bytes / 1024:.1f} KiB")
    for model_id, count in stats.models:
        click.echo(f"  {model_id}: {count}")


@cache_group.command("clear")
@_CACHE_OPTION
def clear_command(cache_path: Path | None) -> None:
    """Delete every cached translation.

    \b
    Examples:
      vertaal cache clear
      vertaal cache clear --cache /tmp/vertaal-cache.sqlite
    """
    path = cache_path or default_cache_path()
    removed = clear_cache(path)
    click.echo(f"cleared {removed} entries from {path}")
