"""Proposing glossary candidates from a Dutch corpus, ranked by termhood.

Four kinds of candidates, counted over the corpus and kept whole:

* ``acronym``: 2–6 capitals, optionally with digits (``NAVO``, ``NIS``,
  ``G7``), also as the head of a hyphenated compound (``NAVO-top``);
* ``name``: runs of capitalised words not at the start of a sentence
  (``Tweede Kamer``, ``Mark Rutte``), joined by Dutch name particles
  (``minister van Defensie``), and hyphenated names whose parts are all
  capitalised (``Noord-Korea``, ``Groot-Brittannië``); the head of a
  compound with a lower-case tail is a name on its own (``Kremlin`` from
  ``Kremlin-woordvoerder``);
* ``compound``: long closed compounds (``inlichtingendienst``) and
  hyphenated ones (``staakt-het-vuren``) that are rare in general Dutch;
* ``phrase``: an adjective ending in ``-e`` followed by a noun
  (``ballistische raketten``, ``vragende partij``).

Plural nouns are brought back to the base form a glossary wants
(``ballistische raket``) when a Dutch plural rule of :mod:`glossary.match`
leads back to them, preferring bases seen in general text or the corpus.

**Termhood** compares a candidate's frequency in the corpus with its words'
frequency in general Dutch (``glossary/reference.nl.tsv``, built by
``scripts/build_reference_frequencies.py`` from Tatoeba and Dutch Wikipedia):
``score = log2(1 + count) × mean over content words of
log2(corpus rate / general rate)``. Everyday words score low however often
they occur; domain words high.

:func:`render_in_context` asks the translation model for each candidate's
English rendering *in its sentence*: the sentence is translated as it is and
with the candidate replaced by a placeholder token; the words where the two
translations differ are the candidate's rendering.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from glossary.match import Matcher, dutch_forms
from glossary.store import FUZZY, Glossary, GlossaryEntry

_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5})(?![a-z])")
_WORD = re.compile(r"[\w'’-]+")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_PARTICLES = {"van", "de", "der", "den", "het", "voor"}
_STOPWORDS = {
    "de", "het", "een", "die", "deze", "dat", "dit", "hij", "zij", "ze", "we", "wij", "ik",
    "in", "op", "en", "maar", "ook", "volgens", "daar", "daarbij", "intussen", "beide",
    "niemand", "president", "als", "toen", "nadat", "omdat", "terwijl", "wel", "niet",
    "zo", "nu", "er", "hun", "haar", "zijn", "mijn", "onze", "uw", "je", "u",
    "bij", "voor", "van", "met", "na", "om", "over", "uit", "tot", "door", "naar", "tegen",
    "zonder", "hoe", "wat", "wie", "waar", "wanneer", "waarom", "toch", "dan", "nog", "al",
    "of", "want", "dus", "hier", "daarna", "daarom", "sinds", "tijdens", "onder", "boven",
    "vandaag", "gisteren", "morgen", "ja", "nee", "mevrouw", "meneer",
}  # fmt: skip
_NOT_ADJECTIVES = {
    "deze", "die", "onze", "mijne", "welke", "elke", "iedere", "sommige", "vele", "andere",
    "beide", "enige", "zekere", "zulke", "eigen", "hele", "halve", "vorige", "volgende",
    "laatste", "eerste", "tweede", "derde", "nieuwe", "grote", "kleine", "goede", "oude",
    "jonge", "lange", "hoge", "lage", "korte", "verschillende", "bepaalde", "gewone",
    "belangrijke", "mogelijke", "huidige", "komende", "afgelopen", "meeste", "twee", "drie",
    "enkele", "alle", "zoveelste", "ongeveer", "misschien", "alleen", "samen",
}  # fmt: skip
# a lookahead, so that "lanceerde ballistische raketten" also yields the second pair
_ADJ_NOUN = re.compile(r"(?<![\w-])(?=(([a-zà-ÿ]{3,}e)\s+([a-zà-ÿ]{4,})(?![\w-])))")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|[\"“”:]")

_ADJECTIVE_ENDINGS = (
    "lijk", "lijke", "isch", "ische", "ieel", "iële", "eerd", "eerde", "ende", "baar", "bare",
    "ig", "ige", "loos", "loze", "matig", "matige", "achtig", "achtige", "eel", "ele",
    "rijk", "rijke", "ale", "ieve", "ief",
)  # fmt: skip
_NOT_COMPOUNDS = re.compile(
    r"^(?:gister|vanoch|vanav|vanmid|vannacht|morgenoch|morgenav|bijvoorbeeld|ongeveer|"
    r"uiteindelijk|daarnaast|bovendien|waarschijnlijk|tenminste)"
)
"""Adverbs of time and manner that look like compounds (``gisteravond``, ``bijvoorbeeld``)."""
_PAST_TENSE = re.compile(r"(?:[^aeioun]de|[^aeiou]te)$")
"""``meldde``, ``waarschuwde``, ``zorgde``: verbs in the past tense, not adjectives."""
"""Endings of adjectives and participles, which are seldom glossary terms on their own."""
_PROPER_ADJECTIVE = re.compile(r"(?:s|sch|isch)e$")
"""``Surinaamse``, ``Israëlische``: adjectives of names, which translate by rule."""

COMPOUND_MIN_LETTERS = 11
"""A closed compound candidate has at least this many letters (``luchtafweer`` has 11)."""


@dataclass(frozen=True)
class Candidate:
    """A proposed term, its kind, how often it occurs, its termhood and a sentence it came from."""

    term: str
    kind: str
    count: int
    score: float = 0.0
    example: str = ""
    """A corpus sentence containing the candidate (for the proposal's comment)."""
    surface: str = ""
    """The candidate as written in ``example`` (a plural where ``term`` is the base form)."""


@dataclass(frozen=True)
class ReferenceFrequencies:
    """Word counts of general Dutch text (lower-cased) and the number of tokens counted."""

    counts: dict[str, int]
    tokens: int

    def rate(self, word: str) -> float:
        """Relative frequency in general text, with add-half smoothing for unseen words."""
        return (self.counts.get(word.lower(), 0) + 0.5) / self.tokens


def reference_path() -> Path:
    """The shipped reference table (``glossary/reference.nl.tsv``)."""
    return Path(__file__).resolve().parent / "reference.nl.tsv"


@lru_cache(maxsize=2)
def load_reference(path: Path | None = None) -> ReferenceFrequencies:
    """Read a reference table: ``# tokens<TAB>N`` header line, then ``word<TAB>count`` lines."""
    counts: dict[str, int] = {}
    tokens = 0
    for line in (path or reference_path()).read_text(encoding="utf-8").splitlines():
        if line.startswith("# tokens\t"):
            tokens = int(line.split("\t")[1])
        elif line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            counts[word] = int(count)
    return ReferenceFrequencies(counts, tokens or max(1, sum(counts.values())))


class _Counts:
    """Candidate counts with the first sentence (and surface form) each was seen in."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.examples: dict[tuple[str, str], tuple[str, str]] = {}
        self.initial: Counter[str] = Counter()
        """Capitalised first words of sentences: names only if also seen mid-sentence."""

    def add(self, term: str, kind: str, sentence: str, surface: str | None = None) -> None:
        key = (term, kind)
        self.counts[key] += 1
        self.examples.setdefault(key, (sentence.strip(), surface or term))


def _names(sentence: str, counts: _Counts) -> None:
    words = _WORD.findall(sentence)
    run: list[str] = []
    if words and words[0][:1].isupper() and not words[0].isupper():
        first, *rest = words[0].split("-")
        # Kremlin-woordvoerder → Kremlin; Noord-Korea stays whole
        whole = all(part[:1].isupper() for part in rest)
        counts.initial[words[0] if whole else first] += 1

    def flush() -> None:
        while run and run[-1].lower() in _PARTICLES:
            run.pop()
        if run and not (len(run) == 1 and _PROPER_ADJECTIVE.search(run[0])):
            counts.add(" ".join(run), "name", sentence)
        run.clear()

    for index, word in enumerate([*words, ""]):
        word = word.strip("-'’")
        capital = word[:1].isupper() and not word.isupper() and index > 0
        if capital and "-" in word:
            flush()
            parts = word.split("-")
            if all(p[:1].isupper() for p in parts) and not any(p.isupper() for p in parts):
                counts.add(word, "name", sentence)  # Noord-Korea, Groot-Brittannië
            elif not parts[0].isupper():
                counts.add(parts[0], "name", sentence)  # Kremlin from Kremlin-woordvoerder
        elif capital and word.lower() not in _STOPWORDS:
            run.append(word)
        elif capital and word.lower() in _PARTICLES and _starts_name(words[index + 1 :]):
            run.append(word)  # Van der Schans, De Vries: a surname's capitalised particle
        elif run and word in _PARTICLES and index + 1 < len(words):
            if words[index + 1][:1].isupper():
                run.append(word)
                continue
            flush()
        else:
            flush()


def _starts_name(rest: Sequence[str]) -> bool:
    """Whether ``rest`` begins with (lower-case particles and) a capitalised word."""
    for word in rest:
        if word in _PARTICLES:
            continue
        return word[:1].isupper()
    return False


def _base_form(word: str, known: Callable[[str], bool]) -> str:
    """The singular of a plural noun when a Dutch plural rule leads back to one, else ``word``."""
    lower = word.lower()
    bases: list[str] = []
    if lower.endswith("en") and len(lower) > 5:
        stem = word[:-2]
        if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            bases.append(stem[:-1])  # raketten → raket
        bases.append(stem)  # partijen → partij
        if len(stem) >= 2 and stem[-2] in "aeou" and stem[-1] not in "aeiou":
            bases.append(stem[:-1] + stem[-2] + stem[-1])  # talen → taal
        if stem.endswith("v"):
            bases.append(stem[:-1] + "f")
        if stem.endswith("z"):
            bases.append(stem[:-1] + "s")
    elif lower.endswith("s") and len(lower) > 4 and lower[-2] not in "s":
        bases.append(word[:-1].rstrip("'’"))
    valid = [b for b in bases if any(f.lower() == lower for f, _, _ in dutch_forms(b, False))]
    evidenced = [b for b in valid if known(b)]
    if evidenced:
        return evidenced[0]
    # without evidence only the unambiguous -s plural (organisaties → organisatie) is undone
    return valid[0] if valid and lower.endswith("s") else word


def _phrases_and_compounds(
    sentence: str, counts: _Counts, reference: ReferenceFrequencies, corpus_words: Counter[str]
) -> None:
    def known(base: str) -> bool:
        return base.lower() in reference.counts or corpus_words[base.lower()] > 0

    for found in _ADJ_NOUN.finditer(sentence):
        surface, adjective, noun = found.group(1), found.group(2), found.group(3)
        if adjective in _STOPWORDS or adjective in _NOT_ADJECTIVES:
            continue
        if _PAST_TENSE.search(adjective) or adjective.endswith(("ie", "ee")):
            continue
        base = _base_form(noun, known)
        if len(base) < 4:
            continue
        counts.add(f"{adjective} {base}", "phrase", sentence, surface)
    for token in _TOKEN.findall(sentence):
        if not token.islower() or token.endswith(_ADJECTIVE_ENDINGS):
            continue
        if _PAST_TENSE.search(token) or _NOT_COMPOUNDS.match(token):
            continue
        letters = sum(c.isalpha() for c in token)
        hyphenated = "-" in token and len(token.split("-")) >= 2
        if not (hyphenated or letters >= COMPOUND_MIN_LETTERS):
            continue
        base = _base_form(token, known)
        if base == token and token.endswith("en") and not hyphenated:
            continue  # an infinitive (samenwerken), or a plural whose singular is unknown
        counts.add(base, "compound", sentence, token)


def extract_candidates(
    lines: Iterable[str],
    min_count: int = 2,
    reference: ReferenceFrequencies | None = None,
) -> list[Candidate]:
    """Candidates from Dutch ``lines``, best (highest termhood) first.

    Acronyms and multi-word names are kept from one occurrence; other
    candidates need ``min_count``.
    """
    reference = reference or load_reference()
    texts = list(lines)
    corpus_words: Counter[str] = Counter(w.lower() for line in texts for w in _TOKEN.findall(line))
    total = max(1, sum(corpus_words.values()))
    counts = _Counts()
    for line in texts:
        # treebank text joins multi-word names with underscores (Integraal_Dossier)
        for sentence in _SENTENCE.split(line.replace("_", " ")):
            if not sentence.strip():
                continue
            for found in _ACRONYM.finditer(sentence):
                counts.add(found.group(1), "acronym", sentence)
            _names(sentence, counts)
            _phrases_and_compounds(sentence, counts, reference, corpus_words)
    for (term, kind), count in list(counts.counts.items()):
        if kind == "name" and " " not in term:
            counts.counts[(term, kind)] = count + counts.initial[term]
    result = []
    for (term, kind), count in counts.counts.items():
        one_off_allowed = kind == "acronym" or (kind == "name" and " " in term)
        if count < min_count and not one_off_allowed:
            continue
        example, surface = counts.examples[(term, kind)]
        score = termhood(term, count, total, corpus_words, reference)
        result.append(Candidate(term, kind, count, round(score, 2), example, surface))
    result.sort(key=lambda c: (-c.score, -c.count, c.term))
    return result


def termhood(
    term: str,
    count: int,
    corpus_tokens: int,
    corpus_words: Counter[str],
    reference: ReferenceFrequencies,
) -> float:
    """``log2(1 + count)`` times the mean log-ratio of corpus to general frequency of its words."""
    words = [w for w in _TOKEN.findall(term) if w.lower() not in _PARTICLES] or [term]
    ratios = []
    for word in words:
        corpus_rate = max(corpus_words[word.lower()], count) / corpus_tokens
        ratios.append(math.log2(corpus_rate / reference.rate(word)))
    return math.log2(1 + count) * sum(ratios) / len(ratios)


def new_candidates(candidates: Iterable[Candidate], existing: Glossary | None) -> list[Candidate]:
    """The candidates that ``existing`` does not already cover, first of each term only.

    A candidate is covered when it is a term of ``existing`` or one of its
    entries matches the whole candidate (``Oekraïense`` by ``Oekraïens``).
    """
    known = {e.source.casefold() for e in existing.entries} if existing else set()
    matcher = Matcher(existing.entries) if existing else None
    fresh = []
    for candidate in candidates:
        if candidate.term.casefold() in known:
            continue
        if matcher and any(
            m.start == 0 and m.end == len(candidate.term) for m in matcher.find(candidate.term)
        ):
            continue
        known.add(candidate.term.casefold())
        fresh.append(candidate)
    return fresh


def candidates_to_entries(
    candidates: Iterable[Candidate],
    existing: Glossary | None = None,
    renderings: dict[str, str] | None = None,
) -> list[GlossaryEntry]:
    """Fuzzy entries for candidates that ``existing`` does not already cover.

    ``renderings`` (term → English, from :func:`render_in_context`) fill the
    targets; the note gives kind, count, termhood and the source sentence.
    """
    entries = []
    for candidate in new_candidates(candidates, existing):
        note = (
            f"extracted: {candidate.kind}, {candidate.count}x in corpus, "
            f"termhood {candidate.score:.1f}"
        )
        if candidate.example:
            note += f"\nsource: {candidate.example}"
        entries.append(
            GlossaryEntry(
                source=candidate.term,
                target=(renderings or {}).get(candidate.term, ""),
                flags=(FUZZY,),
                notes=note,
            )
        )
    return entries


def propose_terms(
    lines: Iterable[str],
    existing: Glossary | None = None,
    min_count: int = 2,
    top: int = 0,
    translate: Callable[[Sequence[str]], list[str]] | None = None,
    placeholder_token: str | None = None,
) -> list[GlossaryEntry]:
    """Fuzzy proposals for the ``top`` (0 = all) best new candidates of a Dutch corpus.

    With ``translate`` (a model's sentence translator) each proposal's target
    is the model's English rendering in its sentence (:func:`render_in_context`).
    """
    fresh = new_candidates(extract_candidates(lines, min_count=min_count), existing)
    if top:
        fresh = fresh[:top]
    renderings = render_in_context(fresh, translate, placeholder_token) if translate else None
    return candidates_to_entries(fresh, None, renderings)


_ARTICLES = {"the", "a", "an"}
_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()"


def _differing_span(plain: str, masked: str, token: str) -> str:
    """The words of ``plain`` that stand where ``masked`` has ``token``.

    Empty unless the two translations agree on most words around the token:
    when masking changed the whole sentence, the difference says nothing.
    """
    if masked.count(token) != 1:
        return ""
    before, after = (part.split() for part in masked.split(token))
    words = plain.split()
    start = 0
    while start < min(len(before), len(words)) and before[start] == words[start]:
        start += 1
    end = 0
    limit = min(len(after), len(words) - start)
    while end < limit and after[len(after) - 1 - end] == words[len(words) - 1 - end]:
        end += 1
    if start + end < 0.6 * (len(before) + len(after)):
        return ""
    span = words[start : len(words) - end]
    while span and span[0].lower() in _ARTICLES:
        span = span[1:]
    return " ".join(span).strip(_EDGE_PUNCTUATION)


def _plausible(rendering: str, term: str) -> bool:
    """A rendering of about the term's length, without the run-on words small models produce."""
    words = rendering.split()
    if not words or len(words) > 2 * len(term.split()) + 1:
        return False
    if any(len(word) > max(25, len(term) + 6) for word in words):
        return False
    lowered = rendering.lower()
    return not any(lowered.count(lowered[i : i + 4]) > 2 for i in range(len(lowered) - 3))


def render_in_context(
    candidates: Sequence[Candidate],
    translate: Callable[[Sequence[str]], list[str]],
    placeholder_token: str | None,
) -> dict[str, str]:
    """term → the model's English rendering of each candidate in its example sentence.

    A candidate the plain translation keeps verbatim (a name) renders as
    itself. With a ``placeholder_token`` the model copies (see
    :mod:`translate.placeholders`), the rendering is where the plain and the
    masked translation differ; otherwise, or when that gives nothing
    plausible, the candidate is translated on its own, and an implausible
    result (run-on words, far too long) is left empty for the reviewer.
    """
    renderings: dict[str, str] = {}
    with_examples = [c for c in candidates if c.example and (c.surface or c.term) in c.example]
    if placeholder_token:
        sentences = [c.example for c in with_examples]
        masked = [
            c.example.replace(c.surface or c.term, placeholder_token, 1) for c in with_examples
        ]
        outputs = translate([*sentences, *masked])
        plain_out, masked_out = outputs[: len(sentences)], outputs[len(sentences) :]
        for candidate, plain, hidden in zip(with_examples, plain_out, masked_out, strict=True):
            if candidate.term in plain.split() or f" {candidate.term} " in f" {plain} ":
                renderings[candidate.term] = candidate.term  # kept as is (names, acronyms)
                continue
            span = _differing_span(plain, hidden, placeholder_token)
            if _plausible(span, candidate.term):
                renderings[candidate.term] = span
    alone = [c for c in candidates if c.term not in renderings]
    if alone:
        for candidate, output in zip(alone, translate([c.term for c in alone]), strict=True):
            rendering = output.strip().strip(_EDGE_PUNCTUATION)
            # an implausible rendering is left empty for the reviewer rather than proposed
            renderings[candidate.term] = rendering if _plausible(rendering, candidate.term) else ""
    return renderings
