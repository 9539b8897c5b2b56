"""Making translations use the glossary's English terms and keep protected spans.

No translation model knows a glossary, nor that "14.35 uur" must become
"14:35", so both are enforced around it by one mechanism. Glossary terms
(:mod:`glossary.match`) and protected spans (:mod:`translate.protect`:
numbers, dates, times, URLs, codes, format placeholders, tags, emoji) are the
*items* of a sentence, each with the exact English text it must become:

1. **Mask** (models trained on placeholders, ``supports_placeholders``): each
   item is replaced by a placeholder ``｟1｠``, ``｟2｠``... The model copies
   placeholders into its output, where they are replaced by the English
   texts (for terms: plural, genitive and capitalisation fixed up, no "the
   The Hague", "an" before a vowel; spans go in verbatim, tags keep their
   spacing, pairing and order). An output that lost or doubled a placeholder
   is first replaced by an n-best hypothesis that kept them all; a sentence
   that still misses an item keeps its masked translation and the item goes
   to the later steps.
2. **Check and substitute** (every model, and the fallback): an item whose
   English text is already in the output is verified as it is. Otherwise the
   Dutch text is looked for in the output (models copy names and numbers),
   then, for a term, the model's rendering of the term alone, and for a span
   with digits, the number in the output most like it; it is replaced.
3. **Constrained decoding**: when nothing can be found and the translator
   offers ``translate_with_prefixes``, the sentence is decoded again with the
   output up to the item's aligned position plus its English forced as the
   start, and the model completes the rest.
4. **Insert**: as a last resort the English text is inserted at the aligned
   position, so nothing is silently dropped.

Every item is reported with how it was enforced and whether it is verified in
the final output: a term when its whole target is there (a compound such as
``NAVO-top`` needs the English of its other part after the term, "NATO
summit", which the model is asked for when the glossary cannot know it), a
span when its English text occurs exactly as often as the span does.

The strategy is chosen by :attr:`Enforcer.strategy`: ``auto`` (mask when the
model supports placeholders, else substitute), ``mask``, ``substitute``, or
``hybrid`` (translate unmasked first and mask only sentences that miss a term).

Measured with ``python benchmarks/bench_glossary.py --flores 997`` on the
bundled model (beam 4), NOS article against both references: no glossary
chrF 38.6 / BLEU 11.6 with 17 of 57 terms right; ``auto`` (mask) chrF 47.5 /
BLEU 24.2 with 57/57; ``hybrid`` 47.7 / 24.2 at the cost of a second pass;
``substitute`` 46.1 / 18.8 and slow (the small model rambles when given one
word). On FLORES-200 dev (22 terms in 997 sentences) chrF is unchanged (34.8)
while term adherence goes from 15/22 to 22/22. Hence ``auto`` by default.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from glossary.match import (
    CLOSED_COMPOUND_HEAD,
    COMPOUND_HEAD,
    COMPOUND_TAIL,
    Matcher,
    TermMatch,
)
from glossary.names import NameFinder
from glossary.store import NO_ARTICLE, Glossary, load_glossaries
from translate.placeholders import MAX_PLACEHOLDERS, PLACEHOLDER_PATTERN, placeholder
from translate.protect import NAME, TAG, ProtectedSpan, find_spans

STRATEGIES = ("auto", "mask", "substitute", "hybrid")

# how a term or span ended up in the output
PLACEHOLDER = "placeholder"
PRESENT = "present"
SUBSTITUTED = "substituted"
PREFIX = "prefix"
INSERTED = "inserted"

Item = TermMatch | ProtectedSpan
"""What is masked and enforced in a sentence: a glossary term or a protected span."""


@runtime_checkable
class SentenceTranslator(Protocol):
    """What the enforcer needs from a translation engine (:class:`translate.engine.Engine`)."""

    @property
    def supports_placeholders(self) -> bool:
        """True when the model copies ``｟n｠`` placeholders to its output."""
        ...

    def translate_sentences(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence on its own, no glossary."""
        ...


@dataclass(frozen=True)
class AppliedTerm:
    """One glossary term found in a source sentence and what became of it."""

    source: str
    """The Dutch text as found (``vragende partijen``)."""
    term: str
    """The glossary's Dutch term (``vragende partij``)."""
    target: str
    """The English text enforced (``asking parties``)."""
    reason: str
    """Why it matched (see :mod:`glossary.match`)."""
    method: str
    """How it was enforced: placeholder, present, substituted, prefix or inserted."""
    verified: bool
    """Whether the whole target occurs in the final output (with the compound's other part)."""
    context: str | None = None
    compound: str | None = None
    """For a term heading a compound (``NAVO-top``): the English of the whole (``NATO summit``)."""

    @classmethod
    def of(
        cls, match: TermMatch, method: str, verified: bool, compound: str | None = None
    ) -> AppliedTerm:
        """What became of ``match``: enforced by ``method``, ``verified`` in the output or not."""
        return cls(
            source=match.text,
            term=match.entry.source,
            target=match.target,
            reason=match.reason,
            method=method,
            verified=verified,
            context=match.entry.context,
            compound=compound,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--json`` output."""
        return {
            "source": self.source,
            "term": self.term,
            "target": self.target,
            "context": self.context,
            "reason": self.reason,
            "method": self.method,
            "verified": self.verified,
            **({"compound": self.compound} if self.compound else {}),
        }


@dataclass(frozen=True)
class KeptSpan:
    """One protected span of a source sentence and what became of it."""

    text: str
    """The Dutch text (``14.35 uur``)."""
    target: str
    """The English text it must become (``14:35``)."""
    kind: str
    """The span kind (:data:`translate.protect.KINDS`)."""
    method: str
    """How it was kept: placeholder, present, substituted, prefix or inserted."""
    verified: bool
    """Whether ``target`` occurs in the output exactly as often as the span in the source."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--json`` output."""
        return {
            "text": self.text,
            "target": self.target,
            "kind": self.kind,
            "method": self.method,
            "verified": self.verified,
        }


class HasAppliedTerms(Protocol):
    """A sentence record that carries the terms enforced in it."""

    @property
    def terms(self) -> Sequence[AppliedTerm]: ...


@dataclass(frozen=True)
class EnforcedSentence:
    """A translated sentence, the terms enforced and the spans kept in it."""

    source: str
    output: str
    terms: tuple[AppliedTerm, ...] = ()
    spans: tuple[KeptSpan, ...] = ()

    @property
    def verified(self) -> bool:
        """True when every term's target and every span is in the output."""
        return all(t.verified for t in self.terms) and all(s.verified for s in self.spans)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "source": self.source,
            "output": self.output,
            "terms": [t.to_dict() for t in self.terms],
            "spans": [s.to_dict() for s in self.spans],
        }


