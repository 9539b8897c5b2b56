"""What the endpoints do, apart from HTTP: validate a request, translate, shape the answer.

:class:`ApiError` carries the HTTP status and LibreTranslate's one-line
``error`` message; every problem with a request's content is one, so bad
input never becomes a 500.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.languages import LANGUAGE_NAMES, SOURCE_LANGUAGE, TARGET_LANGUAGE
from translate.server.batcher import Batcher, QueueFull, SentenceOutcome, ShuttingDown
from translate.server.glossaries import GlossaryCatalog, GlossaryChoice, GlossaryRequestError

if TYPE_CHECKING:
    from translate.engine import Engine

SOURCE_LANGUAGES = {SOURCE_LANGUAGE: LANGUAGE_NAMES[SOURCE_LANGUAGE]}
TARGET_LANGUAGES = {TARGET_LANGUAGE: LANGUAGE_NAMES[TARGET_LANGUAGE]}
FORMATS = ("text", "html")
MAX_ALTERNATIVES = 8


class ApiError(Exception):
    """A request the server refuses: HTTP ``status`` and a one-line message."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class ServerSettings:
    """Options of ``vertaal serve`` that shape requests and answers."""

    char_limit: int = 5000
    """Most characters of ``q`` per request (all items of a list together)."""
    api_keys: frozenset[str] = frozenset()
    """Accepted keys; empty = no key needed."""
    max_upload_bytes: int = 10 * 2**20
    body_timeout: float = 30.0
    """Seconds a client may take to send each part of a request body."""
    upload_dir: Path | None = None
    """Where ``/translate_file`` keeps uploads and translations (a temporary folder if None)."""
    frontend_timeout: int = 500

    @property
    def max_body_bytes(self) -> int:
        """Largest JSON or form body: room for ``q`` at the limit, escaped, plus the rest."""
        return self.char_limit * 12 + 256 * 1024


def api_key_error(settings: ServerSettings, key: object) -> ApiError | None:
    """403 when keys are required and ``key`` is missing or unknown."""
    if not settings.api_keys:
        return None
    if not key:
        return ApiError(403, "Missing API key: pass api_key; ask the server operator for one")
    if not isinstance(key, str) or key not in settings.api_keys:
        return ApiError(403, "Invalid API key")
    return None


@dataclass(frozen=True)
class TranslateRequest:
    """A checked ``/translate`` request."""

    texts: list[str]
    batch: bool
    """``q`` was a list (answer with lists)."""
    auto: bool
    html: bool
    alternatives: int
    glossary: GlossaryChoice


@dataclass
class TextResult:
    """One ``q`` item translated: the text and its sentences."""

    text: str
    segments: list[SentenceOutcome] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)


def _missing(name: str) -> ApiError:
    return ApiError(400, f"Invalid request: missing {name} parameter")


def parse_translate(
    fields: Mapping[str, Any], settings: ServerSettings, catalog: GlossaryCatalog
) -> TranslateRequest:
    """Check a ``/translate`` body (JSON object or form fields) as LibreTranslate does."""
    q = fields.get("q")
    if not q:
        raise _missing("q")
    batch = isinstance(q, list)
    texts = q if batch else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    source, target = fields.get("source"), fields.get("target")
    if not source:
        raise _missing("source")
    if not target:
        raise _missing("target")
    for name, value in (("source", source), ("target", target), ("format", fields.get("format"))):
        if value is not None and not isinstance(value, str):
            raise ApiError(400, f"Invalid request: {name} must be a string")
    if source != "auto" and source not in SOURCE_LANGUAGES:
        raise ApiError(400, f"{source} is not supported: vertaal translates nl (or auto)")
    if target not in TARGET_LANGUAGES:
        raise ApiError(400, f"{target} is not supported: vertaal translates into en")
    text_format = fields.get("format") or "text"
    if text_format not in FORMATS:
        raise ApiError(400, f"{text_format} format is not supported: use text or html")
    chars = sum(len(text) for text in texts)
    if chars > settings.char_limit:
        raise ApiError(
            413,
            f"Invalid request: request ({chars}) exceeds text limit ({settings.char_limit})",
        )
    return TranslateRequest(
        texts=list(texts),
        batch=batch,
        auto=source == "auto",
        html=text_format == "html",
        alternatives=_alternatives(fields.get("alternatives")),
        glossary=choose_glossary(catalog, fields.get("glossary"), fields.get("terms")),
    )


