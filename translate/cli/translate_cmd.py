"""``vertaal translate``: Dutch text in, English text out (stdin, files, directories)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from translate.cli.options import (
    batch_tokens_option,
    beam_size_option,
    check_glossary_flags,
    compute_type_option,
    encoding_option,
    glossary_options,
    no_protect_option,
    threads_help,
)
from translate.documents.base import document_format_names
from translate.errors import InputError, located
from translate.fileio import (
    atomic_write_text,
    decode_text,
    display_name,
    is_stdin,
    names_directory,
    read_bytes,
)

STDIN = "-"
STDOUT = "-"


@dataclasses.dataclass(frozen=True)
class _Input:
    name: str
    path: Path | None
    text: str


def read_input_bytes(name: str, data: bytes, encoding: str) -> str:
    """Decode one input, refusing binary data, invalid text and empty input."""
    text = decode_text(name, data, encoding)
    if not text.strip():
        raise InputError(located(name, None, "empty input: nothing to translate"))
    return text


def _read_inputs(sources: tuple[str, ...], encoding: str) -> list[_Input]:
    inputs: list[_Input] = []
    for source in sources or (STDIN,):
        path = None if is_stdin(source) else Path(source)
        if path is not None and path.is_dir():
            raise InputError(
                located(source, None, "is a directory", "use `vertaal batch` for directories")
            )
        name = display_name(source)
        data = read_bytes(Path(source))
        inputs.append(_Input(name, path, read_input_bytes(name, data, encoding)))
    return inputs


def _plan_outputs(inputs: list[_Input], output: str | None) -> list[Path | None]:
    """Where each input's translation goes (``None`` = stdout).

    ``-o`` names a directory when it ends in a slash or is one already (it is
    created when missing), and must name one for several inputs; anything
    else is a file, a link to one, or a FIFO or device to write into.
    """
    if output is None or output == STDOUT:
        if len(inputs) > 1:
            raise click.UsageError("several inputs need -o DIRECTORY")
        return [None]
    target = Path(output)
    as_directory = names_directory(output) or target.is_dir() or len(inputs) > 1
    if not as_directory:
        planned: list[Path | None] = [target]
    else:
        if target.exists() and not target.is_dir():
            raise click.UsageError(f"-o {output}: not a directory")
        names = [item.path.name if item.path else "stdin.txt" for item in inputs]
        if len(set(names)) != len(names):
            raise click.UsageError("two inputs have the same file name; translate them separately")
        planned = [target / name for name in names]
    for item, destination in zip(inputs, planned, strict=True):
        if item.path and destination and destination.resolve() == item.path.resolve():
            raise click.UsageError(f"{item.name}: output would overwrite the input")
    return planned


def _to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"


@click.command("translate")
@click.argument("files", nargs=-1, metavar="[FILE ...|-]")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Output file (one input; '-' for stdout) or directory (several inputs, or a path "
    "ending in '/'; created if missing); default stdout.",
)
@click.option(
    "-m", "--model", "model_spec", metavar="NAME|PATH", help="Installed package name or path."
)
@click.option("--json", "as_json", is_flag=True, help="Emit per-sentence JSON records.")
@glossary_options
@no_protect_option
@encoding_option("Encoding of the input.")
@beam_size_option
@click.option(
    "--threads", type=click.IntRange(1, 256), help=f"CPU threads (default: {threads_help()})."
)
@batch_tokens_option
@compute_type_option
@click.option(
    "--format",
    "document_format",
    type=click.Choice(document_format_names()),
    help="Document format of the FILEs (default: from the extension; see README).",
)
@click.option("--overwrite", is_flag=True, help="XLIFF: also retranslate units that have a target.")
def translate_command(
    files: tuple[str, ...],
    output: str | None,
    model_spec: str | None,
    as_json: bool,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    domains: tuple[str, ...],
    no_glossary: bool,
    include_fuzzy: bool,
    no_protect: bool,
    encoding: str,
    beam_size: int | None,
    threads: int | None,
    batch_tokens: int | None,
    compute_type: str | None,
    document_format: str | None,
    overwrite: bool,
) -> None:
    """Translate Dutch text to English, keeping paragraphs and line breaks.

    Reads FILEs (or stdin, also as "-") and writes to stdout or -o. The
    shipped news glossary is enforced unless --no-glossary or
    --no-default-glossary is given; --domain NAME selects msgctxt domains.
    Numbers come out in English notation (2,5 → 2.5, 14.35 uur → 14:35),
    codes, URLs, format placeholders and tags unchanged, unless --no-protect
    is given. Suspicious sentences are flagged (see --json), counted on stderr.

    \b
    Examples:
      echo "De NAVO-top begint morgen." | vertaal translate
      vertaal translate artikel.txt -o article.txt
      vertaal translate a.txt b.txt -o out/ --json
      vertaal translate verslag.docx -o report.docx
      vertaal translate ondertitels.srt -o subtitles.srt
      vertaal translate a.txt --no-default-glossary --glossary mijn.po --domain defence
    """
    check_glossary_flags(glossaries, no_glossary, include_fuzzy, no_default_glossary, domains)

    from translate.cli.documents import plan_documents

    documents = plan_documents(files, output, document_format)
    if documents is not None and as_json:
        raise click.UsageError("--json is for text input, not documents")
    inputs = _read_inputs(files, encoding) if documents is None else []
    destinations = _plan_outputs(inputs, output) if documents is None else []

    # the glossary is read before the model loads, so a bad glossary fails fast
    from glossary.enforce import build_enforcer

    enforcer = build_enforcer(
        [] if no_glossary else list(glossaries),
        use_default=not no_glossary and not no_default_glossary,
        include_fuzzy=include_fuzzy,
        domains=domains or None,
        protect=not no_protect,
    )

    from translate.engine import Engine, EngineRequest
    from translate.packages import resolve_package

    package = resolve_package(model_spec)
    options = EngineRequest(
        threads=threads,
        beam_size=beam_size,
        compute_type=compute_type,
        max_batch_tokens=batch_tokens,
    ).resolve()
    engine = Engine.load(package, options)
    click.echo(
        f"vertaal: translating with {package.name} {package.package_version} ({package.path})",
        err=True,
    )
    if package.bundled:
        click.echo(
            "warning: this is the small bundled model; for better translations run "
            "`vertaal models install nl en`",
            err=True,
        )

    segments = []
    if documents is not None:
        from translate.cli.documents import translate_documents

        segments = translate_documents(documents, engine, enforcer, overwrite)
    for item, destination in zip(inputs, destinations, strict=True):
        translation = engine.translate_document(item.text, enforcer, check=True)
        segments.extend(translation.segments)
        rendered = _to_json(translation.to_dict(item.name)) if as_json else translation.text
        if destination is None:
            click.echo(rendered, nl=False)
        else:
            atomic_write_text(destination, rendered, error=InputError)
    if enforcer is not None and any(segment.terms for segment in segments):
        click.echo(enforcer.summary(segments), err=True)
    from translate.scoring.quality import flag_summary

    click.echo(flag_summary([segment.flags for segment in segments]), err=True)
