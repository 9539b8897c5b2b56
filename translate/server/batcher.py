"""Dynamic batching: the sentences of concurrent requests decoded together.

Each request puts one job (its sentences and its glossary) on a queue. A few
worker tasks (one per translator replica) each take the first waiting job
plus jobs queued behind it, up to a token budget, and translate them in one
call on a worker thread: CTranslate2 batches by tokens over the
length-sorted sentences, so a busy server decodes large efficient batches
while an idle one answers a lone request at once (no waiting for a batch to
fill). Two rules keep every replica busy with batches as large as the load
allows (see :meth:`Batcher._gather`): a worker whose last batch held several
requests waits a moment for that many to queue again (its clients send their
next request when their answers arrive), and the waiting jobs are shared
among the idle workers instead of one worker taking them all while another
has nothing to decode. The queue is bounded by the sentences waiting; beyond
that :class:`QueueFull` is raised (the server answers 429) instead of letting
latency grow without limit.

Translations go through the SQLite cache of ``vertaal batch``
(:mod:`translate.batch.cache`), in the same namespaces, so a sentence the
batch job translated is served from the cache and the other way round.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.batch.cache import SentenceResult, TranslationCache, cache_namespace
from translate.batch.job import engine_fingerprint

if TYPE_CHECKING:
    from glossary.enforce import AppliedTerm, KeptSpan
    from translate.engine import Engine
    from translate.server.glossaries import GlossaryChoice

CACHED = "cached"
"""Method reported for terms of a sentence served from the cache."""


class QueueFull(RuntimeError):
    """The queue holds as many sentences as allowed; the client should retry later."""


class ShuttingDown(RuntimeError):
    """The server stops and takes no new work."""


@dataclass(frozen=True)
class SentenceOutcome:
    """One translated sentence with the glossary terms applied in it."""

    source: str
    output: str
    terms: tuple[AppliedTerm, ...] = ()
    cached: bool = False
    spans: tuple[KeptSpan, ...] = ()
    """Protected spans kept (unknown, so empty, for a sentence from the cache)."""


@dataclass
class _Job:
    sentences: list[str]
    glossary: GlossaryChoice
    future: asyncio.Future[list[SentenceOutcome]]
    tokens: int = field(init=False)

    def __post_init__(self) -> None:
        # about four characters per token: only used to fill batches, never for limits
        self.tokens = sum(len(s) for s in self.sentences) // 4 + len(self.sentences)


@dataclass
class _Worker:
    """What one worker remembers of its last batch (for its gather window)."""

    last_jobs: int = 0
    last_seconds: float = 0.0


@dataclass
class BatcherStats:
    """What the batcher has done since it started (for benchmarks and tests)."""

    batches: int = 0
    jobs: int = 0
    sentences: int = 0
    cache_hits: int = 0
    largest_batch_jobs: int = 0
    waited_batches: int = 0
    """Batches whose worker waited for requests to queue up before decoding."""


class Batcher:
    """Queues translation jobs and decodes them in shared batches with one engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        workers: int = 1,
        max_queued_sentences: int = 4096,
        batch_tokens: int | None = None,
        cache_path: Path | None = None,
        max_linger: float = 0.25,
        linger_fraction: float = 0.1,
    ) -> None:
        """``max_linger`` and ``linger_fraction`` bound a worker's wait for requests
        (seconds, and a fraction of its last batch's decoding time; see :meth:`_gather`)."""
        self.engine = engine
        self.max_linger = max_linger
        self.linger_fraction = linger_fraction
        self.workers = max(1, workers)
        self.max_queued_sentences = max(1, max_queued_sentences)
        self.batch_tokens = batch_tokens or engine.options.max_batch_tokens
        self.cache_path = cache_path
        self.stats = BatcherStats()
        self._queued_sentences = 0
        self._waiting: deque[_Job] = deque()
        self._arrived: asyncio.Event | None = None
        """Set when a job is queued or the batcher closes (wakes the gathering worker)."""
        self._decoding_jobs = 0
        self._decoding_tokens = 0
        """Jobs (and their estimated tokens) in the batches being decoded now."""
        self._tasks: list[asyncio.Task[None]] = []
        self._executors: list[ThreadPoolExecutor] = []
        self._local = threading.local()  # one cache connection per worker thread
        self._closing = False
        self._gathering: asyncio.Lock | None = None
        self._fingerprint = engine_fingerprint(engine.options)

    @property
    def queued_sentences(self) -> int:
        """Sentences waiting for a worker."""
        return self._queued_sentences

    async def start(self) -> None:
        """Start the worker tasks (call inside the server's event loop)."""
        self._waiting.clear()
        self._arrived = asyncio.Event()
        self._gathering = asyncio.Lock()
        self._closing = False
        for number in range(self.workers):
            executor = ThreadPoolExecutor(1, thread_name_prefix=f"vertaal-decode-{number}")
            self._executors.append(executor)
            self._tasks.append(asyncio.create_task(self._work(executor)))

    async def stop(self) -> None:
        """Refuse new jobs, finish the queued ones, then stop the workers."""
        self._closing = True
        if self._arrived is not None:
            self._arrived.set()
        await asyncio.gather(*self._tasks)
        self._tasks.clear()
        for executor in self._executors:
            executor.submit(self._close_cache).result()
            executor.shutdown()
        self._executors.clear()

    async def translate(
        self, sentences: Sequence[str], glossary: GlossaryChoice
    ) -> list[SentenceOutcome]:
        """Translate ``sentences`` (one outcome each, same order) with ``glossary``."""
        if not sentences:
            return []
        if self._closing or self._arrived is None:
            raise ShuttingDown("the server is shutting down")
        if self._queued_sentences + len(sentences) > self.max_queued_sentences:
            raise QueueFull(
                f"the translation queue is full ({self._queued_sentences} sentences waiting)"
            )
        job = _Job(list(sentences), glossary, asyncio.get_running_loop().create_future())
        self._queued_sentences += len(job.sentences)
        self._waiting.append(job)
        self._arrived.set()
        return await job.future

    # ------------------------------------------------------------------ workers

    async def _gather(self, worker: _Worker) -> list[_Job]:
        """The next batch for ``worker``; empty when the batcher stops and nothing waits.

        One worker gathers at a time. It takes the first waiting job at once
        on an idle server. Under load (its last batch held several requests)
        it first waits for the clients it just answered to send their next
        requests: until as many jobs are queued as that batch held, or as its
        fair share of the requests in flight if that is fewer, since one full
        batch decodes cheaper per sentence than several small ones. The wait
        ends after a tenth of the last batch's decoding time
        (``linger_fraction``), at most ``max_linger``, whatever has arrived.
        Then it takes its share of the work (:func:`batch_budget`), so that
        every worker keeps a replica busy instead of one decoding nearly
        everything while another answers a straggler.
        """
        assert self._gathering is not None
        async with self._gathering:
            await self._wait_for_jobs(1, None)
            if not self._waiting:
                return []  # closing, nothing left
            wanted = min(
                worker.last_jobs,
                math.ceil((worker.last_jobs + self._decoding_jobs) / self.workers),
            )
            if wanted > 1 and len(self._waiting) < wanted:
                window = min(self.max_linger, worker.last_seconds * self.linger_fraction)
                self.stats.waited_batches += 1
                await self._wait_for_jobs(wanted, window)
            budget = batch_budget(
                sum(job.tokens for job in self._waiting),
                self._decoding_tokens,
                self.workers,
                self.batch_tokens,
            )
            batch = [self._waiting.popleft()]
            tokens = batch[0].tokens
            while self._waiting and tokens < budget:
                job = self._waiting.popleft()
                batch.append(job)
                tokens += job.tokens
            return batch

    async def _wait_for_jobs(self, count: int, timeout: float | None) -> None:
        """Until ``count`` jobs wait, the batcher closes, or ``timeout`` seconds pass."""
        assert self._arrived is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while len(self._waiting) < count and not self._closing:
            self._arrived.clear()
            if deadline is None:
                await self._arrived.wait()
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:  # TimeoutError itself only from Python 3.11
                return

    async def _work(self, executor: ThreadPoolExecutor) -> None:
        loop = asyncio.get_running_loop()
        worker = _Worker()
        while True:
            batch = await self._gather(worker)
            if not batch:
                return
            for job in batch:
                self._queued_sentences -= len(job.sentences)
            started = time.perf_counter()
            tokens = sum(job.tokens for job in batch)
            self._decoding_jobs += len(batch)
            self._decoding_tokens += tokens
            try:
                results = await loop.run_in_executor(executor, self._run_batch, batch)
            except Exception as error:  # a bug or a model failure: fail these requests only
                for job in batch:
                    if not job.future.done():
                        job.future.set_exception(error)
            else:
                for job, outcome in zip(batch, results, strict=True):
                    if not job.future.done():
                        job.future.set_result(outcome)
            finally:
                self._decoding_jobs -= len(batch)
                self._decoding_tokens -= tokens
            worker.last_jobs = len(batch)
            worker.last_seconds = time.perf_counter() - started

    def _cache(self) -> TranslationCache | None:
        if self.cache_path is None:
            return None
        cache: TranslationCache | None = getattr(self._local, "cache", None)
        if cache is None:
            cache = TranslationCache(self.cache_path)
            self._local.cache = cache
        return cache

    def _close_cache(self) -> None:
        cache: TranslationCache | None = getattr(self._local, "cache", None)
        if cache is not None:
            cache.close()
            self._local.cache = None

    def _run_batch(self, batch: list[_Job]) -> list[list[SentenceOutcome]]:
        """Translate every job of ``batch`` (on a worker thread): one model call per glossary."""
        self.stats.batches += 1
        self.stats.jobs += len(batch)
        self.stats.largest_batch_jobs = max(self.stats.largest_batch_jobs, len(batch))
        by_glossary: dict[int, list[_Job]] = {}
        for job in batch:
            by_glossary.setdefault(id(job.glossary), []).append(job)
        done: dict[int, dict[str, SentenceOutcome]] = {}
        for key, jobs in by_glossary.items():
            done[key] = self._translate_group(jobs[0].glossary, jobs)
        return [[done[id(job.glossary)][s] for s in job.sentences] for job in batch]

    def _translate_group(
        self, glossary: GlossaryChoice, jobs: list[_Job]
    ) -> dict[str, SentenceOutcome]:
        unique = list(dict.fromkeys(s for job in jobs for s in job.sentences))
        self.stats.sentences += len(unique)
        cache = self._cache()
        namespace = cache_namespace(self.engine.model_id, glossary.version, self._fingerprint)
        known = cache.get_many(namespace, unique) if cache is not None else {}
        self.stats.cache_hits += len(known)
        outcomes = {s: _from_cache(s, result, glossary) for s, result in known.items()}
        missing = [s for s in unique if s not in known]
        if missing:
            fresh = self._decode(missing, glossary)
            outcomes.update((o.source, o) for o in fresh)
            if cache is not None:
                cache.register(namespace, self.engine.model_id, glossary.version, self._fingerprint)
                cache.put_many(
                    namespace,
                    [
                        (o.source, SentenceResult(o.output, len(o.terms), _verified(o.terms)))
                        for o in fresh
                    ],
                )
        return outcomes

    def _decode(self, sentences: list[str], glossary: GlossaryChoice) -> list[SentenceOutcome]:
        if glossary.enforcer is None:
            outputs = self.engine.translate_sentences(sentences)
            return [SentenceOutcome(s, o) for s, o in zip(sentences, outputs, strict=True)]
        enforced = glossary.enforcer.enforce(sentences, self.engine)
        return [
            SentenceOutcome(e.source, e.output, tuple(e.terms), spans=tuple(e.spans))
            for e in enforced
        ]