@dataclass
class _Work:
    """Mutable state of one sentence while it is being enforced."""

    source: str
    matches: list[Item]
    output: str = ""
    methods: dict[int, str] = field(default_factory=dict)  # match index -> method
    masked: bool = False  # output translated from the masked sentence
    compounds: dict[int, str] = field(default_factory=dict)  # match index -> whole English


class Enforcer:
    """Enforces a glossary, and keeps protected spans, on translations of Dutch sentences.

    ``glossary`` may be ``None`` (spans only); ``protect`` false leaves spans to the model.
    """

    def __init__(
        self,
        glossary: Glossary | None,
        include_fuzzy: bool = False,
        strategy: str = "auto",
        split_compounds: bool = True,
        translate_terms: bool = True,
        nbest: int = 8,
        protect: bool = True,
        names: bool = True,
    ) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
        self.glossary = glossary
        self.include_fuzzy = include_fuzzy
        self.strategy = strategy
        self.split_compounds = split_compounds
        # Translating a term on its own finds its rendering in an unmasked output;
        # small models can ramble on one-word input, so it can be turned off.
        self.translate_terms = translate_terms
        # hypotheses searched for one that keeps every placeholder (translate_nbest)
        self.nbest = nbest
        self.protect = protect
        # proper names copied through placeholders (glossary.names), with protect only
        self.names = protect and names
        self._name_finder: NameFinder | None = None
        self.entries = glossary.active(include_fuzzy) if glossary is not None else []
        self.matcher = Matcher(self.entries)

    @property
    def version(self) -> str:
        """Identifies glossary content and settings (for translation caches)."""
        fuzzy = "+fuzzy" if self.include_fuzzy else ""
        split = "" if self.split_compounds else "+nosplit"
        protect = "+protect" if self.protect else ""
        protect += "+names" if self.names else ""
        content = self.glossary.version if self.glossary is not None else "no-glossary"
        return f"{content}{fuzzy}:{self.strategy}{split}{protect}"

    def find(self, sentence: str) -> list[TermMatch]:
        """The glossary terms in one sentence."""
        return self.matcher.find(sentence) if self.entries else []

    def items(self, sentence: str, names: bool = True) -> list[Item]:
        """The glossary terms and protected spans of one sentence, in text order.

        A span inside a term belongs to the term (``Artikel 5`` as an entry);
        a term overlapping a span otherwise gives way to it. Names (when the
        enforcer keeps them and ``names``) come after terms and other spans.
        """
        terms = self.find(sentence)
        spans = find_spans(sentence) if self.protect else []
        if names and self.names:
            taken = [(span.start, span.end) for span in spans]
            taken += [(term.start, term.end) for term in terms]
            found = self.name_finder().find(sentence, taken)
            spans = sorted([*spans, *found], key=lambda span: span.start)
        if not spans:
            return list(terms)
        kept_terms = [
            t
            for t in terms
            if all(t.start <= s.start and s.end <= t.end for s in spans if _overlap(s, t))
        ]
        kept_spans = [s for s in spans if not any(_overlap(s, t) for t in kept_terms)]
        return sorted([*kept_terms, *kept_spans], key=lambda item: item.start)

    def name_finder(self) -> NameFinder:
        """The finder of names to copy (built on first use: it reads word lists)."""
        if self._name_finder is None:
            self._name_finder = NameFinder.shipped()
        return self._name_finder

    def enforce(
        self, sentences: Sequence[str], translator: SentenceTranslator
    ) -> list[EnforcedSentence]:
        """Translate ``sentences`` with ``translator`` so that every item is in the output.

        Names are kept only where the model carries their placeholders: a
        sentence that lost one is translated again without name protection,
        since a name forced into a sentence the model built without it lands
        in the wrong place more often than the model misspells it.
        """
        works = self._enforce(sentences, translator, names=True)
        lost = [i for i, work in enumerate(works) if _lost_a_name(work)]
        if lost:
            again = self._enforce([sentences[i] for i in lost], translator, names=False)
            for i, work in zip(lost, again, strict=True):
                works[i] = work
        return [self._result(w) for w in works]

    def _enforce(
        self, sentences: Sequence[str], translator: SentenceTranslator, names: bool
    ) -> list[_Work]:
        strategy = self.strategy
        placeholders_ok = bool(getattr(translator, "supports_placeholders", False))
        if strategy == "auto":
            strategy = "mask" if placeholders_ok else "substitute"
        if strategy in ("mask", "hybrid") and not placeholders_ok:
            strategy = "substitute"
        # names are only ever copied through placeholders
        names = names and strategy != "substitute"
        works = [_Work(s, self.items(s, names)) for s in sentences]

        plain_needed = [w for w in works if not w.matches]
        if strategy == "mask":
            masked = [w for w in works if w.matches]
            self._mask_and_restore(masked, translator, plain=plain_needed)
            _translate_into([w for w in masked if not w.output], translator)
        elif strategy == "hybrid":
            _translate_into(works, translator)
            missing = [w for w in works if w.matches and not _all_present(w)]
            for w in missing:
                w.output, w.methods = "", {}
            self._mask_and_restore(missing, translator)
            _translate_into([w for w in missing if not w.output], translator)
        else:
            _translate_into(works, translator)

        # a sentence that lost a name's placeholder is not repaired further:
        # enforce() translates it again without names
        with_items = [w for w in works if w.matches and not _lost_a_name(w)]
        self._unmasked_if_better(
            [w for w in with_items if w.masked and not _all_present(w)], translator
        )
        self._check_and_substitute(with_items, translator)
        self._complete_compounds(with_items, translator)
        return works

    # -- step 1: placeholders -------------------------------------------------

    def _mask_and_restore(
        self,
        works: list[_Work],
        translator: SentenceTranslator,
        plain: Sequence[_Work] = (),
    ) -> None:
        """Translate ``works`` masked and restore their items; ``plain`` works (no items)
        are translated as they are in the same model call, so that the model
        gets one batch instead of two smaller ones (which cost more per sentence)."""
        if not works and not plain:
            return
        masked = [mask(w.source, w.matches, self.split_compounds) for w in works]
        outputs = translator.translate_sentences(masked + [w.source for w in plain])
        _set_outputs(plain, outputs[len(masked) :])
        outputs = outputs[: len(masked)]
        if not works:
            return
        outputs = self._repair_with_nbest(works, masked, outputs, translator)
        for work, output in zip(works, outputs, strict=True):
            count = min(len(work.matches), MAX_PLACEHOLDERS)
            # Keep the masked translation even when a placeholder was lost: it is
            # usually better than the unmasked one, and the lost item goes to the
            # later steps (constrained decoding, insertion).
            output = cut_placeholder_loop(output, work.source)
            restored, placed = restore_partial(output, work.matches[:count])
            work.output = restored
            work.masked = True
            satisfied = _satisfied(restored, work.matches)
            needed: Counter[tuple[bool, str]] = Counter()
            for i in sorted(placed):
                key = _key(work.matches[i])
                needed[key] += 1
                if needed[key] <= satisfied[key]:
                    work.methods[i] = PLACEHOLDER

    def _repair_with_nbest(
        self,
        works: list[_Work],
        masked: list[str],
        outputs: list[str],
        translator: SentenceTranslator,
    ) -> list[str]:
        """Replace outputs that lost or doubled a placeholder by an n-best one that did not."""
        nbest = getattr(translator, "translate_nbest", None)
        broken = [
            i
            for i, (work, output) in enumerate(zip(works, outputs, strict=True))
            if restore(output, work.matches[:MAX_PLACEHOLDERS]) is None
        ]
        if not broken or not callable(nbest) or self.nbest < 2:
            return outputs
        outputs = list(outputs)
        hypotheses = nbest([masked[i] for i in broken], self.nbest)
        for i, candidates in zip(broken, hypotheses, strict=True):
            for candidate in candidates:
                if restore(candidate, works[i].matches[:MAX_PLACEHOLDERS]) is not None:
                    outputs[i] = candidate
                    break
        return outputs

    @staticmethod
    def _unmasked_if_better(works: list[_Work], translator: SentenceTranslator) -> None:
        """Translate sentences whose masked translation lost items again without masks,
        and keep that translation when it has more of the items (a model that lost
        ``｟1｠`` may well copy "1987" itself)."""
        if not works:
            return
        outputs = translator.translate_sentences([w.source for w in works])
        for work, output in zip(works, outputs, strict=True):
            before = sum(_satisfied(work.output, work.matches).values())
            after = sum(_satisfied(output, work.matches).values())
            if after > before and not _overcounted(output, work.matches):
                work.output, work.methods, work.masked = output, {}, False

    # -- steps 2-4: check, substitute, constrain, insert ------------------------

    def _check_and_substitute(self, works: list[_Work], translator: SentenceTranslator) -> None:
        pending: list[tuple[_Work, int]] = []
        for work in works:
            needed: Counter[tuple[bool, str]] = Counter()
            for i, match in enumerate(work.matches):
                if i in work.methods:
                    continue
                needed[_key(match)] += 1
                if _count(work.output, _key(match)) >= needed[_key(match)]:
                    work.methods[i] = PRESENT
                else:
                    pending.append((work, i))
        if not pending:
            return
        # First the Dutch text itself: models often copy names and numbers they
        # do not know (Moskou, Charkiv, 3,7). Only then the model's rendering of
        # a term alone, which costs a translation call per distinct term.
        needing_rendering: list[tuple[_Work, int]] = []
        for work, i in pending:
            match = work.matches[i]
            if isinstance(match, ProtectedSpan):
                replaced = substitute_span(work.output, match)
            else:
                replaced = substitute(
                    work.output, match.text, match.target, False, _takes_no_article(match)
                )
            if replaced is not None and _improves(work, replaced, match):
                work.output = replaced
                work.methods[i] = SUBSTITUTED
            else:
                needing_rendering.append((work, i))
        still: list[tuple[_Work, int]] = []
        # a term lost from a masked translation has no rendering there to find
        unmasked = [
            (w, i)
            for w, i in needing_rendering
            if not w.masked and isinstance(w.matches[i], TermMatch)
        ]
        if unmasked and self.translate_terms:
            texts = sorted({w.matches[i].text for w, i in unmasked})
            renderings = dict(zip(texts, translator.translate_sentences(texts), strict=True))
        else:
            renderings = {}
        for work, i in needing_rendering:
            match = work.matches[i]
            replaced = None
            if isinstance(match, TermMatch):
                for candidate in (renderings.get(match.text), match.text):
                    if candidate and replaced is None:
                        replaced = substitute(
                            work.output, candidate, match.target, True, _takes_no_article(match)
                        )
                        if replaced is not None and not _improves(work, replaced, match):
                            replaced = None
            if replaced is not None:
                work.output = replaced
                work.methods[i] = SUBSTITUTED
            else:
                still.append((work, i))
        if still and callable(getattr(translator, "translate_with_prefixes", None)):
            self._constrain(still, translator)
            still = [(w, i) for w, i in still if i not in w.methods]
        for work, i in still:
            work.output = insert_at_aligned(work.output, work.source, work.matches[i], work.matches)
            work.methods[i] = INSERTED

    @staticmethod
    def _constrain(items: list[tuple[_Work, int]], translator: Any) -> None:
        """Decode again with the output up to the item's position plus its English forced."""
        # one item per sentence is constrained; any other missing one is inserted
        firsts: dict[int, tuple[_Work, int]] = {}
        for work, i in items:
            firsts.setdefault(id(work), (work, i))
        chosen = list(firsts.values())
        prefixes: list[Any] = []
        for work, i in chosen:
            match = work.matches[i]
            words = work.output.split()
            k = _aligned_word_index(work.source, match, len(words))
            head = " ".join(words[:k]) + (" " if k else "")
            before, target = _place(head, match, "")
            prefixes.append(_encoded(translator, before + target))
        try:
            outputs = translator.translate_with_prefixes([w.source for w, _ in chosen], prefixes)
        except NotImplementedError:
            return  # a translator that cannot constrain: insertion follows
        for (work, i), output in zip(chosen, outputs, strict=True):
            if _improves(work, output, work.matches[i]):
                work.output = output
                work.methods[i] = PREFIX

    # -- compounds: the other part of NAVO-top ----------------------------------

    def _complete_compounds(self, works: list[_Work], translator: Any) -> None:
        """Make sure a term heading a compound is followed by the English of the other part.

        The glossary knows ``NAVO`` → ``NATO`` but not ``top``; a small model given
        ``De ｟1｠ top begint`` writes "The NATO will begin". The model is asked for
        the other part in a short frame (``De top.`` → "The summit.", its best few
        readings); when none of them follows the term in the output, the sentence
        is decoded again with "... NATO summit" forced as its start, or, if that
        would lose anything, the other part is inserted after the term.
        """
        heads = [
            (work, i, tail)
            for work in works
            for i in range(len(work.matches))
            if (tail := _compound_tail(work, i))
        ]
        if not heads:
            return
        tails = sorted({tail for _, _, tail in heads})
        frames = [f"De {t}." for t in tails]
        nbest = getattr(translator, "translate_nbest", None)
        readings = (
            nbest(frames, 4)
            if callable(nbest)
            else [[o] for o in translator.translate_sentences(frames)]
        )
        renderings = {
            tail: [r for r in dict.fromkeys(map(_tail_rendering, options)) if r]
            for tail, options in zip(tails, readings, strict=True)
        }
        constrain = callable(getattr(translator, "translate_with_prefixes", None))
        missing = []
        for work, i, tail in heads:
            target = work.matches[i].target
            present = [r for r in renderings[tail] if count_target(work.output, f"{target} {r}")]
            if present:
                work.compounds[i] = f"{target} {present[0]}"
            else:
                missing.append((work, i, tail))
        own_words = self._own_words(missing, renderings, translator)
        for work, i, tail in missing:
            match = work.matches[i]
            found = _find_target(work.output, match.target)
            if not renderings[tail] or found is None:
                continue  # nothing trustworthy to add: verification decides
            if (id(work), i) in own_words:
                continue  # the model's own word for the part ("Kremlin spokesperson")
            whole = f"{match.target} {renderings[tail][0]}"
            head = work.output[: found.start()]
            done = False
            if constrain and not work.masked:
                output = translator.translate_with_prefixes(
                    [work.source], [_encoded(translator, head + whole)]
                )[0]
                if _loses_nothing(work, output):
                    work.output, done = output, True
            if not done:
                work.output = head + whole + work.output[found.end() :]
            work.compounds[i] = whole

    @staticmethod
    def _own_words(
        heads: Sequence[tuple[_Work, int, str]],
        renderings: Mapping[str, Sequence[str]],
        translator: Any,
    ) -> set[tuple[int, int]]:
        """Of heads whose part is missing, those followed by the model's own word for it.

        A word after the term ("NATO begins") is the model's own rendering of the
        other part only if it goes away when the other part does: the sentence
        without it (``De NAVO begint morgen.``) is translated too, and a head whose
        next word is the same there is not followed by its part.
        """
        suspects = [
            (work, i, tail)
            for work, i, tail in heads
            if renderings[tail] and _followed_by_content_word(work.output, work.matches[i].target)
        ]
        if not suspects:
            return set()
        shortened = [
            work.source[: work.matches[i].end] + work.source[work.matches[i].end + 1 + len(tail) :]
            for work, i, tail in suspects
        ]
        own: set[tuple[int, int]] = set()
        for (work, i, _), plain in zip(
            suspects, translator.translate_sentences(shortened), strict=True
        ):
            target = work.matches[i].target
            if _word_after(work.output, target) != _word_after(plain, target):
                own.add((id(work), i))
        return own

    def _result(self, work: _Work) -> EnforcedSentence:
        work.output = _tags_in_source_order(work.output, work.matches)
        work.output = _drop_extra_copies(work.output, work.matches)
        terms = []
        spans = []
        needed: Counter[str] = Counter()
        totals = Counter(m.target for m in work.matches if isinstance(m, ProtectedSpan))
        for i, match in enumerate(work.matches):
            method = work.methods.get(i, PRESENT)
            if isinstance(match, ProtectedSpan):
                verified = count_span(work.output, match.target) == totals[match.target]
                spans.append(KeptSpan(match.text, match.target, match.kind, method, verified))
                continue
            needed[match.target] += 1
            verified = count_target(work.output, match.target) >= needed[match.target]
            compound = work.compounds.get(i)
            if _compound_tail(work, i):
                # the whole compound, when the model could say what its other part is
                verified = verified and (
                    count_target(work.output, compound) > 0
                    if compound
                    else _followed_by_content_word(work.output, match.target)
                )
            terms.append(AppliedTerm.of(match, method, verified, compound))
        return EnforcedSentence(work.source, work.output, tuple(terms), tuple(spans))

    @staticmethod
    def summary(results: Sequence[HasAppliedTerms]) -> str:
        """One line for stderr: terms applied, verified, and how.

        ``results`` are enforced sentences, or any records carrying their
        ``terms`` (the engine's document segments).
        """
        terms = [t for r in results for t in r.terms]
        if not terms:
            return f"glossary: no terms in {len(results)} sentences"
        with_terms = sum(1 for r in results if r.terms)
        verified = sum(1 for t in terms if t.verified)
        methods = Counter(t.method for t in terms)
        how = ", ".join(f"{n} {m}" for m, n in sorted(methods.items(), key=lambda x: -x[1]))
        line = (
            f"glossary: {len(terms)} terms in {with_terms} of {len(results)} sentences, "
            f"{verified} verified ({how})"
        )
        missing = sorted({t.term for t in terms if not t.verified})
        if missing:
            line += f"; NOT verified: {', '.join(missing)}"
        return line


