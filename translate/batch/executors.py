"""Where shards are translated: this process, a local process pool, or a Dask cluster.

All three offer the same two calls, :meth:`Executor.submit` (returns a
future whose ``result()`` is a :class:`~translate.batch.worker.ShardResult`)
and :meth:`Executor.model_id`. The job keeps a bounded number of shards in
flight, so memory stays flat however large the corpus is.

Measured (``benchmarks/bench_batch.py --sizes 2500 --beam 2``: 2,500
FLORES-based segments on the 2-core development machine, engine defaults of
two single-thread CTranslate2 replicas): one process 42.7 segments/s at
307 MiB peak RSS (45.4/s with ``--inter-threads 2`` stated explicitly); two
worker processes (``--workers 2``) 55.1/s at 436 MiB, since reading,
splitting, journaling and writing then overlap with decoding; a two-process
Dask LocalCluster 52.3/s at 596 MiB. The default stays one process (least
memory, no child processes); ``--workers 2`` is the faster choice on two cores
when the extra model copy fits.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from translate.batch.worker import (
    ModelSpec,
    ShardResult,
    init_worker_process,
    translate_shard,
    warm_up,
)
from translate.errors import BatchError, option


class ResultFuture(Protocol):
    """The part of a (concurrent.futures or Dask) future the job uses."""

    def result(self) -> Any:
        """Block until the shard is translated; re-raise its exception."""


class Executor(Protocol):
    """Translates shards of sentences somewhere."""

    parallelism: int
    """Shards worth keeping in flight to keep every worker busy."""

    def submit(self, sentences: Sequence[str]) -> ResultFuture:
        """Start translating ``sentences``."""

    def model_id(self) -> str:
        """The id of the model the workers run (loads it if needed)."""

    def close(self) -> None:
        """Release workers and connections."""


class InlineExecutor:
    """Translate in this process, one shard at a time."""

    parallelism = 1

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec

    def submit(self, sentences: Sequence[str]) -> ResultFuture:
        future: Future[ShardResult] = Future()
        future.set_result(translate_shard(self.spec, list(sentences)))
        return future

    def model_id(self) -> str:
        return warm_up(self.spec)

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A pool of local processes, each loading the model once."""

    def __init__(self, spec: ModelSpec, workers: int) -> None:
        self.spec = spec
        self.parallelism = workers * 2
        # spawn, not fork: CTranslate2's thread pools do not survive a fork.
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker_process,
            initargs=(spec,),
        )

    def submit(self, sentences: Sequence[str]) -> ResultFuture:
        return self._pool.submit(translate_shard, self.spec, list(sentences))

    def model_id(self) -> str:
        return str(self._pool.submit(warm_up, self.spec).result())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Shards spread over a Dask cluster; each worker process loads the model once.

    Workers need this package installed and the model at the same path (a
    shared file system, or the same directory layout on every machine).
    """

    def __init__(self, spec: ModelSpec, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise BatchError(
                f"{option('dask_scheduler')} needs dask: pip install 'vertaal[dask]'"
            ) from None
        self.spec = spec
        try:
            self._client: Any = Client(address, timeout="20s", set_as_default=False)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as error:
            raise BatchError(
                f"cannot reach the Dask scheduler at {address} ({error}); "
                "check the address and that the scheduler is running"
            ) from None
        workers = len(self._client.scheduler_info().get("workers", {})) or 1
        self.parallelism = workers * 2

    def submit(self, sentences: Sequence[str]) -> ResultFuture:
        future: ResultFuture = self._client.submit(
            translate_shard, self.spec, list(sentences), pure=False
        )
        return future

    def model_id(self) -> str:
        return str(self._client.submit(warm_up, self.spec, pure=False).result())

    def close(self) -> None:
        self._client.close()


def worker_failures() -> tuple[type[BaseException], ...]:
    """Exceptions that mean a worker failed (died, ran out of memory, lost its cluster).

    The job turns these into a :class:`BatchError` that can be resumed; any
    other exception from a shard is a bug and keeps its traceback.
    """
    from concurrent.futures import CancelledError
    from concurrent.futures.process import BrokenProcessPool

    failures: list[type[BaseException]] = [BrokenProcessPool, CancelledError, MemoryError, OSError]
    distributed = sys.modules.get("distributed")  # only when a Dask cluster is in use
    if distributed is not None:
        failures.append(distributed.KilledWorker)
    return tuple(failures)


def make_executor(spec: ModelSpec, workers: int = 1, dask_scheduler: str | None = None) -> Executor:
    """The executor for the job's ``--workers`` / ``--dask-scheduler`` choice."""
    if dask_scheduler:
        return DaskExecutor(spec, dask_scheduler)
    if workers > 1:
        return ProcessExecutor(_share_cores(spec, workers), workers)
    return InlineExecutor(spec)


def _share_cores(spec: ModelSpec, workers: int) -> ModelSpec:
    """Give each worker process its share of the cores (see ``EngineOptions.shared_by``)."""
    import dataclasses

    from translate.engine import EngineOptions

    options = (spec.engine_options or EngineOptions()).shared_by(workers)
    return dataclasses.replace(spec, engine_options=options)
