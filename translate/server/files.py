"""``/translate_file``: a document or a batch-format file in, its translated copy out.

Uploads and translations live in the server's upload folder under a random
token; ``/download_file/<token>.<name>`` hands the translation back.
Documents (HTML and the other formats of :mod:`translate.documents`) go
through the document layer, tags and layout kept; the line and record
formats of ``vertaal batch`` (:mod:`translate.batch.formats`) come back
exactly as ``vertaal batch`` would write them.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from translate.errors import InputError
from translate.server.service import ApiError

DOWNLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9._-]{1,120}$")
KEEP_SECONDS = 3600
"""Translations older than this are removed when the next file arrives."""
FILE_CHUNK = 64
"""Units per translation job, so a large file does not fill the queue alone."""

TranslateUnits = Callable[[list[str]], Awaitable[list[str]]]
TranslateDocument = Callable[[bytes, str], Awaitable[bytes]]


def supported_extensions() -> list[str]:
    """File extensions ``/translate_file`` accepts (documents and ``vertaal batch`` formats)."""
    from translate.batch.formats import FORMATS
    from translate.documents import document_extensions

    batch = {ext for cls in FORMATS.values() for ext in cls.extensions}
    return sorted(batch | set(document_extensions()))


def english_name(name: str) -> str:
    """``artikel.nl.html`` → ``artikel.en.html``; other names unchanged."""
    stem, dot, rest = name.partition(".")
    if not dot:
        return name
    return ".".join([stem, *("en" if part == "nl" else part for part in rest.split("."))])


def safe_name(filename: str) -> str:
    """A file name with only letters, digits, dots, dashes and underscores."""
    name = Path(filename.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip("._")[-100:]
    return cleaned or "upload"


@dataclass(frozen=True)
class TranslatedFile:
    """Where a translated upload was written and the name to download it as."""

    path: Path
    url_name: str


def _prune(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # removed by another request meanwhile


async def translate_upload(
    folder: Path,
    filename: str,
    data: bytes,
    translate_units: TranslateUnits,
    translate_document: TranslateDocument,
) -> TranslatedFile:
    """Translate an uploaded file; 400 for an unknown format or unreadable content."""
    from translate.batch.formats import format_for
    from translate.documents import document_format_for

    name = safe_name(filename)
    await asyncio.to_thread(_prune, folder)
    if document_format_for(name) is not None:
        try:
            translated = await translate_document(data, filename)
        except InputError as error:
            raise ApiError(400, f"Invalid request: {error.render()}") from None
        target = folder / f"{secrets.token_hex(16)}.{english_name(name)}"
        await asyncio.to_thread(target.write_bytes, translated)
        return TranslatedFile(target, target.name)
    fmt_class = format_for(Path(name))
    if fmt_class is None:
        raise ApiError(
            400,
            f"Invalid request: file format not supported ({Path(name).suffix or 'no extension'}); "
            f"use one of {', '.join(supported_extensions())}",
        )
    fmt = fmt_class()
    token = secrets.token_hex(16)
    source = folder / f"{token}.src.{name}"
    output_name = fmt.output_name(name)
    target = folder / f"{token}.{output_name}"
    await asyncio.to_thread(source.write_bytes, data)
    try:
        try:
            units = await asyncio.to_thread(lambda: [unit.text for unit in fmt.read(source)])
        except InputError as error:
            message = error.render().replace(str(source), filename)
            raise ApiError(400, f"Invalid request: {message}") from None
        translations: list[str] = []
        for start in range(0, len(units), FILE_CHUNK):
            translations.extend(await translate_units(units[start : start + FILE_CHUNK]))
        await asyncio.to_thread(fmt.write, source, target, iter(translations))
    finally:
        source.unlink(missing_ok=True)
    return TranslatedFile(target, target.name)


def download_path(folder: Path, url_name: str) -> tuple[Path, str]:
    """The stored translation for ``url_name`` and its download name; 404 if none."""
    if not DOWNLOAD_NAME.match(url_name) or ".src." in url_name:
        raise ApiError(400, "Invalid filename")
    path = folder / url_name
    if not path.is_file():
        raise ApiError(404, "No such file: it may have expired; translate it again")
    return path, url_name.split(".", 1)[1]
