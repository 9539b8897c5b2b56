"""Shared test helpers for documents."""

from __future__ import annotations

from collections.abc import Sequence


class UpperTranslator:
    """A deterministic translator for structure tests: upper-cases, records every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        self.requests.extend(texts)
        return [text.upper() for text in texts]
