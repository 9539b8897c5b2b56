"""A batch job: find the input files, translate them resumably, write outputs and a manifest.

The job runs in three passes per file, all streaming:

1. *check*: read every file once (count units and words, hash its bytes);
   a bad file is reported with path and line and skipped (``on_error="skip"``)
   or stops the job before anything is translated (``on_error="fail"``);
2. *translate*: cut the units into fixed chunks (chunk *k* is units
   ``k*C .. k*C+C-1``, so a rerun cuts the same chunks), split them into
   sentences with :mod:`translate.segment`, take what the cache knows, send
   the rest to the executor as one shard per chunk, and commit each finished
   chunk to the journal in one transaction (chunks already in the journal are
   skipped);
3. *assemble*: when all of a file's chunks are committed, write its output
   from the journal to a temporary file next to the target and
   :func:`os.replace` it into place.

A job killed at any point and run again therefore redoes at most the chunks
that were in flight, and writes the same bytes as an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fnmatch
import hashlib
import json
import sqlite3
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from translate.batch.cache import SentenceResult, TranslationCache, cache_namespace
from translate.batch.executors import Executor, ResultFuture, make_executor, worker_failures
from translate.batch.formats import (
    Format,
    FormatOptions,
    Unit,
    UnitPlan,
    count_words,
    format_for,
)
from translate.batch.journal import JOB_DIR, Journal, UnitRecord, settings_fingerprint, text_hash
from translate.batch.worker import ModelSpec, ShardResult
from translate.errors import BatchError, InputError, VertaalError, option
from translate.fileio import atomic_write

MANIFEST = "manifest.json"
ResumeMode = Literal["auto", "resume", "restart"]


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch job (the ``vertaal batch`` options)."""

    package: str | None = None
    engine_options: Any = None
    glossary_paths: tuple[Path, ...] = ()
    use_glossary: bool = True
    use_default_glossary: bool = True
    include_fuzzy: bool = False
    domains: tuple[str, ...] = ()
    """msgctxt domains to apply (entries without a context always apply); () = every domain."""
    protect: bool = True
    """Keep numbers, codes, URLs, placeholders and tags (``translate.protect``)."""
    format_name: str | None = None
    format_options: FormatOptions = field(default_factory=FormatOptions)
    globs: tuple[str, ...] = ()
    on_error: Literal["skip", "fail"] = "skip"
    workers: int = 1
    dask_scheduler: str | None = None
    cache_path: Path | None = None
    """The translation cache; None disables it."""
    resume: ResumeMode = "auto"
    chunk_size: int = 64


@dataclass(frozen=True)
class InputFile:
    """A file of the job: where it is, where its translation goes, and its format."""

    path: Path
    rel: str
    output_rel: str
    format: type[Format]


@dataclass
class FileReport:
    """Per-file statistics (one entry of the manifest)."""

    input: str
    output: str
    format: str
    status: str = "pending"
    """``done``, ``failed`` or ``pending`` (not reached)."""
    error: str | None = None
    segments: int = 0
    words: int = 0
    sentences: int = 0
    terms: int = 0
    terms_verified: int = 0
    seconds: float = 0.0
    """Model time spent on this file's shards, over all runs of the job."""
    translated_now: int = 0
    """Segments translated (or taken from the cache) in this run."""
    resumed: int = 0
    """Segments taken from the journal of an earlier, interrupted run."""
    model_sentences: int = 0
    """Sentences sent to the model for this file, over all runs of the job."""
    cached_sentences: int = 0
    flagged: int = 0
    """Segments with at least one reference-free flag (translate.scoring.quality)."""
    flags: dict[str, int] = dataclasses.field(default_factory=dict)
    """Segments per flag name (``number``, ``repetition``...)."""

    @property
    def term_adherence(self) -> float | None:
        """Verified glossary terms / terms found (None when no term was found)."""
        return self.terms_verified / self.terms if self.terms else None

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["seconds"] = round(self.seconds, 3)
        data["term_adherence"] = _round(self.term_adherence)
        return data


