"""Placeholder tokens that stand in for glossary terms during translation.

The bundled model is trained to copy these tokens from source to target
unchanged (they are user-defined symbols of its SentencePiece model), so a
term can be masked before decoding and its English target restored after.
Training code and glossary enforcement both use this module, so the two
always agree on the token format.
"""

from __future__ import annotations

import re

MAX_PLACEHOLDERS = 20
"""Placeholders per sentence; a sentence with more matched terms masks the first ones only."""


def placeholder(index: int) -> str:
    """The placeholder token for term number ``index`` (1-based) in a sentence."""
    if not 1 <= index <= MAX_PLACEHOLDERS:
        raise ValueError(f"placeholder index {index} outside 1..{MAX_PLACEHOLDERS}")
    return f"｟{index}｠"


ALL_PLACEHOLDERS: tuple[str, ...] = tuple(f"｟{i}｠" for i in range(1, MAX_PLACEHOLDERS + 1))

PLACEHOLDER_PATTERN = re.compile(r"｟(\d{1,2})｠")
"""Matches a placeholder and captures its number."""
