"""Names copied through placeholders: which words are names, and how the enforcer keeps them."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.enforce import Enforcer
from glossary.names import NameFinder, dutch_exonyms
from translate.engine import Engine, EngineOptions
from translate.packages import bundled_package
from translate.protect import NAME

from .test_enforce_spans import Translator


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder.shipped()


def _names(finder: NameFinder, sentence: str) -> list[str]:
    return [span.text for span in finder.find(sentence)]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "De demonstranten liepen van Trafalgar Square naar Whitehall.",
            ["Trafalgar Square", "Whitehall"],
        ),
        ("Gisteren scoorde Ovechkin twee keer.", ["Ovechkin"]),
        ("Volgens Peskov en Raonic niet.", ["Peskov", "Raonic"]),
        # the first word of a sentence, or after a colon or quote, says nothing
        ("Trafalgar is een plein.", []),
        ('Hij zei: Whitehall is dicht. "Holborn ook."', []),
        # Dutch words and Dutch spellings of places and peoples
        ("De Kamer sprak over Moskou en de Bulgaarse regering in Slowakije.", []),
        ("Zij reisde naar Tsjaad en Kenia via Lissabon en Straatsburg.", []),
        ("Een Duitser, een Fransman en de Oeigoerse minderheid met Pinksteren.", []),
        # capitals, hyphens, apostrophes and compounds ending in a Dutch word
        ("De NAVO en de Ghraib-gevangenis, Emmy's en de Gravelkoning.", []),
    ],
)
def test_names_and_what_is_left_to_the_model(
    finder: NameFinder, sentence: str, names: list[str]
) -> None:
    assert _names(finder, sentence) == names


def test_no_dutch_country_name_that_english_spells_otherwise_is_copied(
    finder: NameFinder,
) -> None:
    from babel import Locale

    english = Locale("en").territories
    copied = [
        word
        for code, dutch in Locale("nl").territories.items()
        if dutch != english.get(code)
        for word in dutch.split()
        if word not in english.get(code, "") and finder.is_name(word)
    ]
    assert copied == []
    assert {"moskou", "lissabon", "verenigde"} <= dutch_exonyms()


@given(
    st.lists(
        st.sampled_from(["de", "Trafalgar", "Square", "naar", "Kamer", ",", "Ovechkin", "'s", "."]),
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=3),
)
@settings(max_examples=200, deadline=None)
def test_name_spans_are_exact_ordered_and_avoid_what_is_taken(
    finder: NameFinder, words: list[str], taken: list[tuple[int, int]]
) -> None:
    sentence = "Zo " + " ".join(words)
    ranges = [(start, start + length) for start, length in taken]
    spans = finder.find(sentence, ranges)
    for span in spans:
        assert span.kind == NAME and span.text == span.target == sentence[span.start : span.end]
        assert all(span.end <= start or span.start >= end for start, end in ranges)
    assert all(a.end < b.start for a, b in itertools.pairwise(spans))


def test_a_name_goes_through_its_placeholder() -> None:
    result = Enforcer(None).enforce(["Morgen praten Ovechkin en Rusland."], Translator(True))[0]
    assert result.output == "Tomorrow talk Ovechkin and russia."
    assert [(s.text, s.kind, s.method, s.verified) for s in result.spans] == [
        ("Ovechkin", NAME, "placeholder", True)
    ]


class Misspelling(Translator):
    """Drops every placeholder and misspells the name, as a small model does."""

    def _one(self, sentence: str) -> str:
        return super()._one(sentence).replace("Ovechkin", "Ovekinchkin")


def test_a_lost_name_leaves_the_sentence_to_the_model() -> None:
    # the name is not forced in where the model lost it: the sentence is
    # translated as without name protection (numbers still kept)
    sentence = "Morgen praten Ovechkin en Rusland om 14.35 uur."
    dropping = Misspelling(True, fate="drop")
    with_names = Enforcer(None).enforce([sentence], dropping)[0]
    without = Enforcer(None, names=False).enforce([sentence], dropping)[0]
    assert with_names == without
    assert [s.kind for s in with_names.spans] == ["time"]
    assert "Ovekinchkin" in with_names.output
    # where the model copies the name itself, it is there all the same
    copied = Enforcer(None).enforce([sentence], Translator(True, fate="drop"))[0]
    assert "Ovechkin" in copied.output
    assert [s.kind for s in copied.spans] == ["time"]
    # a translator without placeholders never gets names to copy
    plain = Enforcer(None).enforce([sentence], Translator(False))[0]
    assert [s.kind for s in plain.spans] == ["time"]


def test_names_are_part_of_the_cache_identity_and_of_protection() -> None:
    assert Enforcer(None).version != Enforcer(None, names=False).version
    assert not Enforcer(None, protect=False).names


def test_the_bundled_model_keeps_names_it_would_misspell() -> None:
    engine = Engine.load(bundled_package(), EngineOptions(beam_size=2))
    sentence = "De demonstranten liepen van Trafalgar Square naar Whitehall."
    kept = Enforcer(None).enforce([sentence], engine)[0]
    assert "Trafalgar Square" in kept.output and "Whitehall" in kept.output
    assert {s.kind for s in kept.spans} == {NAME}