@dataclass
class BatchReport:
    """The outcome of a job, as written to ``manifest.json``."""

    outdir: Path
    files: list[FileReport]
    model_id: str = ""
    glossary_version: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileReport]:
        """Files that could not be translated."""
        return [f for f in self.files if f.status == "failed"]

    def totals(self) -> dict[str, Any]:
        """Sums over all files."""
        done = [f for f in self.files if f.status == "done"]
        terms = sum(f.terms for f in done)
        verified = sum(f.terms_verified for f in done)
        now = sum(f.translated_now for f in done)
        return {
            "files": len(self.files),
            "done": len(done),
            "failed": len(self.failed),
            "segments": sum(f.segments for f in done),
            "words": sum(f.words for f in done),
            "sentences": sum(f.sentences for f in done),
            "terms": terms,
            "terms_verified": verified,
            "term_adherence": _round(verified / terms if terms else None),
            "translated_now": now,
            "resumed": sum(f.resumed for f in done),
            "model_sentences": sum(f.model_sentences for f in done),
            "cached_sentences": sum(f.cached_sentences for f in done),
            "flagged": sum(f.flagged for f in done),
            "flags": _summed_flags(done),
            "seconds": round(self.seconds, 3),
            "segments_per_second": round(now / self.seconds, 2) if self.seconds else None,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "model_id": self.model_id,
            "glossary_version": self.glossary_version,
            "files": [f.as_json() for f in self.files],
            "totals": self.totals(),
        }


class BatchProgress(Protocol):
    """Receives progress; the CLI draws bars from it, tests and libraries ignore it."""

    def start(self, files: int, segments: int) -> None:
        """The job knows its size (after the check pass)."""

    def advance(self, segments: int) -> None:
        """``segments`` more segments are finished."""

    def file_finished(self, report: FileReport) -> None:
        """A file is done or failed."""


class NullBatchProgress:
    """Batch progress that goes nowhere."""

    def start(self, files: int, segments: int) -> None:
        pass

    def advance(self, segments: int) -> None:
        pass

    def file_finished(self, report: FileReport) -> None:
        pass


# --- discovery ------------------------------------------------------------------------------


def discover(
    inputs: Sequence[Path], outdir: Path, globs: Sequence[str] = (), format_name: str | None = None
) -> list[InputFile]:
    """The job's files: each file argument, and the matching files under each directory.

    Directories are searched recursively in sorted order, skipping hidden
    entries and ``outdir``; a file is taken when its format is known (or
    ``format_name`` is given) and, with ``globs``, its name or relative path
    matches one of them. Outputs mirror the inputs' layout under ``outdir``.
    """
    outdir_resolved = outdir.resolve()
    found: list[InputFile] = []
    for argument in inputs:
        if argument.is_dir():
            _check_outdir_apart(argument, outdir)
            for path in sorted(argument.rglob("*")):
                rel_path = path.relative_to(argument)
                if any(part.startswith(".") for part in rel_path.parts):
                    continue
                if not path.is_file() or outdir_resolved in path.resolve().parents:
                    continue
                rel = rel_path.as_posix()
                if globs and not any(
                    fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path.name, g) for g in globs
                ):
                    continue
                fmt = format_for(path, format_name)
                if fmt is not None:
                    found.append(_input_file(path, rel, fmt))
        elif argument.is_file():
            fmt = format_for(argument, format_name)
            if fmt is None:
                raise InputError(
                    f"{argument}: unknown file type {argument.suffix or '(no extension)'!r}; "
                    f"pass {option('format_name')}"
                )
            found.append(_input_file(argument, argument.name, fmt))
        else:
            raise InputError(f"{argument}: no such file or directory")
    unique: dict[Path, InputFile] = {}
    for item in found:
        unique.setdefault(item.path.resolve(), item)  # the same file named twice is one file
    found = list(unique.values())
    seen: dict[str, Path] = {}
    for item in found:
        if item.output_rel in seen:
            raise BatchError(
                f"{item.path} and {seen[item.output_rel]} would both be written to "
                f"{outdir / item.output_rel}; translate them in separate jobs"
            )
        seen[item.output_rel] = item.path
        if (outdir / item.output_rel).resolve() == item.path.resolve():
            raise BatchError(
                f"{item.path}: output would overwrite the input; choose another {option('outdir')}"
            )
    return found