def _lost_a_name(work: _Work) -> bool:
    """Whether a name of ``work`` came through neither its placeholder nor the model,
    or not exactly as often as the source has it (what :meth:`Enforcer._result` verifies)."""
    names = [
        (i, match)
        for i, match in enumerate(work.matches)
        if isinstance(match, ProtectedSpan) and match.kind == NAME
    ]
    if not names:
        return False
    totals = Counter(m.target for m in work.matches if isinstance(m, ProtectedSpan))
    # no method yet: lost if its placeholder was, else not checked yet (hybrid's
    # plain translation, counted below)
    unkept = (
        {SUBSTITUTED, PREFIX, INSERTED, None} if work.masked else {SUBSTITUTED, PREFIX, INSERTED}
    )
    return any(
        work.methods.get(i) in unkept
        or count_span(work.output, match.target) != totals[match.target]
        for i, match in names
    )


def _overlap(a: Item, b: Item) -> bool:
    return a.start < b.end and b.start < a.end


def _encoded(translator: Any, text: str) -> Any:
    encode = getattr(translator, "encode_target", None)
    return encode(text) if callable(encode) else text


def _translate_into(works: list[_Work], translator: SentenceTranslator) -> None:
    if works:
        _set_outputs(works, translator.translate_sentences([w.source for w in works]))


