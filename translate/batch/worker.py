"""The part of a batch job that runs the model, wherever it runs.

:func:`translate_shard` is a plain top-level function of picklable
arguments, so the same code serves the job's own process, a local process
pool and Dask workers. Each process loads a model (and builds a glossary
enforcer) once and keeps it in a module-level dictionary keyed by what
defines it; nothing is loaded at import.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translate.batch.cache import SentenceResult

if TYPE_CHECKING:
    from glossary.enforce import Enforcer
    from translate.engine import Engine, EngineOptions
    from translate.packages import ArgosPackage


@dataclass(frozen=True)
class ModelSpec:
    """Everything a worker needs to load the same model and glossary as the job."""

    package: ArgosPackage
    engine_options: EngineOptions | None = None
    glossary_paths: tuple[str, ...] = ()
    use_default_glossary: bool = True
    include_fuzzy: bool = False
    domains: tuple[str, ...] = ()
    use_glossary: bool = True
    protect: bool = True
    """Keep numbers, codes, URLs, placeholders and tags (translate.protect), as translate does."""


@dataclass(frozen=True)
class ShardResult:
    """Translations of one shard, in the order of its sentences."""

    results: list[SentenceResult]
    seconds: float
    model_id: str


# Glossary enforcers of this process, by what defines them (Engine.load caches engines).
_ENFORCERS: dict[tuple[tuple[str, ...], bool, bool, tuple[str, ...], bool], Enforcer | None] = {}


@functools.cache
def _restore_malloc_defaults() -> None:
    """Undo ``MALLOC_TRIM_THRESHOLD_`` (which Dask's nanny sets for its workers).

    Setting it freezes glibc's mmap threshold at 128 KiB, so every larger
    CTranslate2 buffer is mmapped and unmapped again: measured 2.5x slower
    decoding. Raising both thresholds with ``mallopt`` restores the speed.
    """
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 32 * 2**20)
        libc.mallopt(m_trim_threshold, 64 * 2**20)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to undo


def load_engine(spec: ModelSpec) -> Engine:
    """This process's engine for ``spec``, loaded on first use (``Engine.load`` caches it)."""
    from translate.engine import Engine

    _restore_malloc_defaults()

    return Engine.load(spec.package, spec.engine_options)


def load_enforcer(spec: ModelSpec) -> Enforcer | None:
    """This process's enforcer for ``spec``: glossary terms and protected spans
    (None without a glossary and without protection)."""
    if not spec.use_glossary and not spec.protect:
        return None
    paths = spec.glossary_paths if spec.use_glossary else ()
    default = spec.use_default_glossary and spec.use_glossary
    key = (paths, default, spec.include_fuzzy, spec.domains, spec.protect)
    if key not in _ENFORCERS:
        from glossary.enforce import build_enforcer

        _ENFORCERS[key] = build_enforcer(
            [Path(p) for p in paths],
            use_default=default,
            include_fuzzy=spec.include_fuzzy,
            domains=spec.domains or None,
            protect=spec.protect,
        )
    return _ENFORCERS[key]


def warm_up(spec: ModelSpec) -> str:
    """Load the model and glossary now; return the model id (process-pool initializer)."""
    load_enforcer(spec)
    return str(load_engine(spec).model_id)


def init_worker_process(spec: ModelSpec) -> None:
    """Process-pool initializer: leave Ctrl-C to the job's process, then load the model."""
    import signal

    # The job catches Ctrl-C, stops submitting and lets running shards finish; a
    # worker dying mid-shard would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(spec)


def translate_shard(spec: ModelSpec, sentences: Sequence[str]) -> ShardResult:
    """Translate ``sentences`` (already split, duplicates removed) with the glossary applied."""
    engine = load_engine(spec)
    enforcer = load_enforcer(spec)
    started = time.perf_counter()
    results: list[SentenceResult] = []
    if sentences:
        if enforcer is None:
            outputs = engine.translate_sentences(list(sentences))
            results = [SentenceResult(output) for output in outputs]
        else:
            for enforced in enforcer.enforce(list(sentences), engine):
                terms = list(enforced.terms)
                verified = sum(1 for term in terms if term.verified)
                results.append(SentenceResult(enforced.output, len(terms), verified))
    return ShardResult(results, time.perf_counter() - started, str(engine.model_id))