def _check_outdir_apart(directory: Path, outdir: Path) -> None:
    """Refuse an output directory that is, or contains, an input directory.

    Files under the output directory are skipped as earlier outputs, so such a
    job would find nothing (or mix translations into the sources).
    """
    inside = directory.resolve()
    if inside == outdir.resolve():
        where = "is also the output directory"
    elif outdir.resolve() in inside.parents:
        where = f"is inside the output directory {outdir}"
    else:
        return
    raise BatchError(
        f"{directory}: the input directory {where}",
        hint=f"write the translations elsewhere, e.g. -o {directory.resolve().name}-en",
    )


def storage_problem(error: BaseException) -> str | None:
    """The reason, if ``error`` means the disk is full or a file too large; else ``None``."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return error.strerror or str(error)
    if isinstance(error, sqlite3.OperationalError):
        text = str(error)
        if "disk is full" in text or "disk I/O error" in text:
            return text
    return None


def _input_file(path: Path, rel: str, fmt: type[Format]) -> InputFile:
    parent, _, name = rel.rpartition("/")
    output_name = fmt().output_name(name)
    return InputFile(path, rel, f"{parent}/{output_name}" if parent else output_name, fmt)


# --- helpers --------------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def glossary_version(options: BatchOptions) -> str:
    """Content version of the glossaries the job applies ("none" without a glossary).

    Loading them here also reports a broken glossary before any translation.
    """
    if not options.use_glossary:
        return "none"
    from glossary.store import load_glossaries

    merged = load_glossaries(
        options.glossary_paths,
        default=options.use_default_glossary,
        domains=options.domains or None,
    )
    if not merged.sources:
        return "none"
    return f"{merged.version}{'+fuzzy' if options.include_fuzzy else ''}"


def engine_fingerprint(engine_options: Any) -> dict[str, object]:
    """The decoding options that change a translation (thread counts do not)."""
    if engine_options is None or not dataclasses.is_dataclass(engine_options):
        return {}
    values = dataclasses.asdict(engine_options)  # type: ignore[arg-type]
    ignored = {"inter_threads", "intra_threads", "device", "max_batch_tokens", "batch_size"}
    return {k: v for k, v in sorted(values.items()) if k not in ignored and _jsonable(v)}


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


# --- the job --------------------------------------------------------------------------------


@dataclass
class _Chunk:
    """A chunk of one file in flight."""

    job: _FileJob
    units: list[tuple[int, Unit]]
    plans: list[UnitPlan]
    segmentations: list[list[Any]]
    """Per unit, the segmentation of each text of its plan."""
    known: dict[str, SentenceResult]
    missing: list[str]
    future: ResultFuture | None


@dataclass
class _Finalize:
    """Marker queued after a file's last chunk: assemble its output when reached."""

    job: _FileJob
    write: bool = True
    """False for a file an earlier run finished (its output is in place)."""


@dataclass
class _FileJob:
    item: InputFile
    report: FileReport
    fmt: Format
    started: float
    failed: bool = False