def _set_outputs(works: Sequence[_Work], outputs: Sequence[str]) -> None:
    """Unmasked translations of ``works`` (nothing enforced in them yet)."""
    for work, output in zip(works, outputs, strict=True):
        work.output = output
        work.methods = {}
        work.masked = False


def _key(item: Item) -> tuple[bool, str]:
    """What an item needs in the output: (is a span, English text)."""
    return isinstance(item, ProtectedSpan), item.target


def _count(output: str, key: tuple[bool, str]) -> int:
    is_span, target = key
    return count_span(output, target) if is_span else count_target(output, target)


def _satisfied(output: str, matches: Sequence[Item]) -> Counter[tuple[bool, str]]:
    """Per needed text, how many of the items needing it the output satisfies."""
    needed: Counter[tuple[bool, str]] = Counter(_key(m) for m in matches)
    return Counter({k: min(n, _count(output, k)) for k, n in needed.items()})


def _improves(work: _Work, candidate: str, item: Item) -> bool:
    """True when ``candidate`` has more of the item's text and loses no other item."""
    before = _satisfied(work.output, work.matches)
    after = _satisfied(candidate, work.matches)
    key = _key(item)
    return (
        after[key] > before[key]
        and all(after[k] >= n for k, n in before.items())
        and not _overcounted(candidate, work.matches)
    )


