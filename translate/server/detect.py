"""Language detection for ``/detect`` and ``source=auto`` (langdetect, Google's n-gram profiles)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Detection:
    """One candidate language with LibreTranslate's confidence (0-100)."""

    language: str
    confidence: float

    def to_dict(self) -> dict[str, object]:
        """LibreTranslate's ``{"confidence": ..., "language": ...}``."""
        return {"confidence": self.confidence, "language": self.language}


def detect_languages(text: str, limit: int = 3) -> list[Detection]:
    """The likeliest languages of ``text``, best first (empty when it has no letters)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random otherwise: same text, same answer
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return []
    return [
        Detection(candidate.lang, round(candidate.prob * 100, 1))
        for candidate in candidates[:limit]
    ]


def looks_dutch(text: str, detections: list[Detection]) -> bool:
    """Whether ``text`` may be Dutch: short texts cannot be told apart reliably.

    Afrikaans and Frisian are often detected for Dutch text, so Dutch anywhere
    among the candidates is enough.
    """
    if len(text.strip()) < 40 or not detections:
        return True
    return any(d.language in ("nl", "af", "fy", "li") for d in detections)
