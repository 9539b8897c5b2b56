"""Term matching: longest match, boundaries, case, inflection, compounds, and their reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.match import english_plural, find_terms
from glossary.store import Glossary, GlossaryEntry, default_glossary_path, load_glossary

DATA = Path(__file__).parent / "data"


def _trap_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for line in (DATA / "traps.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        sentence, expected = line.split("\t")
        cases.append((sentence, [t for t in expected.split("|") if t]))
    return cases


NEWS = load_glossary(default_glossary_path())


@pytest.mark.parametrize(("sentence", "targets"), _trap_cases())
def test_trap_sentences_match_exactly_the_expected_terms(sentence: str, targets: list[str]) -> None:
    assert [m.target for m in find_terms(sentence, NEWS)] == targets


@pytest.mark.parametrize(
    ("text", "matched", "reason"),
    [
        ("de NAVO", "NAVO", "exact"),
        ("de Navo", "Navo", "case-folded"),
        ("de navo", "navo", "case-folded"),
        ("vragende partijen", "vragende partijen", "inflected (-en)"),
        ("Vragende partijen", "Vragende partijen", "inflected (-en), case-folded"),
        ("NAVO-chef Rutte", "NAVO", "compound-head"),
        ("Navo-top", "Navo", "case-folded, compound-head"),
        ("Poetins plan", "Poetins", "inflected (-s)"),
        ("Oekraïense", "Oekraïense", "inflected (-e)"),
        ("luchtafweersystemen", "luchtafweer", "closed-compound-head"),
        ("in Den\nHaag", "Den\nHaag", "exact"),
    ],
)
def test_reason_is_recorded(text: str, matched: str, reason: str) -> None:
    (match,) = find_terms(text, NEWS)
    assert (text[match.start : match.end], match.text, match.reason) == (matched, matched, reason)


def test_compound_tail_that_is_a_term_is_matched_too() -> None:
    matches = find_terms("Navo-secretaris-generaal Rutte", NEWS)
    assert [(m.text, m.reason) for m in matches] == [
        ("Navo", "case-folded, compound-head"),
        ("secretaris-generaal", "compound-tail"),
    ]
    # a tail alone, after a word that is not a term, is left to the model
    assert [m.text for m in find_terms("oud-secretaris-generaal", NEWS)] == []


def test_longest_match_wins_and_overlaps_are_dropped() -> None:
    glossary = Glossary(
        [
            GlossaryEntry("Naties", "Nations"),
            GlossaryEntry("Verenigde Naties", "United Nations"),
            GlossaryEntry("Verenigde", "United"),
        ]
    )
    matches = find_terms("De Verenigde Naties en de Naties", glossary)
    assert [(m.text, m.target) for m in matches] == [
        ("Verenigde Naties", "United Nations"),
        ("Naties", "Nations"),
    ]


def test_case_sensitive_and_short_acronyms() -> None:
    glossary = Glossary(
        [
            GlossaryEntry("VN", "UN"),
            GlossaryEntry("Westen", "West", flags=("case-sensitive",)),
            GlossaryEntry("NAVO", "NATO"),
        ]
    )
    assert [m.text for m in find_terms("VN vn Vn westen Westen WESTEN navo", glossary)] == [
        "VN",
        "Westen",
        "navo",
    ]


def test_no_compound_flag_refuses_compound_heads() -> None:
    glossary = Glossary([GlossaryEntry("top", "summit", flags=("no-compound",))])
    assert [m.text for m in find_terms("de top-ontmoeting en de top", glossary)] == ["top"]


def test_closed_compounds_need_the_flag_and_a_lowercase_tail() -> None:
    plain = Glossary([GlossaryEntry("luchtafweer", "air defence")])
    assert find_terms("luchtafweersystemen", plain) == []
    flagged = Glossary([GlossaryEntry("Kremlin", "Kremlin", flags=("closed-compound",))])
    assert [m.reason for m in find_terms("Kremlinwoordvoerder", flagged)] == [
        "closed-compound-head"
    ]
    assert find_terms("KremlinX Kremlinbo", flagged) == []


def test_fuzzy_entries_only_when_asked() -> None:
    glossary = Glossary([GlossaryEntry("wapenstilstand", "armistice", flags=("fuzzy",))])
    assert find_terms("een wapenstilstand", glossary) == []
    assert [m.target for m in find_terms("een wapenstilstand", glossary, include_fuzzy=True)] == [
        "armistice"
    ]


@pytest.mark.parametrize(
    ("dutch", "found", "target"),
    [
        ("de toppen", "toppen", "summits"),
        ("de talen", "talen", "languages"),
        ("de brieven", "brieven", "letters"),
        ("de huizen", "huizen", "houses"),
        ("de ministeries", "ministeries", "ministries"),
    ],
)
def test_dutch_plural_spelling_rules(dutch: str, found: str, target: str) -> None:
    glossary = Glossary(
        [
            GlossaryEntry("top", "summit"),
            GlossaryEntry("taal", "language"),
            GlossaryEntry("brief", "letter"),
            GlossaryEntry("huis", "house"),
            GlossaryEntry("ministerie", "ministry"),
        ]
    )
    (match,) = find_terms(dutch, glossary)
    assert (match.text, match.form, match.target) == (found, "plural", target)


def test_explicit_plural_flag_wins() -> None:
    glossary = Glossary([GlossaryEntry("persoon", "person", flags=("plural:people",))])
    assert [m.target for m in find_terms("drie personen", glossary)] == ["people"]


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("asking party", "asking parties"),
        ("ceasefire", "ceasefires"),
        ("intelligence service", "intelligence services"),
        ("box", "boxes"),
        ("day", "days"),
        ("NATO", "NATO"),
        ("House of Representatives", "House of Representatives"),
    ],
)
def test_english_plural(singular: str, plural: str) -> None:
    assert english_plural(singular) == plural
