"""``vertaal serve``: the LibreTranslate-compatible HTTP server (see translate.server)."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import (
    beam_size_option,
    cache_options,
    check_glossary_flags,
    chosen_cache,
    compute_type_option,
    glossary_options,
)
from translate.errors import InputError
from translate.fileio import read_text


def read_api_keys(path: Path) -> frozenset[str]:
    """One key per line; blank lines and ``#`` comments are ignored."""
    text = read_text(path, error=InputError, what="API key file ")
    keys = set()
    for number, line in enumerate(text.splitlines(), 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        if any(c.isspace() for c in key):
            raise InputError(f"{path}:{number}: an API key cannot contain spaces; one key a line")
        keys.add(key)
    if not keys:
        raise InputError(f"{path}: no API keys in the file; put one key on each line")
    return frozenset(keys)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True)
@click.option(
    "-m", "--model", "model_spec", metavar="NAME|PATH", help="Installed package name or path."
)
@glossary_options
@click.option(
    "--no-protect",
    is_flag=True,
    help="Leave numbers, codes, URLs and tags to the model (as vertaal batch does).",
)
@click.option(
    "--api-keys",
    "api_keys_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File of accepted API keys, one a line; without it no key is needed.",
)
@click.option(
    "--char-limit",
    type=click.IntRange(1, 10_000_000),
    default=5000,
    show_default=True,
    help="Most characters per /translate request.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Batches decoded at once (default: the model's parallel replicas).",
)
@click.option(
    "--queue-limit",
    type=click.IntRange(1, 1_000_000),
    default=4096,
    show_default=True,
    help="Sentences allowed to wait; beyond that requests get 429.",
)
@cache_options
@click.option("--threads", type=click.IntRange(1, 256), help="CPU threads (default: all cores).")
@beam_size_option
@compute_type_option
def serve_command(
    host: str,
    port: int,
    model_spec: str | None,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    domains: tuple[str, ...],
    no_glossary: bool,
    include_fuzzy: bool,
    no_protect: bool,
    api_keys_file: Path | None,
    char_limit: int,
    workers: int | None,
    queue_limit: int,
    cache_path: Path | None,
    no_cache: bool,
    threads: int | None,
    beam_size: int | None,
    compute_type: str | None,
) -> None:
    """Serve translations over HTTP, compatible with LibreTranslate clients.

    Offers LibreTranslate's /translate, /languages, /detect, /translate_file
    and /frontend/settings, plus a page for translators at /. Requests may name
    a glossary ("glossary": "news") or give terms inline ("terms": [{"source":
    "kabinet", "target": "cabinet"}]); answers carry the applied terms and
    flags under "vertaal". Stop with Ctrl-C or SIGTERM: requests in flight
    are finished first.

    \b
    Examples:
      vertaal serve                         # http://127.0.0.1:5000
      vertaal serve --port 8080 --glossary mijn-termen.po --api-keys keys.txt
      curl -s localhost:5000/translate -H 'Content-Type: application/json' \\
           -d '{"q": "De NAVO-top begint morgen.", "source": "nl", "target": "en"}'
    """
    cache = chosen_cache(cache_path, no_cache)
    check_glossary_flags(glossaries, no_glossary, include_fuzzy, no_default_glossary, domains)
    keys = read_api_keys(api_keys_file) if api_keys_file else frozenset()

    from translate.batch.cache import TranslationCache
    from translate.engine import Engine, EngineRequest
    from translate.packages import resolve_package
    from translate.server.batcher import Batcher
    from translate.server.glossaries import GlossaryCatalog
    from translate.server.service import ServerSettings

    if cache is not None:
        TranslationCache(cache).close()  # an unusable cache stops the server before it listens
    catalog = GlossaryCatalog(
        list(glossaries),
        use_default=not no_default_glossary,
        domains=domains,
        include_fuzzy=include_fuzzy,
        enabled=not no_glossary,
        protect=not no_protect,
    )
    package = resolve_package(model_spec)
    options = EngineRequest(
        threads=threads, beam_size=beam_size, compute_type=compute_type
    ).resolve()
    engine = Engine.load(package, options)
    batcher = Batcher(
        engine,
        workers=workers or options.inter_threads,
        max_queued_sentences=queue_limit,
        cache_path=cache,
    )
    settings = ServerSettings(char_limit=char_limit, api_keys=keys)
    click.echo(
        f"vertaal: serving {package.name} {package.package_version} on http://{host}:{port}/ "
        f"(glossaries: {', '.join(catalog.names)}; Ctrl-C or SIGTERM stops)",
        err=True,
    )
    from translate.server.run import serve

    serve(settings, engine, catalog, batcher, host=host, port=port)
