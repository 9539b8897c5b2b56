"""The Starlette application: LibreTranslate's routes, the page, errors as JSON.

Routes: ``/languages``, ``/translate``, ``/detect``, ``/translate_file``,
``/download_file/{name}``, ``/frontend/settings`` (LibreTranslate's API) and
``/`` (the translator's page). Request bodies are capped and must arrive
without long stalls (:class:`BodyGuard`); every refusal is
``{"error": "..."}`` with a 4xx status.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from translate.server.batcher import Batcher
from translate.server.glossaries import GlossaryCatalog
from translate.server.service import (
    SOURCE_LANGUAGES,
    TARGET_LANGUAGES,
    ApiError,
    BatcherTextTranslator,
    ServerSettings,
    api_key_error,
    choose_glossary,
    detect_source,
    parse_translate,
    translate_request,
    translate_response,
    translate_texts,
)

if TYPE_CHECKING:
    from translate.engine import Engine

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("vertaal.serve")
STATIC = Path(__file__).parent / "static"
UPLOAD_ROUTES = ("/translate_file", "/")


class BodyTooLarge(Exception):
    """The client sent more than the route accepts."""


class BodyTimeout(Exception):
    """The client stalled while sending its body."""


class BodyGuard:
    """ASGI middleware: refuse oversize bodies (413) and stalled uploads (408)."""

    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, path: str) -> int:
        if path in UPLOAD_ROUTES:
            return self.settings.max_upload_bytes + 64 * 1024
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = _error(413, f"Request body too large: at most {limit} bytes")
            await response(scope, receive, send)
            return
        received = 0
        finished = False
        timeout = self.settings.body_timeout

        async def guarded_receive() -> Message:
            nonlocal received, finished
            if finished:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                raise BodyTimeout from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
                finished = not message.get("more_body", False)
            return message

        await self.app(scope, guarded_receive, send)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


@dataclass
class Service:
    """Everything the routes share: settings, model, glossaries, batcher, upload folder."""

    settings: ServerSettings
    engine: Engine
    catalog: GlossaryCatalog
    batcher: Batcher
    upload_dir: Path


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def _fields(request: Request) -> dict[str, Any]:
    """Query parameters plus the JSON object or form fields of the body."""
    fields: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method != "POST":
        return fields
    if content_type == "application/json":
        body = await request.body()
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ApiError(400, f"Invalid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid JSON format: the body must be an object")
        fields.update(data)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await _form(request)
        fields.update({k: v for k, v in form.items() if isinstance(v, str)})
    elif content_type or await request.body():
        raise ApiError(
            400, f"Invalid request: unsupported content type {content_type or 'none'}; send JSON"
        )
    return fields


async def _form(request: Request) -> Any:
    from starlette.formparsers import MultiPartException

    try:
        return await request.form(max_files=1, max_fields=50)
    except MultiPartException as error:
        raise ApiError(400, f"Invalid request: {error.message}") from None


def _check_key(service: Service, fields: dict[str, Any]) -> None:
    error = api_key_error(service.settings, fields.get("api_key"))
    if error is not None:
        raise error


# ---------------------------------------------------------------------- API routes


async def languages(request: Request) -> Response:
    """LibreTranslate's language list: Dutch into English."""
    body = [
        {"code": code, "name": name, "targets": sorted(TARGET_LANGUAGES)}
        for code, name in SOURCE_LANGUAGES.items()
    ] + [{"code": code, "name": name, "targets": []} for code, name in TARGET_LANGUAGES.items()]
    return JSONResponse(body)


async def translate(request: Request) -> Response:
    """``POST /translate``: LibreTranslate's request and answer, plus the ``vertaal`` object."""
    service = _service(request)
    fields = await _fields(request)
    _check_key(service, fields)
    parsed = parse_translate(fields, service.settings, service.catalog)
    # langdetect is CPU work (and loads its profiles on first use): off the event loop
    detected = await asyncio.to_thread(detect_source, parsed.texts) if parsed.auto else None
    results = await translate_request(parsed, service.batcher, service.engine)
    return JSONResponse(translate_response(parsed, results, detected, service.engine.model_id))


