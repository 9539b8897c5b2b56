"""Term accuracy: WMT21 exact match and the inflection-tolerant variant, on real PO glossaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.store import load_glossaries, load_glossary
from translate.scoring.terms import normalise_word, term_accuracy

from .conftest import GOLDEN

GLOSSARY = GOLDEN / "glossary.po"


def accuracy(sources: list[str], outputs: list[str]) -> tuple[list[tuple[str, bool, bool]], object]:
    result = term_accuracy(sources, outputs, load_glossary(GLOSSARY))
    return [(t.target, t.exact, t.inflected) for t in result.terms], result


def test_each_source_occurrence_expects_its_target() -> None:
    terms, result = accuracy(
        ["Rusland en de NAVO praten met Rusland."], ["Russia and NATO talk to the Russians."]
    )
    # two occurrences of Rusland need two occurrences of Russia
    assert terms == [("Russia", True, True), ("NATO", True, True), ("Russia", False, False)]
    assert result.exact_accuracy == pytest.approx(2 / 3)  # type: ignore[attr-defined]


def test_exact_match_is_case_insensitive_but_whole_word() -> None:
    terms, _ = accuracy(["De NAVO zegt het."], ["nato says so."])
    assert terms == [("NATO", True, True)]
    terms, _ = accuracy(["De NAVO zegt het."], ["The NATOs say so."])
    assert terms == [("NATO", False, True)]  # inside a longer word: not exact, but plural ok
    terms, _ = accuracy(["De NAVO zegt het."], ["SENATOR says so."])
    assert terms == [("NATO", False, False)]


def test_inflection_tolerant_accepts_plural_possessive_and_hyphen() -> None:
    sources = ["Een vragende partij.", "Een vragende partij.", "Een vragende partij.", "Poetin."]
    outputs = ["Two asking parties.", "The asking party's view.", "An asking-party.", "Putin's."]
    terms, result = accuracy(sources, outputs)
    assert [exact for _, exact, _ in terms] == [False, True, False, True]
    assert all(tolerant for _, _, tolerant in terms)
    assert result.inflected_accuracy == 1.0  # type: ignore[attr-defined]


def test_no_terms_gives_no_accuracy() -> None:
    _, result = accuracy(["Niets bijzonders hier."], ["Nothing special here."])
    assert result.total == 0 and result.exact_accuracy is None  # type: ignore[attr-defined]


def test_spans_point_into_source_and_output() -> None:
    result = term_accuracy(
        ["Volgens Poetin niet."], ["Not according to Putin."], load_glossary(GLOSSARY)
    )
    (term,) = result.terms
    assert "Volgens Poetin niet."[slice(*term.source_span)] == "Poetin"
    assert term.output_span is not None
    assert "Not according to Putin."[slice(*term.output_span)] == "Putin"


def test_default_and_extra_glossaries_are_merged(tmp_path: Path) -> None:
    extra = tmp_path / "extra.po"
    extra.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "NAVO"\nmsgstr "the Alliance"\n',
        encoding="utf-8",
    )
    glossary = load_glossaries([extra], default=True)
    label = glossary.label
    assert label.endswith("extra.po") and "news.nl-en.po" in label
    result = term_accuracy(["De NAVO en Rusland."], ["The Alliance and Russia."], glossary)
    # the later glossary wins for NAVO; Rusland still comes from the default glossary
    assert [(t.target, t.exact) for t in result.terms] == [("the Alliance", True), ("Russia", True)]


@given(st.sampled_from(["party", "system", "defence", "ally", "country", "attack", "talk"]))
def test_regular_inflections_normalise_to_the_base(word: str) -> None:
    plural = word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"
    assert normalise_word(plural) == normalise_word(word)
    assert normalise_word(word + "'s") == normalise_word(word)
    assert normalise_word(word.upper()) == normalise_word(word)


def test_different_words_stay_different() -> None:
    assert normalise_word("war") != normalise_word("ward")
    assert normalise_word("NATO") != normalise_word("nation")