def batch_budget(queued_tokens: int, decoding_tokens: int, workers: int, batch_tokens: int) -> int:
    """Estimated tokens a gathering worker takes (after its first job, which it always takes).

    Its fair share of the work in flight: the tokens queued plus those other
    workers are decoding, divided among all workers, at most ``batch_tokens``.
    With every worker idle the queue is split evenly; while another decodes a
    large batch the gatherer leaves the rest queued for it rather than take
    nearly everything (which keeps the workers' batches lopsided: one large,
    the others tiny and expensive per sentence).
    """
    share = math.ceil((queued_tokens + decoding_tokens) / max(1, workers))
    return max(1, min(batch_tokens, share))


def _verified(terms: Sequence[Any]) -> int:
    return sum(1 for term in terms if term.verified)


def _from_cache(source: str, result: SentenceResult, glossary: GlossaryChoice) -> SentenceOutcome:
    """A cached sentence, its terms found again in the source and checked in the output.

    The cache keeps only counts, so how each term was enforced is unknown
    (method ``cached``); whether its target is in the output is checked as
    the enforcer checks it.
    """
    if glossary.enforcer is None:
        return SentenceOutcome(source, result.output, (), cached=True)
    from glossary.enforce import AppliedTerm, count_target

    terms = []
    needed: dict[str, int] = {}
    for match in glossary.enforcer.find(source):
        needed[match.target] = needed.get(match.target, 0) + 1
        verified = count_target(result.output, match.target) >= needed[match.target]
        terms.append(AppliedTerm.of(match, CACHED, verified))
    return SentenceOutcome(source, result.output, tuple(terms), cached=True)
