"""Translating the segments of a document through the engine and the glossary.

A document's segments go to the model as plain texts, all in one call, so
the engine batches every sentence of the document together and the glossary
enforcer sees them as it sees ``vertaal translate`` input: the same
sentence splitting (:mod:`translate.segment`), the same enforcement, the
same results. Tags are then put back with :func:`translate.documents.inline.project`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    from translate.engine import Engine, SentenceEnforcer


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
    enforcer: SentenceEnforcer | None = None
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
        translation = self.engine.translate_document(text, self.enforcer, check=True)
        self.segments.extend(translation.segments)
        return translation.text


@dataclass(frozen=True)
class SegmentPlan:
    """What to translate for one segment, and how to put its translation together.

    A segment is cut at its line breaks (boundary marks) into pieces; each
    piece's plain text is translated (as a sentence), and so is each tagged
    phrase on its own, so that its tag can be put around its translation.
    ``texts`` holds the pieces' texts first (``main`` of them), then the
    phrases; a batch job sends them through its cache and model like any
    other text.
    """

    segment: Nodes
    layout: tuple[Mark | Nodes, ...]
    texts: tuple[str, ...]
    main: int

    def assemble(self, translated: Mapping[str, str]) -> Nodes:
        """The translated segment, given the translation of every text in :attr:`texts`."""
        renderings = {
            phrase: _rendering(phrase, translated[_as_sentence(phrase)])
            for piece in self.layout
            if not isinstance(piece, Mark) and has_tags(piece)
            for phrase in phrases(piece)
        }
        nodes: list[Node] = []
        for piece in self.layout:
            if isinstance(piece, Mark):
                nodes.append(piece)
            else:
                nodes.extend(_assemble_piece(piece, translated, renderings))
        return normalize(nodes)


def plan_segment(segment: Nodes) -> SegmentPlan:
    """The :class:`SegmentPlan` of one segment."""
    layout: list[Mark | Nodes] = []
    current: list[Node] = []
    for node in segment:
        if isinstance(node, Mark) and node.boundary:
            layout.extend([tuple(current), node])
            current = []
        else:
            current.append(node)
    layout.append(tuple(current))
    pieces = [piece for piece in layout if not isinstance(piece, Mark)]
    main = [_as_sentence(plain_text(p).strip()) for p in pieces if plain_text(p).strip()]
    extra = [_as_sentence(phrase) for p in pieces if has_tags(p) for phrase in phrases(p)]
    main_texts = list(dict.fromkeys(main))
    texts = list(dict.fromkeys(main_texts + extra))
    return SegmentPlan(tuple(segment), tuple(layout), tuple(texts), len(main_texts))


def _assemble_piece(
    piece: Nodes, translated: Mapping[str, str], renderings: Mapping[str, str]
) -> Nodes:
    plain = plain_text(piece)
    core = plain.strip()
    if not core:
        return piece
    lead = plain[: len(plain) - len(plain.lstrip())]
    trail = plain[len(plain.rstrip()) :]
    output = lead + _rendering(core, translated[_as_sentence(core)], shorten=False) + trail
    return project(piece, output, renderings) if has_tags(piece) else (output,)


def translate_segments(segments: Sequence[Nodes], translator: TextTranslator) -> list[Nodes]:
    """Translate document segments, keeping their inline tags (see :mod:`.inline`).

    All texts of all segments (see :class:`SegmentPlan`) go to ``translator``
    in one call, each distinct text once.
    """
    plans = [plan_segment(segment) for segment in segments]
    requests = list(dict.fromkeys(text for plan in plans for text in plan.texts))
    outputs = translator.translate_texts(requests)
    if len(outputs) != len(requests):
        raise ValueError("the translator must return one translation per text")
    translated = dict(zip(requests, outputs, strict=True))
    return [plan.assemble(translated) for plan in plans]


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