async def detect(request: Request) -> Response:
    """``POST /detect``: candidate languages of ``q``, best first."""
    from translate.server.detect import detect_languages

    service = _service(request)
    fields = await _fields(request)
    _check_key(service, fields)
    q = fields.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    if not isinstance(q, str):
        raise ApiError(400, "Invalid request: q must be a string")
    if len(q) > service.settings.char_limit:
        raise ApiError(413, f"Invalid request: q exceeds the text limit ({len(q)} characters)")
    detections = await asyncio.to_thread(detect_languages, q)
    if not detections:
        raise ApiError(400, "Invalid request: q has no letters to detect a language from")
    return JSONResponse([d.to_dict() for d in detections])


async def translate_file(request: Request) -> Response:
    """``POST /translate_file``: translate an uploaded file, answer its download URL."""
    from starlette.datastructures import UploadFile

    from translate.server.files import translate_upload

    service = _service(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "multipart/form-data":
        raise ApiError(400, "Invalid request: send the file as multipart/form-data")
    form = await _form(request)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    _check_key(service, fields)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(400, "Invalid request: missing file parameter")
    for name, allowed in (("source", ("nl", "auto")), ("target", ("en",))):
        value = fields.get(name)
        if not value:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        if value not in allowed:
            raise ApiError(400, f"{value} is not supported as {name}: use {' or '.join(allowed)}")
    if not upload.filename:
        raise ApiError(400, "Invalid request: empty file")
    glossary = choose_glossary(service.catalog, fields.get("glossary"), fields.get("terms"))
    data = await upload.read()

    async def units(texts: list[str]) -> list[str]:
        return [r.text for r in await translate_texts(service.batcher, texts, glossary)]

    async def document(content: bytes, name: str) -> bytes:
        from translate.documents import translate_document

        loop = asyncio.get_running_loop()
        translator = BatcherTextTranslator(service.batcher, glossary, loop)
        return await asyncio.to_thread(translate_document, content, None, translator, name=name)

    done = await translate_upload(service.upload_dir, upload.filename, data, units, document)
    url = request.url_for("download_file", filename=done.url_name)
    return JSONResponse({"translatedFileUrl": str(url)})


async def download_file(request: Request) -> Response:
    """``GET /download_file/{filename}``: a translation made by ``/translate_file``."""
    from translate.server.files import download_path

    path, name = download_path(_service(request).upload_dir, request.path_params["filename"])
    return FileResponse(path, filename=name)


async def frontend_settings(request: Request) -> Response:
    """``GET /frontend/settings`` as LibreTranslate's web clients read it."""
    from translate.server.files import supported_extensions

    service = _service(request)
    keys = bool(service.settings.api_keys)
    return JSONResponse(
        {
            "charLimit": service.settings.char_limit,
            "frontendTimeout": service.settings.frontend_timeout,
            "apiKeys": keys,
            "keyRequired": keys,
            "suggestions": False,
            "filesTranslation": True,
            "supportedFilesFormat": supported_extensions(),
            "language": {
                "source": {"code": "nl", "name": "Dutch"},
                "target": {"code": "en", "name": "English"},
            },
            "vertaal": {"glossaries": service.catalog.names},
        }
    )


async def stats(request: Request) -> Response:
    """``GET /vertaal/stats``: what the batcher has done (batches, requests, cache hits),
    and the model and decoding options it does it with."""
    service = _service(request)
    batcher = service.batcher
    body = dataclasses.asdict(batcher.stats)
    body["queued_sentences"] = batcher.queued_sentences
    body["workers"] = batcher.workers
    body["engine"] = engine_settings(service.engine)
    return JSONResponse(body)


def engine_settings(engine: Engine) -> dict[str, Any]:
    """The model and the options that decide its speed and output (for benchmarks)."""
    options = engine.options
    return {
        "model": engine.model_id,
        "beam_size": options.beam_size,
        "inter_threads": options.inter_threads,
        "intra_threads": options.resolved_intra_threads(),
        "compute_type": options.compute_type,
        "max_batch_tokens": options.max_batch_tokens,
    }


# ---------------------------------------------------------------------- the page


async def no_icon(request: Request) -> Response:
    """Browsers ask for an icon; answering "no content" keeps their consoles clean."""
    return Response(status_code=204)


def _page_state(service: Service, **values: Any) -> Any:
    from translate.server.page import PageState

    return PageState(
        glossaries=service.catalog.names,
        key_required=bool(service.settings.api_keys),
        char_limit=service.settings.char_limit,
        model=service.engine.model_id,
        **values,
    )


def _html(state: Any, status: int = 200) -> HTMLResponse:
    from translate.server.page import PAGE_HEADERS, render_page

    return HTMLResponse(render_page(state), status_code=status, headers=PAGE_HEADERS)


async def page(request: Request) -> Response:
    """``GET /``: the empty form; ``POST /``: the form with its translation (no JavaScript)."""
    service = _service(request)
    if request.method == "GET":
        return _html(_page_state(service))
    text, glossary_name = "", "default"
    try:
        form = await _form(request)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        text = fields.get("q", "").replace("\r\n", "\n")
        glossary_name = fields.get("glossary") or "default"
        _check_key(service, fields)
        upload = form.get("file")
        data = await upload.read() if upload is not None and not isinstance(upload, str) else b""
        if data:
            text = _uploaded_text(data, getattr(upload, "filename", None) or "upload")
        if not text.strip():
            raise ApiError(400, "Nothing to translate: paste Dutch text or choose a .txt file")
        if len(text) > service.settings.char_limit:
            raise ApiError(
                413, f"The text has {len(text)} characters; at most {service.settings.char_limit}"
            )
        glossary = choose_glossary(service.catalog, glossary_name, None)
        [result] = await translate_texts(service.batcher, [text], glossary)
    except ApiError as error:
        state = _page_state(service, text=text, glossary=glossary_name, error=error.message)
        return _html(state, error.status)
    state = _page_state(
        service,
        text=text,
        glossary=glossary_name,
        translation=result.text,
        segments=result.segments,
    )
    return _html(state)


def _uploaded_text(data: bytes, filename: str) -> str:
    from translate.errors import InputError
    from translate.fileio import decode_text

    try:
        return decode_text(filename, data, "utf-8")
    except InputError as error:
        raise ApiError(400, error.render()) from None


# ---------------------------------------------------------------------- errors


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return _error(error.status, error.message, error.headers)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return _error(error.status_code, str(error.detail), dict(error.headers or {}))


async def _too_large(request: Request, error: Exception) -> Response:
    return _error(413, "Request body too large")


async def _timeout(request: Request, error: Exception) -> Response:
    return _error(408, "Request body not received in time", {"Connection": "close"})


async def _server_error(request: Request, error: Exception) -> Response:
    log.error("internal error on %s", request.url.path, exc_info=error)
    return _error(500, f"Internal error ({type(error).__name__}); see the server log")


# ---------------------------------------------------------------------- the app


def create_app(
    settings: ServerSettings, engine: Engine, catalog: GlossaryCatalog, batcher: Batcher
) -> Starlette:
    """The ASGI application; the batcher starts and drains with the server's lifespan."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        temporary = settings.upload_dir is None
        upload_dir = Path(tempfile.mkdtemp(prefix="vertaal-serve-")) if temporary else None
        folder = upload_dir or settings.upload_dir
        assert folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        app.state.service = Service(settings, engine, catalog, batcher, folder)
        await batcher.start()
        try:
            yield
        finally:
            await batcher.stop()
            if upload_dir is not None:
                shutil.rmtree(upload_dir, ignore_errors=True)

    routes = [
        Route("/", page, methods=["GET", "POST"]),
        Route("/languages", languages, methods=["GET", "POST"]),
        Route("/translate", translate, methods=["POST"]),
        Route("/detect", detect, methods=["POST"]),
        Route("/translate_file", translate_file, methods=["POST"]),
        Route("/download_file/{filename}", download_file, methods=["GET"], name="download_file"),
        Route("/frontend/settings", frontend_settings, methods=["GET"]),
        Route("/favicon.ico", no_icon, methods=["GET"]),
        Route("/vertaal/stats", stats, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        ),
        Middleware(BodyGuard, settings=settings),
    ]
    handlers: dict[Any, Any] = {
        ApiError: _api_error,
        HTTPException: _http_error,
        BodyTooLarge: _too_large,
        BodyTimeout: _timeout,
        Exception: _server_error,
    }
    return Starlette(
        routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=lifespan
    )
