"""Protected spans through the enforcer: masked, restored verbatim, repaired, reported.

Driven, like test_glossary_enforce.py, by a word-for-word translator (a real,
deterministic SentenceTranslator) that can mistreat placeholders and numbers
on purpose, so that each fallback is exercised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.enforce import EnforcedSentence, Enforcer, count_span
from glossary.store import Glossary, GlossaryEntry
from translate.placeholders import PLACEHOLDER_PATTERN

WORDS = {
    "de": "the",
    "het": "the",
    "klik": "click",
    "hier": "here",
    "om": "at",
    "kost": "costs",
    "euro": "euros",
    "trein": "train",
    "vertrekt": "leaves",
    "wil": "wants",
    "praten": "talk",
    "is": "is",
    "top": "summit",
    "morgen": "tomorrow",
    "rusland": "russia",
    "en": "and",
    "vragende": "asking",
    "partij": "party",
}

GLOSSARY = Glossary(
    [
        GlossaryEntry("NAVO", "NATO", flags=("no-article",)),
        GlossaryEntry("vragende partij", "asking party"),
    ]
)


class Translator:
    """Word for word; ``fate`` says what happens to placeholders, ``digits`` to numbers."""

    def __init__(self, placeholders: bool, fate: str = "copy", digits: str = "keep") -> None:
        self.supports_placeholders = placeholders
        self.fate = fate  # copy | drop | swap | double
        self.digits = digits  # keep | squash (3,7 -> 37, as the small model does) | drop

    def translate_sentences(self, sentences: Sequence[str]) -> list[str]:
        return [self._one(s) for s in sentences]

    def _one(self, sentence: str) -> str:
        tokens = sentence.rstrip(".").split()
        if self.fate == "swap":
            found = [i for i, t in enumerate(tokens) if PLACEHOLDER_PATTERN.fullmatch(t)]
            if len(found) >= 2:
                a, b = found[0], found[-1]
                tokens[a], tokens[b] = tokens[b], tokens[a]
        out = []
        for token in tokens:
            if PLACEHOLDER_PATTERN.fullmatch(token):
                if self.fate == "drop":
                    continue
                if self.fate == "double":
                    out.append(token)
            elif self.digits != "keep" and any(c.isdigit() for c in token):
                if self.digits == "drop":
                    continue
                token = re.sub(r"[.,]", "", token)
            out.append(WORDS.get(token.lower(), token))
        text = " ".join(out)
        return text[:1].upper() + text[1:] + ("." if sentence.endswith(".") else "")


def _one(
    translator: Translator, sentence: str, glossary: Glossary | None = None
) -> EnforcedSentence:
    return Enforcer(glossary).enforce([sentence], translator)[0]


def test_spans_are_restored_verbatim_and_converted() -> None:
    result = _one(Translator(True), "Het kost 3,7 miljard euro om 14.35 uur.")
    assert result.output == "The costs 3.7 billion euros at 14:35."
    assert [(s.target, s.method, s.verified) for s in result.spans] == [
        ("3.7 billion", "placeholder", True),
        ("14:35", "placeholder", True),
    ]
    # never capitalised, even at the start of the sentence
    assert _one(Translator(True), "{naam} wil praten.").output == "{naam} wants talk."


def test_tags_keep_their_spacing_pairing_and_order() -> None:
    assert _one(Translator(True), "Klik <b>hier</b>.").output == "Click <b>here</b>."
    swapped = _one(Translator(True, fate="swap"), "Klik <b>hier</b>.")
    assert swapped.output == "Click <b>here</b>."
    assert all(s.verified for s in swapped.spans)


def test_models_without_placeholders_get_their_numbers_fixed() -> None:
    translator = Translator(False, digits="squash")
    result = _one(translator, "Het kost 3,7 miljard euro.")
    assert result.output == "The costs 3.7 billion miljard euros."
    assert [s.method for s in result.spans] == ["substituted"]


def test_constrained_decoding_places_what_cannot_be_found() -> None:
    class Constrained(Translator):
        def translate_with_prefixes(
            self, sentences: Sequence[str], prefixes: list[str]
        ) -> list[str]:
            return [
                p + " " + self._one(s).split(" ", 2)[-1]
                for s, p in zip(sentences, prefixes, strict=True)
            ]

    result = _one(Constrained(False, digits="drop"), "Bel 020-1234567 nu.")
    assert count_span(result.output, "020-1234567") == 1
    assert [s.method for s in result.spans] == ["prefix"]


def test_lost_and_doubled_spans_are_repaired_never_dropped() -> None:
    lost = _one(Translator(True, fate="drop"), "De trein vertrekt om 14.35 uur.")
    assert count_span(lost.output, "14:35") == 1
    assert [s.method for s in lost.spans] == ["inserted"]
    doubled = _one(Translator(True, fate="double"), "Het kost €5,50.")
    assert doubled.output == "The costs €5.50."


def test_compound_part_is_asked_of_the_model_and_verified() -> None:
    class DropsTheTail(Translator):
        def _one(self, sentence: str) -> str:
            return super()._one(sentence.replace("｟1｠ top", "｟1｠"))

    result = _one(DropsTheTail(True), "De NAVO-top is morgen.", GLOSSARY)
    assert result.output == "The NATO summit is tomorrow."
    term = result.terms[0]
    assert (term.target, term.compound, term.verified) == ("NATO", "NATO summit", True)


def test_predicative_term_gets_an_article_and_no_article_term_none() -> None:
    result = _one(Translator(True), "Rusland is vragende partij.", GLOSSARY)
    assert result.output == "Russia is the asking party."
    result = _one(Translator(True), "De NAVO wil praten.", GLOSSARY)
    assert result.output == "NATO wants talk."


def test_errors_of_the_translator_are_not_swallowed() -> None:
    class Broken(Translator):
        def translate_with_prefixes(self, sentences: Sequence[str], prefixes: object) -> list[str]:
            raise TypeError("a bug, not a missing feature")

    with pytest.raises(TypeError, match="a bug"):
        _one(Broken(False, digits="drop"), "Bel 020-1234567 nu.")


NUMBERS = st.sampled_from(["3,7", "1.250.000", "14.35 uur", "€5,50", "12,5%", "2-1", "1987"])


@settings(max_examples=40, deadline=None)
@given(
    numbers=st.lists(NUMBERS, min_size=1, max_size=4),
    fate=st.sampled_from(["copy", "drop", "swap", "double"]),
    placeholders=st.booleans(),
)
def test_every_span_ends_up_in_the_output_exactly_once(
    numbers: list[str], fate: str, placeholders: bool
) -> None:
    sentence = "De trein " + " en ".join(numbers) + " vertrekt."
    translator = Translator(placeholders, fate=fate, digits="squash")
    result = Enforcer(None).enforce([sentence], translator)[0]
    for span in result.spans:
        wanted = sum(1 for other in result.spans if other.target == span.target)
        assert count_span(result.output, span.target) == wanted, result.output
        assert span.verified