def choose_glossary(catalog: GlossaryCatalog, name: Any, terms: Any) -> GlossaryChoice:
    """The request's glossary; a bad name or bad terms is a 400."""
    if name is not None and not isinstance(name, str):
        raise ApiError(400, "Invalid request: glossary must be a name")
    if isinstance(terms, str):  # a form field carries JSON text
        import json

        try:
            terms = json.loads(terms) if terms.strip() else None
        except json.JSONDecodeError as error:
            raise ApiError(400, f"Invalid request: terms is not JSON ({error.msg})") from None
    try:
        return catalog.choose(name, terms)
    except GlossaryRequestError as error:
        raise ApiError(400, f"Invalid request: {error}") from None


def _alternatives(value: Any) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid request: alternatives must be a whole number") from None
    if (isinstance(value, float) and value != number) or not 0 <= number <= MAX_ALTERNATIVES:
        raise ApiError(400, f"Invalid request: alternatives must be 0 to {MAX_ALTERNATIVES}")
    return number


async def translate_texts(
    batcher: Batcher, texts: Sequence[str], glossary: GlossaryChoice
) -> list[TextResult]:
    """Translate plain texts (layout kept) through the batcher, in one job."""
    from translate.segment import segment

    segmentations = [segment(text) for text in texts]
    sentences = [s for seg in segmentations for s in seg.sentences]
    try:
        outcomes = await batcher.translate(sentences, glossary)
    except QueueFull as error:
        raise ApiError(429, f"Slowdown: {error}; retry in a moment", {"Retry-After": "1"}) from None
    except ShuttingDown as error:
        raise ApiError(503, f"Unavailable: {error}", {"Retry-After": "5"}) from None
    results: list[TextResult] = []
    position = 0
    for seg in segmentations:
        mine = outcomes[position : position + len(seg.sentences)]
        position += len(seg.sentences)
        results.append(TextResult(seg.join([o.output for o in mine]), list(mine)))
    return results


async def translate_request(
    request: TranslateRequest, batcher: Batcher, engine: Engine
) -> list[TextResult]:
    """Translate every ``q`` item (HTML keeps its tags), with alternatives if asked."""
    if not request.html:
        results = await translate_texts(batcher, request.texts, request.glossary)
    else:
        results = [await _translate_fragment(f, batcher, request.glossary) for f in request.texts]
    if request.alternatives and not request.html:
        await _add_alternatives(results, request.texts, request.alternatives, engine)
    return results


class BatcherTextTranslator:
    """The document layer's ``TextTranslator`` over the batcher, for a worker thread.

    :mod:`translate.documents` translates synchronously; run it in a thread
    with this translator and its texts still join the server's shared
    batches (the call hops to the event loop and waits there). The sentences
    it translated are kept in ``segments`` for the response.
    """

    def __init__(
        self,
        batcher: Batcher,
        glossary: GlossaryChoice,
        loop: asyncio.AbstractEventLoop,
        timeout: float = 600.0,
    ) -> None:
        self.batcher = batcher
        self.glossary = glossary
        self.loop = loop
        self.timeout = timeout
        self.segments: list[SentenceOutcome] = []

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        """One translation per text, layout kept (called from a worker thread)."""
        pending = asyncio.run_coroutine_threadsafe(
            translate_texts(self.batcher, texts, self.glossary), self.loop
        )
        results = pending.result(self.timeout)
        for result in results:
            self.segments.extend(result.segments)
        return [result.text for result in results]