class BatchJob:
    """One run of a batch job over a list of files into ``outdir``."""

    def __init__(
        self,
        inputs: Sequence[Path],
        outdir: Path,
        options: BatchOptions | None = None,
        progress: BatchProgress | None = None,
    ) -> None:
        self.inputs = list(inputs)
        self.outdir = outdir
        self.options = options or BatchOptions()
        self.progress: BatchProgress = progress or NullBatchProgress()
        self._journal: Journal | None = None
        self._cache: TranslationCache | None = None
        self._namespace = ""

    def run(self) -> BatchReport:
        """Translate every file; write outputs and ``manifest.json``; return the report."""
        started = time.perf_counter()
        options = self.options
        if options.chunk_size < 1:
            raise BatchError("chunk size must be at least 1")
        if options.resume == "resume" and not Journal.exists(self.outdir):
            raise BatchError(
                f"{self.outdir}: no interrupted job to resume", hint=f"drop {option('resume')}"
            )
        items = discover(self.inputs, self.outdir, options.globs, options.format_name)
        if not items:
            raise InputError(f"no input files found; check the paths and {option('globs')}")
        reports = {
            item.rel: FileReport(str(item.path), item.output_rel, item.format.name)
            for item in items
        }
        report = BatchReport(self.outdir, list(reports.values()))

        try:
            return self._run_locked(items, reports, report, started)
        except (OSError, sqlite3.Error) as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            raise BatchError(
                f"{self.outdir}: cannot write the job's files ({problem})",
                hint="free some space, then run the same command again to resume",
            ) from None

    def _run_locked(
        self,
        items: list[InputFile],
        reports: dict[str, FileReport],
        report: BatchReport,
        started: float,
    ) -> BatchReport:
        options = self.options
        with _job_lock(self.outdir):
            checked = self._check(items, reports)
            if not checked:  # every file is bad: nothing to load a model for
                report.seconds = time.perf_counter() - started
                self._write_manifest(report)
                return report
            version = glossary_version(options)
            spec = self._model_spec()
            executor = make_executor(spec, options.workers, options.dask_scheduler)
            try:
                model_id = executor.model_id()
                report.model_id, report.glossary_version = model_id, version
                # protected and unprotected translations never share a journal or cache
                self._open_stores(model_id, version + ("+protect" if options.protect else ""))
                segments = sum(reports[item.rel].segments for item, _ in checked)
                self.progress.start(len(checked), segments)
                self._translate(checked, reports, executor)
            except BaseException:
                # keep the first problem: on a full disk the manifest cannot be written either
                with contextlib.suppress(OSError, sqlite3.Error):
                    self._finish(executor, report, started)
                raise
            self._finish(executor, report, started)
        return report

    def _finish(self, executor: Executor, report: BatchReport, started: float) -> None:
        executor.close()
        self._close_stores()
        report.seconds = time.perf_counter() - started
        if report.model_id:
            # also after an interruption: the manifest then shows how far it got
            self._write_manifest(report)

    # -- pass 1: check --

    def _check(
        self, items: list[InputFile], reports: dict[str, FileReport]
    ) -> list[tuple[InputFile, str]]:
        good: list[tuple[InputFile, str]] = []
        for item in items:
            report = reports[item.rel]
            try:
                units = words = 0
                for unit in item.format(self.options.format_options).read(item.path):
                    units += 1
                    words += count_words(unit.text)
                report.segments, report.words = units, words
                good.append((item, file_hash(item.path)))
            except InputError as error:
                if self.options.on_error == "fail":
                    raise error.recast(BatchError) from None
                self._fail(report, str(error))
            except OSError as error:
                message = f"{item.path}: cannot read ({error.strerror})"
                if self.options.on_error == "fail":
                    raise BatchError(message) from None
                self._fail(report, message)
        return good

    def _fail(self, report: FileReport, message: str) -> None:
        report.status, report.error = "failed", message
        self.progress.file_finished(report)

    # -- setup --

    def _model_spec(self) -> ModelSpec:
        from translate.packages import resolve_package

        package = resolve_package(self.options.package)
        return ModelSpec(
            package=package,
            engine_options=self.options.engine_options,
            glossary_paths=tuple(str(p) for p in self.options.glossary_paths),
            use_default_glossary=self.options.use_default_glossary,
            domains=self.options.domains,
            include_fuzzy=self.options.include_fuzzy,
            use_glossary=self.options.use_glossary,
            protect=self.options.protect,
        )

    def _open_stores(self, model_id: str, version: str) -> None:
        options = self.options
        decoding = engine_fingerprint(options.engine_options)
        settings = settings_fingerprint(
            {
                "model_id": model_id,
                "glossary_version": version,
                "decoding": decoding,
                "format": options.format_name,
                "format_options": dataclasses.asdict(options.format_options),
                "chunk_size": options.chunk_size,
            }
        )
        journal = Journal(self.outdir)
        self._journal = journal
        existing = journal.settings()
        if existing != settings:
            if options.resume == "resume":
                raise BatchError(
                    f"{journal.dir}: the interrupted job used other settings (model, glossary, "
                    f"format or options); rerun it with those, or use {option('restart')}"
                )
            journal.reset(settings)
        elif options.resume == "restart":
            journal.reset(settings)
        if options.cache_path is not None:
            self._cache = TranslationCache(options.cache_path)
            self._namespace = cache_namespace(model_id, version, decoding)
            self._cache.register(self._namespace, model_id, version, decoding)

    def _close_stores(self) -> None:
        if self._journal is not None:
            self._journal.close()
        if self._cache is not None:
            self._cache.close()

    # -- pass 2 and 3: translate and assemble --

    def _translate(
        self,
        checked: list[tuple[InputFile, str]],
        reports: dict[str, FileReport],
        executor: Executor,
    ) -> None:
        journal = self._journal
        assert journal is not None
        pending: deque[_Chunk | _Finalize] = deque()
        for item, source_sha in checked:
            report = reports[item.rel]
            job = _FileJob(item, report, item.format(self.options.format_options), time.time())
            already_done = journal.begin_file(item.rel, source_sha)
            target = self.outdir / item.output_rel
            if already_done and target.exists():
                pending.append(_Finalize(job, write=False))
                job.report.resumed = report.segments
                self.progress.advance(report.segments)
            else:
                self._submit_file(job, journal.done_indices(item.rel), executor, pending)
                pending.append(_Finalize(job))
            while len(pending) > executor.parallelism:
                self._complete(pending.popleft())
        while pending:
            self._complete(pending.popleft())

    def _submit_file(
        self,
        job: _FileJob,
        done: set[int],
        executor: Executor,
        pending: deque[_Chunk | _Finalize],
    ) -> None:
        size = self.options.chunk_size
        job.report.resumed = len(done)
        if done:
            self.progress.advance(len(done))
        try:
            for chunk in _chunks(job.fmt.read(job.item.path), size):
                if chunk[0][0] in done:
                    continue  # chunks are committed whole, so its first unit tells
                pending.append(self._submit_chunk(job, chunk, executor))
                while len(pending) > executor.parallelism:
                    self._complete(pending.popleft())
        except InputError as error:
            # The file changed since it was checked; report it, keep going.
            self._file_error(job, str(error))

    def _submit_chunk(
        self, job: _FileJob, units: list[tuple[int, Unit]], executor: Executor
    ) -> _Chunk:
        from translate.segment import segment

        plans = [job.fmt.plan(unit.text) for _, unit in units]
        segmentations = [[segment(text) for text in plan.texts] for plan in plans]
        sentences = list(
            dict.fromkeys(s for segs in segmentations for seg in segs for s in seg.sentences)
        )
        known = self._cache.get_many(self._namespace, sentences) if self._cache else {}
        missing = [s for s in sentences if s not in known]
        future = executor.submit(missing) if missing else None
        return _Chunk(job, units, plans, segmentations, known, missing, future)

    def _complete(self, item: _Chunk | _Finalize) -> None:
        if isinstance(item, _Finalize):
            self._finalize(item.job, item.write)
            return
        chunk = item
        shard: ShardResult | None = None
        if chunk.future is not None:
            try:
                shard = chunk.future.result()
            except VertaalError:
                raise
            except worker_failures() as error:
                # a worker or the cluster failed, not this code: stop, resumable
                raise BatchError(
                    f"translation failed ({type(error).__name__}: {error})",
                    hint="rerun the same command to resume",
                ) from error
            # anything else is a bug and keeps its traceback
        if chunk.job.failed:
            return
        fresh: dict[str, SentenceResult] = {}
        if shard is not None:
            fresh = dict(zip(chunk.missing, shard.results, strict=True))
            if self._cache is not None:
                self._cache.put_many(self._namespace, list(fresh.items()))
        records = []
        first_use: set[str] = set()
        for (idx, unit), plan, segs in zip(
            chunk.units, chunk.plans, chunk.segmentations, strict=True
        ):
            texts, terms, verified, model, cached = [], 0, 0, 0, 0
            for number, seg in enumerate(segs):
                outputs = []
                for sentence in seg.sentences:
                    result = fresh.get(sentence) or chunk.known[sentence]
                    outputs.append(result.output)
                    if number < plan.counted:  # a document's tagged phrases are not counted
                        terms += result.terms
                        verified += result.terms_verified
                    if sentence in fresh and sentence not in first_use:
                        first_use.add(sentence)
                        model += 1
                    else:
                        cached += 1
                texts.append(seg.join(outputs))
            records.append(
                UnitRecord(
                    idx=idx,
                    text_sha=text_hash(unit.text),
                    output=plan.assemble(texts),
                    words=count_words(unit.text),
                    sentences=sum(len(seg.sentences) for seg in segs[: plan.counted]),
                    model_sentences=model,
                    cached_sentences=cached,
                    terms=terms,
                    terms_verified=verified,
                )
            )
        assert self._journal is not None
        self._journal.record_chunk(chunk.job.item.rel, records, shard.seconds if shard else 0.0)
        chunk.job.report.translated_now += len(records)
        self.progress.advance(len(records))

    def _finalize(self, job: _FileJob, write: bool) -> None:
        if job.failed:
            return
        journal = self._journal
        assert journal is not None
        item, report = job.item, job.report
        if write:
            try:
                atomic_write(
                    self.outdir / item.output_rel,
                    lambda temp: job.fmt.write(item.path, temp, _checked_outputs(journal, item)),
                )
            except InputError as error:
                self._file_error(job, str(error))
                return
            journal.finish_file(item.rel)
        totals = journal.totals(item.rel)
        report.status = "done"
        report.segments, report.words, report.sentences = (
            totals.units,
            totals.words,
            totals.sentences,
        )
        report.terms, report.terms_verified = totals.terms, totals.terms_verified
        report.model_sentences, report.cached_sentences = (
            totals.model_sentences,
            totals.cached_sentences,
        )
        report.seconds = totals.seconds
        report.flagged, report.flags = flag_counts(
            (unit.text for unit in job.fmt.read(item.path)),
            (output for _, _, output in journal.outputs(item.rel)),
        )
        self.progress.file_finished(report)

    def _file_error(self, job: _FileJob, message: str) -> None:
        if self.options.on_error == "fail":
            raise BatchError(message)
        job.failed = True
        self._fail(job.report, message)

    def _write_manifest(self, report: BatchReport) -> None:
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
        atomic_write(self.outdir / MANIFEST, lambda temp: temp.write_text(text, "utf-8"))


