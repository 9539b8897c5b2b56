"""Translating the segments of a document through the engine and the glossary.

A document's segments go to the model as plain texts, all in one call, so
the engine batches every sentence of the document together and the glossary
enforcer sees them as it sees ``vertaal translate`` input: the same
sentence splitting (:mod:`translate.segment`), the same enforcement, the
same results. Tags are then put back with :func:`translate.documents.inline.project`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from translate.documents.inline import (
    Mark,
    Node,
    Nodes,
    has_tags,
    normalize,
    phrases,
    plain_text,
    project,
)

if TYPE_CHECKING:
    from translate.engine import Enforcer, Engine


class TextTranslator(Protocol):
    """Translates plain texts (paragraphs, possibly several sentences and lines each)."""

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        """One translation per text, same order; layout (line breaks, spacing) kept."""
        ...


@dataclass
class EngineTranslator:
    """A :class:`TextTranslator` over an :class:`~translate.engine.Engine` and a glossary.

    ``segments`` collects the engine's per-sentence records (with the glossary
    terms applied) of everything translated, for the stderr glossary summary
    and statistics.
    """

    engine: Engine
    enforcer: Enforcer | None = None
    segments: list[Any] = field(default_factory=list)

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        """Translate ``texts`` with all their sentences in one engine call."""
        if not texts:
            return []
        # The engine keeps a document's layout; a separator no text contains
        # keeps the texts apart (translate.segment never lets a sentence cross it).
        separator = "\n\n"
        if any(separator in text for text in texts):
            return [self._translate_one(text) for text in texts]
        joined = self._translate_one(separator.join(texts))
        outputs = joined.split(separator)
        if len(outputs) != len(texts):  # an output grew a blank line: translate one by one
            return [self._translate_one(text) for text in texts]
        return outputs

    def _translate_one(self, text: str) -> str:
        translation = self.engine.translate_document(text, self.enforcer)
        self.segments.extend(translation.segments)
        return translation.text


def translate_segments(segments: Sequence[Nodes], translator: TextTranslator) -> list[Nodes]:
    """Translate document segments, keeping their inline tags (see :mod:`.inline`).

    A segment is cut at its line breaks (boundary marks); each piece's plain
    text is translated with its surrounding whitespace kept as in the
    source, and tagged phrases are also translated on their own so that
    their tags can be put around their translations. All texts of all
    segments go to ``translator`` in one call.
    """
    pieces: list[Nodes] = []
    layouts: list[list[Mark | int]] = []
    for segment in segments:
        layout: list[Mark | int] = []
        current: list[Node] = []
        for node in segment:
            if isinstance(node, Mark) and node.boundary:
                layout.append(len(pieces))
                pieces.append(tuple(current))
                layout.append(node)
                current = []
            else:
                current.append(node)
        layout.append(len(pieces))
        pieces.append(tuple(current))
        layouts.append(layout)
    translated = _translate_pieces(pieces, translator)
    return [
        normalize(
            node
            for item in layout
            for node in ((item,) if isinstance(item, Mark) else translated[item])
        )
        for layout in layouts
    ]


def _translate_pieces(segments: Sequence[Nodes], translator: TextTranslator) -> list[Nodes]:
    requests: list[str] = []
    index: dict[str, int] = {}

    def ask(text: str) -> None:
        if text.strip() and text not in index:
            index[text] = len(requests)
            requests.append(text)

    plains = [plain_text(segment) for segment in segments]
    for segment, plain in zip(segments, plains, strict=True):
        if plain.strip():
            ask(_as_sentence(plain.strip()))
        if has_tags(segment):
            for phrase in phrases(segment):
                ask(_as_sentence(phrase))
    outputs = translator.translate_texts(requests)
    if len(outputs) != len(requests):
        raise ValueError("the translator must return one translation per text")
    translated = dict(zip(requests, outputs, strict=True))
    renderings = {
        phrase: _rendering(phrase, translated[_as_sentence(phrase)])
        for segment in segments
        if has_tags(segment)
        for phrase in phrases(segment)
    }
    results: list[Nodes] = []
    for segment, plain in zip(segments, plains, strict=True):
        core = plain.strip()
        if not core:
            results.append(tuple(segment))
            continue
        lead = plain[: len(plain) - len(plain.lstrip())]
        trail = plain[len(plain.rstrip()) :]
        output = lead + _rendering(core, translated[_as_sentence(core)], shorten=False) + trail
        if has_tags(segment):
            results.append(project(segment, output, renderings))
        else:
            results.append((output,))
    return results


def _as_sentence(phrase: str) -> str:
    """A phrase as the model best translates it: ended like a sentence.

    Small models trained on sentences ramble on a bare word or a heading
    ("nieuw", "Een foto van de minister"), much less with a full stop; it is
    taken off the translation again.
    """
    return phrase if phrase[-1] in ".!?:;" else phrase + "."


def _rendering(phrase: str, output: str, shorten: bool = True) -> str:
    """The translation of a phrase, without the full stop :func:`_as_sentence` added."""
    output = output.strip()
    if phrase[-1] not in ".!?:;" and output.endswith("."):
        output = output[:-1]
    words = output.split()
    if not shorten:
        return output
    # a rambling rendering will not be found in the sentence; keep as many words as the phrase
    return (
        output
        if len(words) <= 2 * len(phrase.split()) + 1
        else " ".join(words[: len(phrase.split())])
    )
