"""Translating the segments of a document through the engine and the glossary.

A document's segments go to the model as plain texts, all in one call, so
the engine batches every sentence of the document together and the glossary
enforcer sees them as it sees ``vertaal translate`` input: the same
sentence splitting (:mod:`translate.segment`), the same enforcement, the
same results. Tags are then put back with :func:`translate.documents.inline.project`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from translate.documents.inline import (
    Mark,
    Node,
    Nodes,
    Tag,
    from_markup,
    has_tags,
    normalize,
    phrases,
    plain_text,
    project,
    to_markup,
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

    @property
    def protects_tags(self) -> bool:
        """Whether the enforcer keeps inline tags as protected spans (translate.protect)."""
        return bool(getattr(self.enforcer, "protect", False))

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
    through_model: frozenset[int] = frozenset()
    """Pieces (by layout index) sent with their tags, for the protection layer to keep."""

    def assemble(self, translated: Mapping[str, str]) -> Nodes:
        """The translated segment, given the translation of every text in :attr:`texts`."""
        renderings = {
            phrase: _rendering(phrase, translated[_as_sentence(phrase)])
            for index, piece in enumerate(self.layout)
            if not isinstance(piece, Mark) and has_tags(piece) and index not in self.through_model
            for phrase in phrases(piece)
        }
        nodes: list[Node] = []
        for index, piece in enumerate(self.layout):
            if isinstance(piece, Mark):
                nodes.append(piece)
            elif index in self.through_model:
                nodes.extend(_assemble_tagged(piece, translated))
            else:
                nodes.extend(_assemble_piece(piece, translated, renderings))
        return normalize(nodes)


def plan_segment(segment: Nodes, tags_to_model: bool = False) -> SegmentPlan:
    """The :class:`SegmentPlan` of one segment.

    With ``tags_to_model`` (the translator's protection layer keeps inline
    tags, see :mod:`translate.protect`), a piece with tags is sent as its
    markup, ``<g1>…</g1>`` and ``<x2/>`` included, and its tags are taken from
    the translation where they come back whole, once each and in order;
    otherwise they are projected (:func:`~translate.documents.inline.project`).
    """
    layout: list[Mark | Nodes] = []
    current: list[Node] = []
    for node in segment:
        if isinstance(node, Mark) and node.boundary:
            layout.extend([tuple(current), node])
            current = []
        else:
            current.append(node)
    layout.append(tuple(current))
    through_model = frozenset(
        index
        for index, piece in enumerate(layout)
        if tags_to_model
        and not isinstance(piece, Mark)
        and has_tags(piece)
        and _model_markup(piece) is not None
    )
    main: list[str] = []
    extra: list[str] = []
    for index, piece in enumerate(layout):
        if isinstance(piece, Mark):
            continue
        if index in through_model:
            main.append(_as_sentence(str(_model_markup(piece)).strip()))
            continue
        if plain_text(piece).strip():
            main.append(_as_sentence(plain_text(piece).strip()))
        if has_tags(piece):
            extra.extend(_as_sentence(phrase) for phrase in phrases(piece))
    main_texts = list(dict.fromkeys(main))
    texts = list(dict.fromkeys(main_texts + extra))
    return SegmentPlan(tuple(segment), tuple(layout), tuple(texts), len(main_texts), through_model)


_ANY_TAG = re.compile(r"</?[gxn]\d+/?>")


def _model_markup(piece: Nodes) -> str | None:
    """A piece as the protection layer reads it: text as it is, tags as ``<g1>``/``<x2/>``.

    None when the text itself holds ``<`` or ``>`` (it could not be told from a tag).
    """
    if any(("<" in node or ">" in node) for node in _texts(piece)):
        return None
    return html.unescape(to_markup(piece))


def _texts(nodes: Sequence[Node]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, Tag):
            found.extend(_texts(node.children))
    return found


def _assemble_tagged(piece: Nodes, translated: Mapping[str, str]) -> Nodes:
    """A piece translated with its tags: taken as it came back if its tags are whole."""
    plain = plain_text(piece)
    lead = plain[: len(plain) - len(plain.lstrip())]
    trail = plain[len(plain.rstrip()) :]
    markup = str(_model_markup(piece)).strip()
    output = _rendering(markup, translated[_as_sentence(markup)], shorten=False)
    try:
        nodes = from_markup(output.replace("&", "&amp;"))
    except ValueError:
        nodes = ()
    if nodes and _same_tags(piece, nodes):
        return normalize((lead, *nodes, trail))
    # tags lost, doubled, reordered or emptied: keep the words, project the tags
    words = re.sub(r" {2,}", " ", _ANY_TAG.sub("", output)).strip()
    return project(piece, lead + words + trail, {})


def _same_tags(source: Sequence[Node], output: Sequence[Node]) -> bool:
    """Same tags and marks, nesting and order; no tag around words came back empty."""
    if len([n for n in source if not isinstance(n, str)]) != len(
        [n for n in output if not isinstance(n, str)]
    ):
        return False
    pairs = zip(
        (n for n in source if not isinstance(n, str)),
        (n for n in output if not isinstance(n, str)),
        strict=True,
    )
    for before, after in pairs:
        if type(before) is not type(after) or before.id != after.id:
            return False
        if isinstance(before, Tag) and isinstance(after, Tag):
            if plain_text(before.children).strip() and not plain_text(after.children).strip():
                return False
            if not _same_tags(before.children, after.children):
                return False
    return True


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


def translate_segments(
    segments: Sequence[Nodes], translator: TextTranslator, tags_to_model: bool = False
) -> list[Nodes]:
    """Translate document segments, keeping their inline tags (see :mod:`.inline`).

    All texts of all segments (see :class:`SegmentPlan`) go to ``translator``
    in one call, each distinct text once. ``tags_to_model`` sends tags
    through the translator's protection layer where it has one
    (``translator.protects_tags``).
    """
    through = tags_to_model and bool(getattr(translator, "protects_tags", False))
    plans = [plan_segment(segment, through) for segment in segments]
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
    return phrase if _ends_sentence(phrase) else phrase + "."


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` (tags after its last word aside) ends with sentence punctuation."""
    core = _ANY_TAG.sub("", text).rstrip()
    return not core or core[-1] in ".!?:;"


def _rendering(phrase: str, output: str, shorten: bool = True) -> str:
    """The translation of a phrase, without the full stop :func:`_as_sentence` added."""
    output = output.strip()
    if not _ends_sentence(phrase) and output.endswith("."):
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
