"""The translation engine: an Argos package's CTranslate2 model, used efficiently.

One :class:`Engine` per package and options per process (:meth:`Engine.load`
caches them). A document is cut into sentences (:mod:`translate.segment`),
repeated sentences are translated once, and all of them go to CTranslate2 in
one call that batches by *tokens* over length-sorted input, which is what makes
this several times faster than translating sentence by sentence. The layout of
the input is rebuilt exactly around the translations.

Besides :meth:`Engine.translate_sentences` (the :class:`SentenceTranslator`
protocol the glossary enforcer calls), the engine offers lower-level access
for constrained decoding: :meth:`Engine.translate_with_prefixes` forces each
translation to start with given target tokens, :meth:`Engine.encode_target`
turns English text into those tokens, :meth:`Engine.translate_nbest` returns
several hypotheses and :meth:`Engine.translate_tokens` works on token lists.
:meth:`Engine.score_outputs` gives the model's confidence in finished
translations (CTranslate2's scoring), which the per-segment flags use.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from translate.errors import ModelError
from translate.packages import ArgosPackage
from translate.segment import segment

DEFAULT_MAX_INPUT_TOKENS = 250
"""Longest source the models are trained on; longer sentences are cut into pieces."""

_CUT_AFTER_STRONG = frozenset(".!?;:")
_CUT_AFTER_WEAK = frozenset(",)–—-")
COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int16", "float32", "float16")


DEFAULT_BEAM_SIZE = 4
"""Beam width, as argostranslate uses."""
DEFAULT_COMPUTE_TYPE = "int8"
DEFAULT_MAX_BATCH_TOKENS = 2048
DEFAULT_WORKERS = 1
"""Local worker processes of a batch job (one: least memory, no child processes)."""


def available_cores() -> int:
    """CPU cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def split_threads(threads: int) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for ``threads`` cores in total.

    Parallel replicas (inter) decode different batches at once, which on a
    few cores beats spreading one batch's matrix products over threads (intra);
    more cores go to intra once there are a few replicas.
    """
    threads = max(1, threads)
    inter = threads if threads <= 2 else (2 if threads < 8 else 4)
    return inter, max(1, threads // inter)


def default_inter_threads(cores: int | None = None) -> int:
    """Translator replicas when the user chooses none: see :func:`split_threads`."""
    return split_threads(cores or available_cores())[0]


def _default_inter_threads() -> int:
    return default_inter_threads()


@dataclass(frozen=True)
class EngineOptions:
    """Decoding and threading options.

    Defaults suit a small CPU: every core busy (on 2 cores: two translator
    replicas of one thread each), int8 weights, batches of up to 2048 source
    tokens, beam 4 as argostranslate uses. Build them from what a user asked
    for with :meth:`EngineRequest.resolve`.
    """

    beam_size: int = DEFAULT_BEAM_SIZE
    inter_threads: int = field(default_factory=_default_inter_threads)
    """Batches decoded in parallel (translator replicas sharing the weights)."""
    intra_threads: int = 0
    """Threads per replica; 0 = the cores left per replica."""
    compute_type: str = DEFAULT_COMPUTE_TYPE
    max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS
    device: str = "cpu"
    length_penalty: float = 0.2
    """Same as argostranslate, so both give the same translations."""
    max_input_tokens: int | None = None
    """Cut longer sentences; ``None`` = the package's ``max_input_tokens`` or 250."""
    replace_unknowns: bool = True

    @classmethod
    def for_threads(cls, threads: int, **options: Any) -> EngineOptions:
        """Options using ``threads`` cores in total (see :func:`split_threads`)."""
        inter, intra = split_threads(threads)
        return cls(inter_threads=inter, intra_threads=intra, **options)

    def resolved_intra_threads(self) -> int:
        """Threads per replica, with 0 replaced by the number of cores per replica."""
        if self.intra_threads:
            return self.intra_threads
        return max(1, available_cores() // max(1, self.inter_threads))

    def shared_by(self, workers: int, cores: int | None = None) -> EngineOptions:
        """These options for each of ``workers`` local processes sharing the cores.

        Each worker gets its share of the cores instead of all of them;
        options whose threads per replica were chosen are kept as they are.
        """
        if workers <= 1 or self.intra_threads:
            return self
        per_worker = max(1, (cores or available_cores()) // workers)
        replicas = max(1, min(self.inter_threads, per_worker))
        return replace(self, inter_threads=replicas, intra_threads=max(1, per_worker // replicas))


@dataclass(frozen=True)
class EngineRequest:
    """What a user asked for (``None``: the default); :meth:`resolve` decides the rest.

    The one place where the command line's ``--threads``, ``--inter-threads``,
    ``--workers``, ``--beam-size``, ``--batch-tokens`` and ``--compute-type``
    become :class:`EngineOptions`, for ``vertaal translate`` and ``vertaal
    batch`` alike.
    """

    threads: int | None = None
    """Cores in total (per worker); split into replicas by :func:`split_threads`."""
    inter_threads: int | None = None
    """Translator replicas; with ``threads``, they share those cores."""
    workers: int = DEFAULT_WORKERS
    """Local worker processes sharing this machine's cores."""
    beam_size: int | None = None
    compute_type: str | None = None
    max_batch_tokens: int | None = None

    def resolve(self, cores: int | None = None) -> EngineOptions:
        """The options for one worker; ``cores`` overrides the detected count (for tests)."""
        cores = cores or available_cores()
        if self.threads and self.inter_threads:
            inter, intra = self.inter_threads, max(1, self.threads // self.inter_threads)
        elif self.threads:
            inter, intra = split_threads(self.threads)
        else:
            inter, intra = self.inter_threads or default_inter_threads(cores), 0
        options = EngineOptions(
            beam_size=self.beam_size or DEFAULT_BEAM_SIZE,
            inter_threads=inter,
            intra_threads=intra,
            compute_type=self.compute_type or DEFAULT_COMPUTE_TYPE,
            max_batch_tokens=self.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS,
        )
        return options.shared_by(self.workers, cores)


class EnforcedResult(Protocol):
    """One sentence as returned by a glossary enforcer (``glossary.enforce.EnforcedSentence``)."""

    @property
    def source(self) -> str: ...

    @property
    def output(self) -> str: ...

    @property
    def terms(self) -> Sequence[Any]: ...


class SentenceEnforcer(Protocol):
    """What the engine needs of ``glossary.enforce.Enforcer`` (terms and protected spans)."""

    def enforce(self, sentences: Sequence[str], translator: Any) -> Sequence[EnforcedResult]:
        """Translate ``sentences`` with ``translator`` and enforce the glossary terms."""
        ...


@dataclass(frozen=True)
class Segment:
    """One translated sentence of a document.

    ``seconds`` is this sentence's share of the batched decoding time
    (proportional to its length), since sentences are decoded together.
    ``terms`` are the glossary terms the enforcer applied and ``spans`` the
    protected spans it kept (empty without one); ``flags`` are what
    :func:`translate.scoring.quality.segment_flags` found suspicious, and
    ``confidence`` the model's mean log-probability per output token.
    """

    index: int
    source: str
    output: str
    seconds: float
    terms: tuple[Any, ...] = ()
    spans: tuple[Any, ...] = ()
    flags: tuple[Any, ...] = ()
    confidence: float | None = None

    def to_dict(
        self, with_terms: bool = True, with_spans: bool = False, with_checks: bool = False
    ) -> dict[str, Any]:
        """A JSON-ready record (seconds rounded to 0.1 ms); ``terms`` only ``with_terms``,
        the protected ``spans`` only ``with_spans``, ``flags`` and ``confidence`` only
        ``with_checks``."""
        record: dict[str, Any] = {
            "index": self.index,
            "source": self.source,
            "output": self.output,
            "seconds": round(self.seconds, 4),
        }
        if with_terms:
            record["terms"] = [_term_to_dict(term) for term in self.terms]
        if with_spans:
            record["spans"] = [_term_to_dict(span) for span in self.spans]
        if with_checks:
            record["flags"] = [_term_to_dict(flag) for flag in self.flags]
            record["confidence"] = None if self.confidence is None else round(self.confidence, 4)
        return record


def _term_to_dict(term: Any) -> Any:
    # terms come from the glossary enforcer, which the engine knows only as a protocol
    if hasattr(term, "to_dict"):
        return term.to_dict()
    if dataclasses.is_dataclass(term) and not isinstance(term, type):
        return dataclasses.asdict(term)
    return str(term)


@dataclass(frozen=True)
class DocumentTranslation:
    """A translated document: the text with its layout, and per-sentence records."""

    text: str
    segments: list[Segment]
    seconds: float
    model_id: str
    glossary_applied: bool = False
    model_path: str = ""
    """Directory of the package that translated it."""
    protected: bool = False
    """Protected spans were kept (``translate.protect``); segments list them."""
    checked: bool = False
    """Segments carry flags and confidence (``translate_document(check=True)``)."""

    def to_dict(self, source_name: str | None = None) -> dict[str, Any]:
        """A JSON-ready record of the document (``vertaal translate --json``).

        ``source_name`` (a file name, ``<stdin>``) comes first when given;
        segments list their glossary terms when a glossary was applied.
        """
        record: dict[str, Any] = {} if source_name is None else {"input": source_name}
        record.update(
            model=self.model_id,
            model_path=self.model_path,
            seconds=round(self.seconds, 4),
            glossary=self.glossary_applied,
            segments=[
                segment.to_dict(self.glossary_applied, self.protected, self.checked)
                for segment in self.segments
            ],
            text=self.text,
        )
        return record

    @property
    def terms_applied(self) -> int:
        """How many glossary terms were applied over the document."""
        return sum(len(segment.terms) for segment in self.segments)

    @property
    def terms_verified(self) -> int:
        """How many applied terms were found in the output afterwards."""
        return sum(
            1
            for segment in self.segments
            for term in segment.terms
            if getattr(term, "verified", False)
        )


@dataclass
class EngineStats:
    """Counters since the engine was loaded (what actually reached the model)."""

    sentences_requested: int = 0
    sentences_translated: int = 0
    chunks_translated: int = 0
    long_sentences_split: int = 0
    source_tokens: int = 0


class _Tokenizer(Protocol):
    def encode(self, texts: list[str]) -> list[list[str]]: ...

    def decode(self, tokens: list[list[str]]) -> list[str]: ...

    def word_starts_at(self, tokens: list[str], index: int) -> bool: ...


class _SentencePieceTokenizer:
    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def encode(self, texts: list[str]) -> list[list[str]]:
        return list(self._processor.encode(texts, out_type=str))

    def decode(self, tokens: list[list[str]]) -> list[str]:
        return list(self._processor.decode(tokens)) if tokens else []

    def word_starts_at(self, tokens: list[str], index: int) -> bool:
        return tokens[index].startswith("▁")


class _BPETokenizer:
    """Moses tokenization + BPE, as argostranslate does for packages with ``bpe.model``."""

    def __init__(self, model_file: str, from_code: str, to_code: str) -> None:
        from argostranslate.tokenizer import BPETokenizer  # no import-time side effects

        self._tokenizer = BPETokenizer(model_file, from_code, to_code)

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [list(self._tokenizer.encode(text)) for text in texts]

    def decode(self, tokens: list[list[str]]) -> list[str]:
        return [str(self._tokenizer.decode(pieces)) for pieces in tokens]

    def word_starts_at(self, tokens: list[str], index: int) -> bool:
        # in BPE the *previous* token marks a continuation with "@@"
        return index == 0 or not tokens[index - 1].endswith("@@")


@dataclass
class _Work:
    """Sentences cut into chunks that fit the model, and where each chunk belongs."""

    chunks: list[list[str]] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    prefixes: list[list[str] | None] = field(default_factory=list)


_ENGINES: dict[tuple[str, EngineOptions], Engine] = {}
_ENGINES_LOCK = threading.Lock()


class Engine:
    """A loaded translation model; create with :meth:`Engine.load`."""

    def __init__(self, package: ArgosPackage, options: EngineOptions) -> None:
        """Load the model and tokenizer now (prefer :meth:`load`, which caches)."""
        self._package = package
        self.options = options
        self.stats = EngineStats()
        self._model_id = _model_id(package)
        self._max_input_tokens = _max_input_tokens(package, options)
        self._max_decoding_length = _decoding_limit(self._max_input_tokens)
        self._target_prefix = [package.target_prefix] if package.target_prefix else []
        self._tokenizer = _load_tokenizer(package)
        self._translator = _load_translator(package, options)

    @classmethod
    def load(cls, package: ArgosPackage, options: EngineOptions | None = None) -> Engine:
        """The engine for ``package`` and ``options``, loaded once per process."""
        options = options or EngineOptions()
        key = (str(package.path.resolve()), options)
        with _ENGINES_LOCK:
            engine = _ENGINES.get(key)
            if engine is None or engine.model_id != _model_id(package):
                engine = cls(package, options)
                _ENGINES[key] = engine
            return engine

    # ----------------------------------------------------------------- properties

    @property
    def package(self) -> ArgosPackage:
        """The Argos package the model comes from."""
        return self._package

    @property
    def supports_placeholders(self) -> bool:
        """Whether the model copies glossary placeholders ``｟i｠`` (see translate.placeholders)."""
        return self._package.supports_placeholders

    @property
    def model_id(self) -> str:
        """``name@version#hash``: changes whenever the model files change (for caches)."""
        return self._model_id

    @property
    def max_input_tokens(self) -> int:
        """Longest source (in tokens) sent to the model in one piece."""
        return self._max_input_tokens

    @property
    def max_decoding_length(self) -> int:
        """Most target tokens generated for the longest pieces (shorter ones get less)."""
        return self._max_decoding_length

    # ----------------------------------------------------------------- translation

    def translate_sentences(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences (one output each, same order); no glossary.

        Identical sentences are translated once; all go to the model together
        in length-sorted batches of ``max_batch_tokens`` tokens.
        """
        return self.translate_with_prefixes(sentences, [None] * len(sentences))

    def translate_with_prefixes(
        self,
        sentences: Sequence[str],
        target_prefixes: Sequence[str | Sequence[str] | None],
    ) -> list[str]:
        """Translate sentences whose translations must begin with given English text.

        ``target_prefixes[i]`` is ``None`` (free decoding), the English text the
        translation must start with (a ``str``), or that text already as
        target tokens (a list, e.g. from :meth:`encode_target`). The returned
        translation starts with the prefix and the model completes the rest;
        this is CTranslate2's ``target_prefix`` constrained decoding, used by
        the glossary enforcer.
        """
        if len(target_prefixes) != len(sentences):
            raise ValueError("one target prefix (or None) per sentence is required")
        as_tokens = [
            (self.encode_target(prefix) if prefix.strip() else None)
            if isinstance(prefix, str)
            else (list(prefix) or None if prefix is not None else None)
            for prefix in target_prefixes
        ]
        nbest = self._translate(sentences, as_tokens, num_hypotheses=1)
        return [hypotheses[0] for hypotheses in nbest]

    def translate_nbest(self, sentences: Sequence[str], num_hypotheses: int) -> list[list[str]]:
        """The ``num_hypotheses`` best translations of each sentence, best first."""
        return self._translate(sentences, [None] * len(sentences), num_hypotheses)

    def encode_source(self, texts: Sequence[str]) -> list[list[str]]:
        """Source-side tokens of each text."""
        return self._tokenizer.encode(list(texts))

    def source_pieces(self, texts: Sequence[str]) -> list[list[list[str]]]:
        """The token pieces the model decodes for each text: its source tokens,
        cut into pieces of at most :attr:`max_input_tokens`."""
        return [
            _split_tokens(tokens, self._max_input_tokens, self._tokenizer.word_starts_at)
            for tokens in self._tokenizer.encode(list(texts))
        ]

    def encode_target(self, text: str) -> list[str]:
        """Target-side tokens of ``text`` (for :meth:`translate_with_prefixes`).

        Argos packages share one tokenizer between the two languages.
        """
        return self._tokenizer.encode([text])[0]

    def decode_target(self, tokens: Sequence[Sequence[str]]) -> list[str]:
        """Text of each list of target tokens."""
        return self._tokenizer.decode([list(pieces) for pieces in tokens])

    def translate_tokens(
        self,
        source_tokens: Sequence[Sequence[str]],
        target_prefixes: Sequence[Sequence[str] | None] | None = None,
        num_hypotheses: int = 1,
    ) -> list[list[list[str]]]:
        """Translate token lists as they are (no splitting, no dedup): tokens out.

        Returns, per input, ``num_hypotheses`` lists of target tokens (the
        package's own target prefix removed, a given prefix kept).
        """
        prefixes: list[list[str] | None] = (
            [list(prefix) if prefix else None for prefix in target_prefixes]
            if target_prefixes is not None
            else [None] * len(source_tokens)
        )
        return self._decode_batch(
            [list(tokens) for tokens in source_tokens], prefixes, num_hypotheses
        )

    def translate_document(
        self, text: str, enforcer: SentenceEnforcer | None = None, check: bool = False
    ) -> DocumentTranslation:
        """Translate a whole document, keeping its layout exactly.

        With an ``enforcer`` (``glossary.enforce.Enforcer``), sentences are
        translated through ``enforcer.enforce(sentences, self)`` and each
        segment records the terms and protected spans it applied. With
        ``check``, each segment gets the model's confidence and its flags
        (:func:`translate.scoring.quality.segment_flags`).
        """
        segmentation = segment(text)
        sources = segmentation.sentences
        started = time.perf_counter()
        terms: list[tuple[Any, ...]]
        spans: list[tuple[Any, ...]]
        if enforcer is None:
            outputs = self.translate_sentences(sources)
            terms = spans = [()] * len(sources)
        else:
            enforced = list(enforcer.enforce(sources, self))
            if len(enforced) != len(sources):
                raise ValueError("the glossary enforcer must return one result per sentence")
            outputs = [result.output for result in enforced]
            terms = [tuple(result.terms) for result in enforced]
            spans = [tuple(getattr(result, "spans", ())) for result in enforced]
        elapsed = time.perf_counter() - started
        confidences: list[float | None] = [None] * len(sources)
        flags: list[tuple[Any, ...]] = [()] * len(sources)
        if check:
            from translate.scoring.quality import segment_flags

            confidences = list(self.score_outputs(sources, outputs))
            flags = [
                tuple(segment_flags(source, output, kept, confidence))
                for source, output, kept, confidence in zip(
                    sources, outputs, spans, confidences, strict=True
                )
            ]
        total_chars = sum(len(source) for source in sources) or 1
        segments = [
            Segment(
                index=i,
                source=source,
                output=output,
                seconds=elapsed * len(source) / total_chars,
                terms=terms[i],
                spans=spans[i],
                flags=flags[i],
                confidence=confidences[i],
            )
            for i, (source, output) in enumerate(zip(sources, outputs, strict=True))
        ]
        return DocumentTranslation(
            text=segmentation.join(outputs),
            segments=segments,
            seconds=elapsed,
            model_id=self._model_id,
            # an enforcer without a glossary only keeps protected spans
            glossary_applied=enforcer is not None
            and getattr(enforcer, "glossary", True) is not None,
            model_path=str(self._package.path),
            protected=bool(getattr(enforcer, "protect", False)),
            checked=check,
        )

    def score_outputs(self, sources: Sequence[str], outputs: Sequence[str]) -> list[float | None]:
        """The model's mean log-probability per token of each finished translation.

        Scores the output as it is (after glossary and span enforcement), so it
        measures the text the user gets; ``None`` for empty sentences.
        """
        pairs = [(i, s, o) for i, (s, o) in enumerate(zip(sources, outputs, strict=True))]
        pairs = [(i, s, o) for i, s, o in pairs if s.strip() and o.strip()]
        scores: list[float | None] = [None] * len(sources)
        if not pairs:
            return scores
        source_tokens = self._tokenizer.encode([s for _, s, _ in pairs])
        target_tokens = [
            self._target_prefix + tokens
            for tokens in self._tokenizer.encode([o for _, _, o in pairs])
        ]
        results = self._translator.score_batch(
            source_tokens,
            target_tokens,
            max_batch_size=self.options.max_batch_tokens,
            batch_type="tokens",
            offset=len(self._target_prefix),
        )
        for (i, _, _), result in zip(pairs, results, strict=True):
            log_probs = list(result.log_probs)
            scores[i] = sum(log_probs) / len(log_probs) if log_probs else None
        return scores

    # ----------------------------------------------------------------- internals

    def _translate(
        self,
        sentences: Sequence[str],
        target_prefixes: Sequence[Sequence[str] | None],
        num_hypotheses: int,
    ) -> list[list[str]]:
        self.stats.sentences_requested += len(sentences)
        # translate each distinct (sentence, prefix) once
        keys = [
            (sentence, tuple(prefix) if prefix else None)
            for sentence, prefix in zip(sentences, target_prefixes, strict=True)
        ]
        unique = list(dict.fromkeys(key for key in keys if key[0].strip()))
        self.stats.sentences_translated += len(unique)
        translations: dict[tuple[str, tuple[str, ...] | None], list[str]] = {}
        if unique:
            work = self._prepare([key[0] for key in unique], [key[1] for key in unique])
            decoded = self._decode_batch(work.chunks, work.prefixes, num_hypotheses)
            texts = [self._tokenizer.decode(hypotheses) for hypotheses in decoded]
            pieces: list[list[list[str]]] = [[] for _ in unique]
            for owner, chunk_texts in zip(work.owners, texts, strict=True):
                pieces[owner].append(chunk_texts)
            for key, chunk_list in zip(unique, pieces, strict=True):
                # hypothesis k of a split sentence = hypothesis k of each piece, joined
                translations[key] = [
                    " ".join(chunk[k].strip() for chunk in chunk_list).strip()
                    for k in range(num_hypotheses)
                ]
        return [translations.get(key, [""] * num_hypotheses) for key in keys]

    def _prepare(self, sentences: list[str], prefixes: list[tuple[str, ...] | None]) -> _Work:
        work = _Work()
        for owner, chunks in enumerate(self.source_pieces(sentences)):
            self.stats.source_tokens += sum(map(len, chunks))
            if len(chunks) > 1:
                self.stats.long_sentences_split += 1
            for position, chunk in enumerate(chunks):
                work.chunks.append(chunk)
                work.owners.append(owner)
                prefix = prefixes[owner]
                work.prefixes.append(list(prefix) if prefix and position == 0 else None)
        self.stats.chunks_translated += len(work.chunks)
        return work

    def _decode_batch(
        self,
        chunks: list[list[str]],
        prefixes: list[list[str] | None],
        num_hypotheses: int,
    ) -> list[list[list[str]]]:
        if not chunks:
            return []
        fixed = self._target_prefix
        # CTranslate2 sorts by length too, but only within one call; a global
        # sort keeps padding low across the whole document
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]))
        limits = [
            _decoding_limit(len(chunk)) + len(fixed) + len(prefix or [])
            for chunk, prefix in zip(chunks, prefixes, strict=True)
        ]
        sizes = [len(chunk) for chunk in chunks]
        calls = _decoding_calls(order, limits, sizes, self.options.max_batch_tokens)
        hypotheses = self._run_calls(calls, chunks, prefixes, num_hypotheses)
        # A chunk decoded under a longer neighbour's limit whose search ran up to
        # its own limit would have been stopped there: decode it again alone
        # with its own limit, so its translation does not depend on its batch.
        shared = {i: limit for limit, members in calls for i in members}
        overran = [
            i
            for i in order
            if shared[i] > limits[i] and max(map(len, hypotheses[i])) >= limits[i] - 1
        ]
        if overran:
            by_limit = sorted(overran, key=limits.__getitem__)
            again = _decoding_calls(by_limit, limits, sizes, 0)
            hypotheses.update(self._run_calls(again, chunks, prefixes, num_hypotheses))
        if fixed:
            hypotheses = {
                i: [h[len(fixed) :] if h[: len(fixed)] == fixed else h for h in found]
                for i, found in hypotheses.items()
            }
        return [hypotheses[i] for i in range(len(chunks))]

    def _run_calls(
        self,
        calls: list[tuple[int, list[int]]],
        chunks: list[list[str]],
        prefixes: list[list[str] | None],
        num_hypotheses: int,
    ) -> dict[int, list[list[str]]]:
        """The hypotheses of each chunk of ``calls`` (all queued at once, so every
        replica stays busy), as token lists that still hold the target prefix."""
        options = self.options
        fixed = self._target_prefix
        pending = []
        for limit, members in calls:
            prefix_batch: list[list[str] | None] | None = None
            if fixed or any(prefixes[i] for i in members):
                prefix_batch = [fixed + (prefixes[i] or []) or None for i in members]
            pending.append(
                (
                    members,
                    self._translator.translate_batch(
                        [chunks[i] or ["."] for i in members],
                        target_prefix=prefix_batch,
                        max_batch_size=options.max_batch_tokens,
                        batch_type="tokens",
                        asynchronous=True,
                        beam_size=max(options.beam_size, num_hypotheses),
                        num_hypotheses=num_hypotheses,
                        length_penalty=options.length_penalty,
                        max_input_length=0,  # never truncate: long inputs were split already
                        max_decoding_length=limit,
                        replace_unknowns=options.replace_unknowns,
                    ),
                )
            )
        return {
            i: [list(hypothesis) for hypothesis in _interruptible_result(future).hypotheses]
            for members, futures in pending
            for i, future in zip(members, futures, strict=True)
        }


def _decoding_calls(
    order: Sequence[int], limits: Sequence[int], sizes: Sequence[int], batch_tokens: int
) -> list[tuple[int, list[int]]]:
    """Chunks (``order``: ascending length) grouped into model calls, each with its limit.

    A call's decoding limit is the highest of its members' (CTranslate2 takes
    one per call). A call per limit would cut the few sentences of a
    server's batch into two or three tiny calls, which cost about 15% more
    CPU per sentence than one call (8 FLORES sentences a batch); so a call
    grows until it holds ``batch_tokens`` tokens (a full batch), and only then
    does a chunk with a higher limit start the next. With ``batch_tokens`` 0
    and ``order`` sorted by limit, every limit gets its own call. The caller
    decodes again whatever ran up to its own, lower limit (``_decode_batch``).
    """
    calls: list[tuple[int, list[int]]] = []
    members: list[int] = []
    limit = tokens = 0
    for i in order:
        if members and limits[i] > limit and tokens >= batch_tokens:
            calls.append((limit, members))
            members, limit, tokens = [], 0, 0
        members.append(i)
        limit = max(limit, limits[i])
        tokens += sizes[i]
    if members:
        calls.append((limit, members))
    return calls


def _decoding_limit(source_length: int) -> int:
    """Most target tokens for a source of ``source_length`` tokens.

    Depends on the sentence alone (never on its batch), so a translation does
    not change with its neighbours; a small model stuck repeating itself stops
    after about twice the source length instead of hundreds of tokens.
    """
    bucket = 8
    while bucket < source_length:
        bucket *= 2
    return 2 * bucket + 16


def _split_tokens(
    tokens: list[str], limit: int, word_starts_at: Callable[[list[str], int], bool]
) -> list[list[str]]:
    """Cut a too-long token list into pieces of at most ``limit`` tokens.

    Cuts after sentence-internal punctuation if possible, else after a comma,
    else before a word start, and only as a last resort inside a word.
    """
    chunks: list[list[str]] = []
    rest = tokens
    while len(rest) > limit:
        cut = _cut_point(rest, limit, word_starts_at)
        chunks.append(rest[:cut])
        rest = rest[cut:]
    chunks.append(rest)
    return chunks


def _cut_point(
    tokens: list[str], limit: int, word_starts_at: Callable[[list[str], int], bool]
) -> int:
    low = max(1, limit // 2)
    for wanted in (_CUT_AFTER_STRONG, _CUT_AFTER_WEAK):
        for cut in range(limit, low - 1, -1):
            if tokens[cut - 1].lstrip("▁")[-1:] in wanted and word_starts_at(tokens, cut):
                return cut
    for cut in range(limit, low - 1, -1):
        if word_starts_at(tokens, cut):
            return cut
    return limit


def _max_input_tokens(package: ArgosPackage, options: EngineOptions) -> int:
    if options.max_input_tokens:
        return options.max_input_tokens
    configured = package.metadata.get("max_input_tokens")
    if isinstance(configured, int) and configured > 8:
        return configured
    return DEFAULT_MAX_INPUT_TOKENS


def _model_id(package: ArgosPackage) -> str:
    model_bin = package.model_dir / "model.bin"
    try:
        status = model_bin.stat()
        fingerprint = f"{status.st_size}:{status.st_mtime_ns}"
    except OSError:
        fingerprint = "missing"
    digest = hashlib.sha256(
        (fingerprint + json.dumps(package.metadata, sort_keys=True)).encode()
    ).hexdigest()[:12]
    return f"{package.name}@{package.package_version or '0'}#{digest}"


def _load_tokenizer(package: ArgosPackage) -> _Tokenizer:
    try:
        if package.tokenizer_kind == "sentencepiece":
            return _SentencePieceTokenizer(str(package.tokenizer_path))
        return _BPETokenizer(str(package.tokenizer_path), package.from_code, package.to_code)
    except (OSError, RuntimeError, ValueError) as error:
        raise ModelError(
            f"{package.tokenizer_path}: broken package: cannot load the tokenizer "
            f"({_first_line(error)}); reinstall it"
        ) from None


def _load_translator(package: ArgosPackage, options: EngineOptions) -> Any:
    import ctranslate2

    supported = {"auto", "default"} | set(ctranslate2.get_supported_compute_types(options.device))
    if options.compute_type not in supported:
        raise ModelError(
            f"compute type {options.compute_type!r} is not supported on {options.device}; "
            f"use one of {', '.join(sorted(supported))}"
        )
    try:
        return ctranslate2.Translator(
            str(package.model_dir),
            device=options.device,
            compute_type=options.compute_type,
            inter_threads=options.inter_threads,
            intra_threads=options.resolved_intra_threads(),
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise ModelError(
            f"{package.model_dir}: broken package: cannot load the model "
            f"({_first_line(error)}); reinstall it"
        ) from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _interruptible_result(future: Any) -> Any:
    """``future.result()``, waiting in Python so that SIGINT and SIGTERM are handled at once.

    CTranslate2 completes a call's results together and blocks signals while
    ``result()`` waits, so Ctrl-C would otherwise wait for the whole document.
    Only the main thread handles signals: any other thread (a server's
    decoding thread) blocks in ``result()``, which releases the GIL, and gets
    the result the moment it is ready instead of up to a polling step later.
    """
    if threading.current_thread() is not threading.main_thread():
        return future.result()
    while not future.done():
        time.sleep(0.02)
    return future.result()
