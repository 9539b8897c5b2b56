"""Placeholder tokens: a contract between the model and the code around it.

Models trained by :mod:`translate.training` learn to copy these tokens from
source to target unchanged (they are user-defined symbols of the
SentencePiece model, and the corpus augmentation masks aligned spans with
them), so any span (a glossary term, a number, a URL, a tag) can be masked
before decoding and restored after. The token format is part of the model,
which is why it lives here, next to the model code: training
(:mod:`translate.training.corpus`, :mod:`translate.training.spm`), the
protection layer (:mod:`translate.protect`) and glossary enforcement
(:mod:`glossary.enforce`) all import it from this one module.
"""

from __future__ import annotations

import re

MAX_PLACEHOLDERS = 20
"""Placeholders per sentence; a sentence with more spans masks the first ones only."""


def placeholder(index: int) -> str:
    """The placeholder token for span number ``index`` (1-based) in a sentence."""
    if not 1 <= index <= MAX_PLACEHOLDERS:
        raise ValueError(f"placeholder index {index} outside 1..{MAX_PLACEHOLDERS}")
    return f"｟{index}｠"


ALL_PLACEHOLDERS: tuple[str, ...] = tuple(f"｟{i}｠" for i in range(1, MAX_PLACEHOLDERS + 1))

PLACEHOLDER_PATTERN = re.compile(r"｟(\d{1,2})｠")
"""Matches a placeholder and captures its number."""