def _overcounted(output: str, matches: Sequence[Item]) -> bool:
    """Whether a protected span's English occurs more often than the span (a copy too many)."""
    needed = Counter(m.target for m in matches if isinstance(m, ProtectedSpan))
    return any(count_span(output, target) > n for target, n in needed.items())


def _drop_extra_copies(output: str, matches: Sequence[Item]) -> str:
    """Remove copies of a span's English beyond the number of spans (the first ones stay)."""
    needed = Counter(m.target for m in matches if isinstance(m, ProtectedSpan))
    for target, n in needed.items():
        while count_span(output, target) > n:
            found = list(re.finditer(_span_pattern(target), output))[-1]
            before = output[: found.start()].rstrip(" ")
            after = output[found.end() :].lstrip(" ")
            output = before + (" " if before and after[:1].isalnum() else "") + after
    return output


def _loses_nothing(work: _Work, candidate: str) -> bool:
    before = _satisfied(work.output, work.matches)
    after = _satisfied(candidate, work.matches)
    return all(after[k] >= n for k, n in before.items())


def _all_present(work: _Work) -> bool:
    needed: Counter[tuple[bool, str]] = Counter(_key(m) for m in work.matches)
    return all(_count(work.output, k) >= n for k, n in needed.items())


_NOT_A_COMPOUND_PART = frozenset(
    {"the", "a", "an", "of", "to", "and", "or", "in", "on", "at", "for", "with", "by"}
    | {"from", "is", "are", "was", "were", "be", "been", "will", "would", "can", "could"}
    | {"shall", "should", "may", "might", "must", "has", "have", "had", "do", "does", "did"}
    | {"that", "which", "who", "said", "says", "also", "not", "but", "as", "than"}
)


def _compound_tail(work: _Work, index: int) -> str | None:
    """The Dutch other part of a compound headed by term ``index`` (``top`` of NAVO-top)."""
    match = work.matches[index]
    if not isinstance(match, TermMatch) or COMPOUND_HEAD not in match.reason:
        return None
    following = work.matches[index + 1] if index + 1 < len(work.matches) else None
    if following is not None and following.start <= match.end + 1:
        return None  # the other part is a term itself (Navo-secretaris-generaal)
    tail = re.match(r"-([^\W\d_][\w]*)", work.source[match.end :])
    return tail.group(1) if tail else None


def _find_target(output: str, target: str) -> re.Match[str] | None:
    pattern = r"(?<![^\W_])" + re.escape(target) + r"(?![^\W_])"
    return re.search(pattern, output, re.IGNORECASE)


def _words_after(output: str, target: str) -> list[str]:
    """The word right after each ``target`` in ``output`` (lower case), in order."""
    pattern = r"(?<![^\W_])" + re.escape(target) + r"[ -]([^\W\d_][\w'’-]*)"
    return [found.group(1).lower() for found in re.finditer(pattern, output, re.IGNORECASE)]


def _followed_by_content_word(output: str, target: str) -> bool:
    """Whether ``target`` is followed by a word that can be a compound's other part."""
    return any(word not in _NOT_A_COMPOUND_PART for word in _words_after(output, target))


def _word_after(output: str, target: str) -> str | None:
    """The word right after the first ``target`` in ``output`` (lower case), if any."""
    return next(iter(_words_after(output, target)), None)


