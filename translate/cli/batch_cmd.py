"""``vertaal batch``: translate many files in many formats into an output directory, resumably."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import click

from translate.batch.formats import FormatOptions, describe_formats, format_names
from translate.batch.job import MANIFEST, BatchOptions, FileReport, run_batch
from translate.cli.options import (
    beam_size_option,
    cache_options,
    check_glossary_flags,
    chosen_cache,
    compute_type_option,
    encoding_option,
    glossary_options,
    inter_threads_help,
    no_protect_option,
    threads_help,
)
from translate.engine import DEFAULT_WORKERS
from translate.errors import render_options
from translate.interrupts import Interrupted


class TqdmProgress:
    """Two progress bars on stderr: files, and segments with rate and ETA."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._files: Any = None
        self._segments: Any = None

    def start(self, files: int, segments: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        # A terminal that reports no size (some ptys) would get empty or hidden bars.
        try:
            columns, lines = os.get_terminal_size(sys.stderr.fileno())
        except OSError:
            columns, lines = 0, 0
        common: dict[str, Any] = {"file": sys.stderr, "ncols": columns or 80, "nrows": lines or 24}
        self._files = tqdm(total=files, desc="files", unit="file", position=0, **common)
        self._segments = tqdm(total=segments, desc="segments", unit="seg", position=1, **common)

    def advance(self, segments: int) -> None:
        if self._segments is not None:
            self._segments.update(segments)

    def file_finished(self, report: FileReport) -> None:
        if self._files is not None:
            self._files.update(1)

    def __enter__(self) -> TqdmProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for bar in (self._segments, self._files):
            if bar is not None:
                bar.close()


def _formats_help() -> str:
    # the settings the descriptions name are this command's --column and --field
    return "\n".join(
        f"  {name:<6} {ext:<14} {render_options(text)}" for name, ext, text in describe_formats()
    )


@click.command("batch", epilog="\b\nFormats:\n" + _formats_help())
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory; mirrors the inputs' layout; holds manifest.json and the job journal.",
)
@click.option(
    "--glob",
    "globs",
    multiple=True,
    metavar="PATTERN",
    help="Only files matching (repeatable), e.g. '*.txt'.",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(format_names()),
    help="Read every file in this format (default: by extension).",
)
@click.option(
    "--column",
    default="auto",
    show_default=True,
    metavar="auto|N|NAME",
    help="TSV/CSV column to translate: auto (a header name like nl/text/source, else the "
    "column with the most words; never a column of numbers or IDs), a number, or a header name.",
)
@click.option(
    "--header/--no-header",
    default=None,
    help="TSV/CSV: row 1 is (not) a header, copied untranslated (default: detected).",
)
@encoding_option(
    "Encoding of the input files (a UTF-8/16/32 byte-order mark overrides it); outputs are UTF-8."
)
@click.option(
    "--field",
    default="text",
    show_default=True,
    metavar="KEY",
    help="JSONL field to translate (dots for nested keys).",
)
@click.option("--overwrite", is_flag=True, help="PO/TMX: replace existing translations too.")
@click.option(
    "-m", "--model", "model_spec", metavar="NAME|PATH", help="Installed package name or path."
)
@glossary_options
@no_protect_option
@beam_size_option
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    help="CPU cores per worker, split into CTranslate2 replicas "
    f"(default: the cores shared among the workers; with one, {threads_help()}).",
)
@click.option(
    "--inter-threads",
    type=click.IntRange(1, 64),
    help="CTranslate2 model replicas per worker, sharing its cores "
    f"(default: {inter_threads_help()}).",
)
@compute_type_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Local worker processes, each loading the model once.",
)
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    help="Spread shards over a Dask cluster (e.g. tcp://10.0.0.5:8786).",
)
@cache_options
@click.option(
    "--resume",
    is_flag=True,
    help="Require an interrupted job in OUTDIR and finish it (resuming is automatic otherwise).",
)
@click.option("--restart", is_flag=True, help="Forget the progress of an earlier job in OUTDIR.")
@click.option(
    "--on-error",
    type=click.Choice(["skip", "fail"]),
    default="skip",
    show_default=True,
    help="Bad input files: skip them, or stop before translating anything.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 100_000),
    default=64,
    show_default=True,
    help="Segments per shard and per journal commit.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def batch_command(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    outdir: Path,
    globs: tuple[str, ...],
    format_name: str | None,
    column: str,
    header: bool | None,
    encoding: str,
    field: str,
    overwrite: bool,
    model_spec: str | None,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    domains: tuple[str, ...],
    no_glossary: bool,
    include_fuzzy: bool,
    no_protect: bool,
    beam_size: int | None,
    threads: int | None,
    inter_threads: int | None,
    compute_type: str | None,
    workers: int,
    dask_scheduler: str | None,
    cache_path: Path | None,
    no_cache: bool,
    resume: bool,
    restart: bool,
    on_error: str,
    chunk_size: int,
    quiet: bool,
) -> None:
    """Translate files and directories of Dutch text into OUTDIR.

    Formats are recognised by extension (see below). An interrupted job
    (crash, kill, Ctrl-C) resumes when the same command is run again: no
    segment is lost or translated twice, and the output is the same as that of
    an uninterrupted run. Numbers, codes, URLs, format placeholders and tags
    are kept as `vertaal translate` keeps them (--no-protect leaves them to
    the model). Per-file and total statistics, with the counts of flagged
    segments, go to OUTDIR/manifest.json. Exit status 1 when any file failed.

    \b
    Examples:
      vertaal batch corpus/ -o out/
      vertaal batch data.tsv --column 2 -o out/
      vertaal batch messages.po -o out/ --glossary terms.po
      vertaal batch corpus/ -o out/ --no-default-glossary --glossary mijn.po --domain defence
      vertaal batch corpus/ -o out/ --workers 2 --glob '*.txt'
    """
    check_glossary_flags(glossaries, no_glossary, include_fuzzy, no_default_glossary, domains)
    if resume and restart:
        raise click.UsageError("--resume and --restart exclude each other")
    cache = chosen_cache(cache_path, no_cache)
    if dask_scheduler and workers > 1:
        raise click.UsageError("--workers applies to local runs; size the Dask cluster instead")
    if not column.strip():
        raise click.BadParameter("give a column number or name", param_hint="--column")

    from translate.engine import EngineRequest

    engine_options = EngineRequest(
        threads=threads,
        inter_threads=inter_threads,
        workers=workers,
        beam_size=beam_size,
        compute_type=compute_type,
    ).resolve()
    options = BatchOptions(
        package=model_spec,
        engine_options=engine_options,
        glossary_paths=glossaries,
        use_glossary=not no_glossary,
        use_default_glossary=not no_default_glossary,
        domains=domains,
        include_fuzzy=include_fuzzy,
        protect=not no_protect,
        format_name=format_name,
        format_options=FormatOptions(
            column=column.strip(),
            header=header,
            encoding=encoding,
            field=field,
            overwrite=overwrite,
        ),
        globs=globs,
        on_error="fail" if on_error == "fail" else "skip",
        workers=workers,
        dask_scheduler=dask_scheduler,
        cache_path=cache,
        resume="resume" if resume else "restart" if restart else "auto",
        chunk_size=chunk_size,
    )
    enabled = not quiet and sys.stderr.isatty()
    try:
        with TqdmProgress(enabled) as progress:
            report = run_batch(list(inputs), outdir, options, progress)
    except Interrupted:
        click.echo("\nvertaal: run the same command again to resume", err=True)
        raise
    for failed in report.failed:
        click.echo(f"error: {failed.error}", err=True)
    totals = report.totals()
    click.echo(
        f"vertaal: {totals['done']} of {totals['files']} files translated "
        f"({totals['segments']} segments, {totals['words']} words; "
        f"{totals['translated_now']} translated now, {totals['resumed']} resumed) "
        f"in {totals['seconds']:.1f} s; manifest: {outdir / MANIFEST}",
        err=True,
    )
    if report.failed:
        click.echo(f"vertaal: {len(report.failed)} file(s) failed", err=True)
        ctx.exit(1)
