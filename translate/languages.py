"""The one language pair vertaal translates, named once for packages, glossaries and the server."""

from __future__ import annotations

SOURCE_LANGUAGE = "nl"
TARGET_LANGUAGE = "en"
LANGUAGE_NAMES = {SOURCE_LANGUAGE: "Dutch", TARGET_LANGUAGE: "English"}