def _tail_rendering(output: str) -> str | None:
    """The model's English for a compound part from ``De top.`` → "The summit." (or None)."""
    text = _LEADING_ARTICLE.sub("", output.strip()).rstrip(".!?;: ").strip()
    words = text.split()
    if not 1 <= len(words) <= 3 or not all(re.fullmatch(r"[^\W\d_][\w'’-]*", w) for w in words):
        return None  # rambling or empty: better the term alone than a wrong part
    if words[0].lower() in _NOT_A_COMPOUND_PART or len(set(words)) < len(words):
        return None
    return text.lower() if not text.isupper() else text


def _tags_in_source_order(output: str, matches: Sequence[Item]) -> str:
    """Put XML/HTML tags back in source order when the model swapped them.

    Only when every tag is in the output exactly once: each tag position of the
    output gets the tags in source order, so pairs stay pairs (``<b>…</b>``).
    """
    tags = [m.target for m in matches if isinstance(m, ProtectedSpan) and m.kind == TAG]
    if len(tags) < 2 or any(output.count(t) != 1 for t in tags):
        return output
    found = sorted((output.index(t), t) for t in tags)
    if [t for _, t in found] == tags:
        return output
    pieces = []
    position = 0
    for (start, old), new in zip(found, tags, strict=True):
        pieces += [output[position:start], new]
        position = start + len(old)
    pieces.append(output[position:])
    return "".join(pieces)


# -- text operations (pure functions, tested directly) ---------------------------


def mask(sentence: str, matches: Sequence[Item], split_compounds: bool = True) -> str:
    """``sentence`` with the first :data:`MAX_PLACEHOLDERS` matches replaced by placeholders.

    With ``split_compounds`` (the default: measured on the bundled model, it
    gives "NATO countries" where ``｟1｠-landen`` gave "NATO-land") the hyphen
    after a compound head becomes a space (``NAVO-chef`` → ``｟1｠ chef``);
    between two terms it always does (``Navo-secretaris-generaal`` → ``｟1｠ ｟2｠``,
    "NATO Secretary General"). A tag glued to its content gets a space
    (``<b>hier</b>`` → ``｟1｠ hier ｟2｠``), which :func:`restore_partial` takes
    away again.
    """
    parts = []
    position = 0
    for number, match in enumerate(matches[:MAX_PLACEHOLDERS], start=1):
        parts.append(sentence[position : match.start])
        if isinstance(match, ProtectedSpan) and match.closes_tag and not match.space_before:
            parts.append(" ")
        parts.append(placeholder(number))
        position = match.end
        if isinstance(match, ProtectedSpan):
            if match.opens_tag and not match.space_after:
                parts.append(" ")
            continue
        joins_term = number < len(matches) and COMPOUND_TAIL in matches[number].reason
        if COMPOUND_HEAD in match.reason and sentence[position : position + 1] == "-":
            if split_compounds or joins_term:
                parts.append(" ")
                position += 1
        elif CLOSED_COMPOUND_HEAD in match.reason:
            parts.append(" ")  # "｟1｠systemen" means nothing to a model; "｟1｠ systemen" does
    parts.append(sentence[position:])
    return "".join(parts)


def unmask(masked: str, matches: Sequence[Item]) -> str:
    """Inverse of :func:`mask` on the source side (puts the Dutch terms back)."""
    texts = {placeholder(n): m.text for n, m in enumerate(matches[:MAX_PLACEHOLDERS], start=1)}
    return PLACEHOLDER_PATTERN.sub(lambda f: texts.get(f.group(0), f.group(0)), masked)