async def _translate_fragment(
    fragment: str, batcher: Batcher, glossary: GlossaryChoice
) -> TextResult:
    """An HTML fragment through the document layer: tags kept, only text translated."""
    from translate.documents import translate_html_fragment
    from translate.errors import InputError

    translator = BatcherTextTranslator(batcher, glossary, asyncio.get_running_loop())
    try:
        html = await asyncio.to_thread(translate_html_fragment, fragment, translator)
    except InputError as error:
        raise ApiError(400, f"Invalid request: {error.render()}") from None
    return TextResult(html, translator.segments)


async def _add_alternatives(
    results: list[TextResult], texts: Sequence[str], count: int, engine: Engine
) -> None:
    """LibreTranslate's ``alternatives``: other n-best hypotheses (the glossary is not applied)."""
    from translate.segment import segment

    def nbest() -> list[list[str]]:
        alternatives = []
        for text, result in zip(texts, results, strict=True):
            seg = segment(text)
            hypotheses = engine.translate_nbest(seg.sentences, count + 1) if seg.sentences else []
            options = []
            for k in range(1, count + 1):
                options.append(seg.join([h[k] if k < len(h) else h[0] for h in hypotheses]))
            unique = [o for o in dict.fromkeys(options) if o and o != result.text]
            alternatives.append(unique)
        return alternatives

    for result, alternatives in zip(results, await asyncio.to_thread(nbest), strict=True):
        result.alternatives = alternatives


TERM_MISSING = "term-missing"


def outcome_flags(outcome: SentenceOutcome) -> list[dict[str, str]]:
    """Fidelity flags of a sentence: the project's segment checks plus missing glossary terms."""
    from translate.scoring.quality import segment_flags

    flags = [f.to_dict() for f in segment_flags(outcome.source, outcome.output, outcome.spans)]
    missing = [t.target for t in outcome.terms if not t.verified]
    if missing:
        flags.append({"name": TERM_MISSING, "reason": f"not in the output: {', '.join(missing)}"})
    return flags


def segment_json(outcome: SentenceOutcome) -> dict[str, Any]:
    """A sentence for the ``vertaal`` extension of a response: terms, spans and flags."""
    return {
        "source": outcome.source,
        "translation": outcome.output,
        "terms": [term.to_dict() for term in outcome.terms],
        "protected": [span.to_dict() for span in outcome.spans],
        "flags": outcome_flags(outcome),
        "cached": outcome.cached,
    }


def translate_response(
    request: TranslateRequest,
    results: list[TextResult],
    detected: list[dict[str, Any]] | None,
    model_id: str,
) -> dict[str, Any]:
    """LibreTranslate's answer, plus the ``vertaal`` object old clients ignore."""
    texts = [r.text for r in results]
    segments = [[segment_json(o) for o in r.segments] for r in results]
    body: dict[str, Any] = {"translatedText": texts if request.batch else texts[0]}
    if detected is not None:
        body["detectedLanguage"] = detected if request.batch else detected[0]
    if request.alternatives:
        alternatives = [r.alternatives for r in results]
        body["alternatives"] = alternatives if request.batch else alternatives[0]
    body["vertaal"] = {
        "model": model_id,
        "glossary": request.glossary.name,
        "segments": segments if request.batch else segments[0],
    }
    return body


def detect_source(texts: Sequence[str]) -> list[dict[str, Any]]:
    """``detectedLanguage`` per text for ``source=auto``; 400 when a text is not Dutch."""
    from translate.server.detect import detect_languages, looks_dutch

    detected = []
    for text in texts:
        candidates = detect_languages(text)
        if not looks_dutch(text, candidates):
            found = candidates[0].language
            raise ApiError(400, f"{found} is not supported: vertaal translates Dutch (nl) only")
        dutch = [c for c in candidates if c.language == "nl"]
        confidence = dutch[0].confidence if dutch else 0.0
        detected.append({"confidence": confidence, "language": "nl"})
    return detected