@contextmanager
def _job_lock(outdir: Path) -> Iterator[None]:
    """Hold ``OUTDIR/.vertaal-job/lock`` so two jobs never write one directory.

    The lock is an OS file lock: a killed job releases it with its process.
    """
    from filelock import FileLock, Timeout

    lock_dir = outdir / JOB_DIR
    try:
        lock_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(
            f"{outdir}: cannot create the output directory ({error.strerror})"
        ) from None
    lock = FileLock(str(lock_dir / "lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BatchError(
            f"{outdir}: another vertaal batch job is writing here",
            hint=f"wait for it or choose another {option('outdir')}",
        ) from None
    try:
        yield
    finally:
        lock.release()


def _chunks(units: Iterator[Unit], size: int) -> Iterator[list[tuple[int, Unit]]]:
    """Fixed-size chunks of ``(position, unit)``; the same file always gives the same chunks."""
    chunk: list[tuple[int, Unit]] = []
    for idx, unit in enumerate(units):
        chunk.append((idx, unit))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def flag_counts(sources: Iterable[str], outputs: Iterable[str]) -> tuple[int, dict[str, int]]:
    """Flagged segments and segments per flag, from the texts alone (no model scores)."""
    from translate.scoring.quality import segment_flags

    flagged = 0
    counts: dict[str, int] = {}
    for source, output in zip(sources, outputs, strict=False):
        names = {flag.name for flag in segment_flags(source, output)}
        flagged += bool(names)
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return flagged, dict(sorted(counts.items()))


def _summed_flags(reports: Sequence[FileReport]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for report in reports:
        for name, count in report.flags.items():
            counts[name] = counts.get(name, 0) + count
    return dict(sorted(counts.items()))


def _checked_outputs(journal: Journal, item: InputFile) -> Iterator[str]:
    """A file's translations in order, checking that none is missing."""
    for expected, (idx, _, output) in enumerate(journal.outputs(item.rel)):
        if idx != expected:
            raise InputError(
                f"{item.path}: segment {expected + 1} is missing from the journal; "
                f"rerun with {option('restart')}"
            )
        yield output


def run_batch(
    inputs: Sequence[Path],
    outdir: Path,
    options: BatchOptions | None = None,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Run a batch job (see :class:`BatchJob`)."""
    return BatchJob(inputs, outdir, options, progress).run()


__all__ = [
    "JOB_DIR",
    "MANIFEST",
    "BatchJob",
    "BatchOptions",
    "BatchProgress",
    "BatchReport",
    "FileReport",
    "InputFile",
    "discover",
    "run_batch",
]