_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|^[\"'“‘(\[«]+|[.!?:]\s+[\"'“‘(\[«]+)$")
_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=\s)|(?<=[\"'“‘(\[]))(the|a|an)\s+$", re.IGNORECASE)
_COPULA_BEFORE = re.compile(
    r"(?:^|\s)(?:is|are|was|were|be|been|being|remains?|remained|becomes?|became|seems?)\s+$",
    re.IGNORECASE,
)
_AN_LETTERS = "AEFHILMNORSX"  # acronyms read letter by letter: an FBI agent, an NIS report
_WORD_ACRONYMS = frozenset({"NATO", "UNESCO", "UNICEF", "OPEC", "NASA", "AIDS", "FIFA", "OVSE"})


def _wants_an(text: str) -> bool:
    """Whether "an" rather than "a" goes before ``text`` (spelling heuristics)."""
    first = re.sub(r"[^\w]", "", text.split()[0]) if text.split() else ""
    if not first:
        return False
    if first.isupper() and len(first) > 1 and first not in _WORD_ACRONYMS:
        return first[0] in _AN_LETTERS
    lower = first.lower()
    if lower.startswith(("uni", "use", "usu", "uro", "eu", "one", "once")):
        return False
    if lower.startswith(("hour", "honest", "honour", "heir")):
        return True
    return lower[:1] in "aeiou"


def _insert_target(
    before: str, target: str, after: str, no_article: bool = False
) -> tuple[str, str]:
    """Fit ``target`` after ``before``; returns (new before, target text).

    Removes a "the" the target brings itself ("the The Hague") or does not take
    (``no_article``: "with the NATO"), fixes "a"/"an", and capitalises the
    target at the start of a sentence.
    """
    article = _ARTICLE_BEFORE.search(before)
    the = bool(article) and article is not None and article.group(1).lower() == "the"
    if article and the and (no_article or target.lower().startswith("the ")):
        before = before[: article.start(1)]
    elif article and article.group(1).lower() in ("a", "an"):
        wanted = "an" if _wants_an(target) else "a"
        word = article.group(1)
        if word.lower() != wanted:
            fixed = wanted.capitalize() if word[:1].isupper() else wanted
            before = before[: article.start(1)] + fixed + before[article.end(1) :]
    elif (
        not article
        and not no_article
        and target[:1].islower()
        and " " in target
        and _COPULA_BEFORE.search(before)
    ):
        # predicative use without an article: "Rusland is vragende partij" reads
        # "Russia is the asking party" in English
        before += "the "
    if _SENTENCE_START.search(before):
        target = target[:1].upper() + target[1:]
    return before, target


def _place(before: str, item: Item, after: str) -> tuple[str, str]:
    """Fit an item's English after ``before``: a term by :func:`_insert_target`, a span verbatim."""
    if isinstance(item, TermMatch):
        return _insert_target(before, item.target, after, _takes_no_article(item))
    if item.closes_tag and not item.space_before:
        before = before.rstrip(" ")
    elif before[-1:].isalnum() and item.kind != TAG:
        before += " "
    return before, item.target


def _takes_no_article(match: Item) -> bool:
    if not isinstance(match, TermMatch):
        return False
    # "the NATO summit" keeps its article: the term is only the head of a compound
    return NO_ARTICLE in match.entry.flags and COMPOUND_HEAD not in match.reason


def restore_partial(output: str, matches: Sequence[Item]) -> tuple[str, set[int]]:
    """Replace the placeholders a model output kept by the matches' targets.

    Returns the text and the indices (into ``matches``) of the terms placed.
    A placeholder that occurs again, or one with an unknown number, is removed
    (the model repeated or invented it), as are stray ``｟``/``｠`` brackets of
    mangled ones; a lost placeholder's term is simply not placed.
    """
    output = _tag_placeholders_in_order(output, matches)
    expected = {placeholder(n): i for i, _ in enumerate(matches) for n in [i + 1]}
    placed: set[int] = set()
    result = ""
    position = 0
    dropped = False
    for found in PLACEHOLDER_PATTERN.finditer(output):
        before = result + output[position : found.start()]
        index = expected.get(found.group(0))
        position = found.end()
        if index is None or index in placed:
            # Drop the token with the article the model put before it, and one
            # neighbouring space so no double space remains.
            before = re.sub(r"(?:^|(?<=\s))(?:the|a|an)\s+$", "", before, flags=re.IGNORECASE)
            if before.endswith(" ") and output[position : position + 1] in (" ", ""):
                before = before[:-1]
            result = before
            dropped = True
            continue
        match = matches[index]
        rest = output[position:]
        if isinstance(match, ProtectedSpan) and match.kind == TAG:
            before, text = _place(before, match, rest)
            if match.opens_tag and not match.space_after:
                position += len(rest) - len(rest.lstrip(" "))  # "<b> hier" → "<b>hier"
        else:
            if before[-1:].isalnum() or before[-1:] in (",", ";", ":"):
                before += " "  # "the｟1｠", "Kremlin:｟2｠" glued by the model
            before, text = _place(before, match, rest)
            if rest[:1].isalnum():
                text += " "  # "｟1｠systems" glued
        result = before + text
        placed.add(index)
    result += output[position:]
    if "｟" in result or "｠" in result:
        result = re.sub(r" ?[｟｠]\d{0,2}[｟｠]? ?", " ", result).strip()
        dropped = True
    if dropped:
        result = re.sub(r" +([,.;:!?])", r"\1", result)  # "with ," left by a dropped token
    return result, placed


def _tag_placeholders_in_order(output: str, matches: Sequence[Item]) -> str:
    """Renumber the placeholders of tags that a model swapped, so tags keep source order."""
    tokens = [
        placeholder(i + 1)
        for i, m in enumerate(matches[:MAX_PLACEHOLDERS])
        if isinstance(m, ProtectedSpan) and m.kind == TAG
    ]
    found = [f for f in PLACEHOLDER_PATTERN.finditer(output) if f.group(0) in tokens]
    if len(tokens) < 2 or sorted(f.group(0) for f in found) != sorted(tokens):
        return output
    if [f.group(0) for f in found] == tokens:
        return output
    pieces = []
    position = 0
    for f, token in zip(found, tokens, strict=True):
        pieces += [output[position : f.start()], token]
        position = f.end()
    return "".join([*pieces, output[position:]])


def cut_placeholder_loop(output: str, source: str, repeats: int = 3) -> str:
    """Cut a model output where it starts looping on a placeholder.

    A placeholder stands for one term that occurs once in the source, so a
    placeholder written ``repeats`` times or more is a decoding loop ("with the
    ｟4｠ in with the ｟4｠ with the ｟4｠, ..."). The output is cut after the
    looping placeholder's first occurrence, provided no other placeholder is
    only in the part cut off; the source's final punctuation is kept.
    """
    found = list(PLACEHOLDER_PATTERN.finditer(output))
    counts = Counter(f.group(0) for f in found)
    looping = [token for token, n in counts.items() if n >= repeats]
    if not looping:
        return output
    first = min(f.end() for f in found if f.group(0) in looping)
    kept = {f.group(0) for f in found if f.end() <= first}
    if set(counts) - kept:
        return output
    cut = output[:first].rstrip(" ,;:")
    final = source.rstrip()[-1:]
    if final in ".!?" and final and not cut.endswith(final):
        cut += final
    return cut


def restore(output: str, matches: Sequence[Item]) -> str | None:
    """Like :func:`restore_partial`, but ``None`` unless every placeholder was kept exactly once."""
    found = [f.group(0) for f in PLACEHOLDER_PATTERN.finditer(output)]
    wanted = [placeholder(n) for n in range(1, len(matches) + 1)]
    if sorted(found) != sorted(wanted) or "｟" in PLACEHOLDER_PATTERN.sub("", output):
        return None
    if "｠" in PLACEHOLDER_PATTERN.sub("", output):
        return None
    return restore_partial(output, matches)[0]


def count_target(output: str, target: str) -> int:
    """How often ``target`` occurs in ``output`` as whole words (first letter in either case)."""
    if not target:
        return 0
    first = re.escape(target[0])
    if target[0].isalpha():
        first = f"[{re.escape(target[0].lower())}{re.escape(target[0].upper())}]"
    pattern = r"(?<![^\W_])" + first + re.escape(target[1:]) + r"(?![^\W_])"
    return len(re.findall(pattern, output))


def count_span(output: str, target: str) -> int:
    """How often a protected span's English ``target`` occurs in ``output``, exactly.

    Where the target begins or ends with a letter or digit, the neighbour must
    not be one, nor may a number continue (``2`` is not in ``2.5`` or ``12``).
    """
    if not target:
        return 0
    return len(re.findall(_span_pattern(target), output))


def _span_pattern(target: str) -> str:
    # a number is not found inside a longer one, nor inside a range (1895 in 1894-1895)
    pattern = re.escape(target)
    if target[0].isalnum():
        pattern = r"(?<![^\W_])(?<!\d[.,:/–-])" + pattern
    if target[-1].isalnum():
        pattern += r"(?![^\W_])(?![.,:/–-]\d)"
    return pattern


_DIGIT_RUN = re.compile(r"[^\s\w]?\d[\d.,:/-]*\d(?:\s?%)?|[^\s\w]?\d(?:\s?%)?")


def substitute_span(output: str, span: ProtectedSpan) -> str | None:
    """Replace what a model made of a protected span in ``output`` by its English text.

    The span's Dutch text is looked for first, exactly (models copy codes and
    numbers); for a span with digits, then the run of digits in the output
    that is most like it (same digits in the same order, at least 0.5 alike:
    "235" for "14.35 uur", "3,7" for "3,7 miljard"). Returns ``None`` when
    neither is found.
    """
    for candidate in dict.fromkeys((span.text, span.text.split()[0] if span.text else "")):
        if candidate and count_span(output, candidate):
            found = re.search(_span_pattern(candidate), output)
            if found:
                return output[: found.start()] + span.target + output[found.end() :]
    digits = re.sub(r"\D", "", span.text)
    if not digits:
        return None
    from difflib import SequenceMatcher

    best: tuple[float, int, int] | None = None
    for found in _DIGIT_RUN.finditer(output):
        if count_span(found.group(0), span.target):
            continue  # already right (another span's)
        ratio = SequenceMatcher(None, re.sub(r"\D", "", found.group(0)), digits).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, found.start(), found.end())
    if best is None or best[0] < 0.5:
        return None
    return output[: best[1]] + span.target + output[best[2] :]


