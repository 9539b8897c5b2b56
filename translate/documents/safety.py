"""Opening untrusted documents: zip containers and XML, with limits checked first.

DOCX, ODT and EPUB are zip archives of XML files. Before any library
extracts one, :func:`open_zip` checks the central directory: no encrypted
member, no more than :data:`MAX_MEMBERS` members, at most
:data:`MAX_UNPACKED_BYTES` unpacked in all, and no member that expands more
than :data:`MAX_RATIO` times (a zip bomb). XML is parsed by lxml with entity
resolution, DTD loading and network access off, and a document that
declares entities (the "billion laughs" attack) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from translate.errors import InputError, located

MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 512 * 2**20
MAX_RATIO = 200
"""Compression ratio above which a member larger than 1 MiB is taken for a zip bomb."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """The zip archive in ``data`` after the safety checks; InputError naming ``name``."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            located(
                name,
                None,
                f"not a {kind} archive: password-protected (encrypted) or an old binary format",
                "remove the password or save it again in the current format",
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise InputError(
            located(
                name,
                None,
                f"corrupt {kind} (not a valid zip archive: {error})",
                "open and save it again in its program",
            )
        ) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(
            located(name, None, f"{kind} has {len(members)} parts (limit {MAX_MEMBERS})")
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise InputError(
                located(
                    name,
                    None,
                    f"{kind} is password-protected ({member.filename} is encrypted)",
                    "remove the password",
                )
            )
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 2**20 and ratio > MAX_RATIO:
            raise InputError(
                located(
                    name,
                    None,
                    f"{member.filename} expands {ratio:.0f} times (zip bomb?)",
                    "refusing to unpack it",
                )
            )
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            located(
                name,
                None,
                f"{kind} unpacks to {total} bytes (limit {MAX_UNPACKED_BYTES})",
                "split the document",
            )
        )
    return archive


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """The bytes of one archive member, with the archive's errors as InputError."""
    try:
        return archive.read(member)
    except KeyError:
        raise InputError(located(name, None, f"corrupt document: {member} is missing")) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise InputError(located(name, None, f"corrupt document: {member}: {error}")) from None


def safe_xml_parser(**options: Any) -> Any:
    """An lxml parser that resolves no entities and loads nothing from anywhere."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **options
    )


def parse_xml(data: bytes, name: str, what: str = "XML") -> Any:
    """Parse untrusted XML into an lxml element tree; InputError with the line on failure."""
    from lxml import etree

    refuse_entities(data, name)
    try:
        return etree.fromstring(data, safe_xml_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise InputError(
            located(name, line, f"malformed {what} ({error.msg})", "fix the markup")
        ) from None


def refuse_entities(data: bytes, name: str) -> None:
    """Refuse XML that declares entities (entity expansion attacks)."""
    match = _ENTITY_DECLARATION.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        raise InputError(
            located(
                name,
                line,
                "XML declares entities (<!ENTITY>), refused as unsafe",
                "remove the DOCTYPE's entity declarations",
            )
        )