_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def substitute(
    output: str, rendering: str, target: str, fuzzy: bool = True, no_article: bool = False
) -> str | None:
    """Replace the model's ``rendering`` of a term in ``output`` by ``target``.

    Looks for the rendering (without final punctuation and leading article)
    as whole words, case-insensitively; failing that, for the run of words most
    similar to it (at least 0.6 similar). Returns ``None`` when neither is found.
    ``no_article`` drops a "the" before it (``NATO``, never "the NATO").
    """
    core = _LEADING_ARTICLE.sub("", rendering.strip().rstrip(".!?;:").strip())
    core = core.strip("\"'“”‘’ ")
    if not core:
        return None
    pattern = re.compile(r"(?<![^\W_])" + re.escape(core) + r"(?![^\W_])", re.IGNORECASE)
    found = pattern.search(output)
    if found:
        start, end = found.start(), found.end()
    elif not fuzzy:
        return None
    else:
        span = _most_similar_span(output, core)
        if span is None:
            return None
        start, end = span
    before, text = _insert_target(output[:start], target, output[end:], no_article)
    if output[start:end][:1].isupper() and not before.strip():
        text = text[:1].upper() + text[1:]
    return before + text + output[end:]


def _most_similar_span(output: str, core: str) -> tuple[int, int] | None:
    from difflib import SequenceMatcher

    words = list(re.finditer(r"[^\W_][\w'’-]*", output))
    n = len(core.split())
    best: tuple[float, int, int] | None = None
    for size in sorted({max(2, n - 1) if n > 2 else n, n, n + 1}):
        for i in range(0, len(words) - size + 1):
            start, end = words[i].start(), words[i + size - 1].end()
            ratio = SequenceMatcher(None, output[start:end].lower(), core.lower()).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, start, end)
    if best is None or best[0] < 0.6:
        return None
    return best[1], best[2]


def _aligned_word_index(source: str, match: Item, n_words: int) -> int:
    """Where in an output of ``n_words`` words the term's position in ``source`` falls."""
    before = len(source[: match.start].split())
    total = before + len(source[match.start :].split())
    return min(n_words, max(0, round(before / max(1, total) * n_words)))


def insert_at_aligned(output: str, source: str, match: Item, others: Sequence[Item] = ()) -> str:
    """Insert the target into ``output`` at the word position aligned with the term in ``source``.

    Never inside another term's target already in the output (``Secretary General``).
    """
    words = output.split(" ")
    protected: list[tuple[int, int]] = []
    for other in others:
        pattern = r"(?<![^\W_])" + re.escape(other.target) + r"(?![^\W_])"
        protected += [(f.start(), f.end()) for f in re.finditer(pattern, output, re.IGNORECASE)]
    starts = [0]
    for word in words[:-1]:
        starts.append(starts[-1] + len(word) + 1)
    allowed = [
        k
        for k in range(len(words) + 1)
        if not any(a < (starts[k] if k < len(words) else len(output)) < b for a, b in protected)
    ]
    wanted = _aligned_word_index(source, match, len(words))
    k = min(allowed, key=lambda x: (abs(x - wanted), x)) if allowed else len(words)
    before = " ".join(words[:k])
    before = before + " " if before else ""
    before, text = _place(before, match, "")
    rest = " ".join(words[k:])
    return (before + text + (" " + rest if rest else "")).strip()


def build_enforcer(
    paths: Sequence[Path],
    use_default: bool = True,
    include_fuzzy: bool = False,
    strategy: str = "auto",
    split_compounds: bool = True,
    domains: Sequence[str] | None = None,
    protect: bool = False,
) -> Enforcer | None:
    """An enforcer for the glossaries :func:`glossary.store.load_glossaries` merges.

    With ``protect``, protected spans (:mod:`translate.protect`) are kept too,
    and an enforcer is returned even without a glossary. Returns ``None`` when
    there is nothing to enforce (no approved entries and no protection).
    """
    loaded = load_glossaries(paths, default=use_default, domains=domains)
    merged = loaded if loaded.active(include_fuzzy) else None
    if merged is None and not protect:
        return None
    return Enforcer(
        merged,
        include_fuzzy=include_fuzzy,
        strategy=strategy,
        split_compounds=split_compounds,
        protect=protect,
    )
