"""Enforcement logic: masking, restoring, substitution and fallbacks.

These tests drive the enforcer with a small word-for-word translator (a real
implementation of the SentenceTranslator protocol, deterministic and fast) so
that every fallback path is exercised on purpose; the bundled model is tested
in test_glossary_model.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.enforce import (
    Enforcer,
    build_enforcer,
    count_target,
    cut_placeholder_loop,
    mask,
    restore,
    restore_partial,
    substitute,
    unmask,
)
from glossary.match import find_terms
from glossary.store import Glossary, GlossaryEntry, default_glossary_path, load_glossary
from translate.placeholders import PLACEHOLDER_PATTERN

WORDS = {
    "de": "the",
    "het": "the",
    "een": "a",
    "vragende": "questioning",
    "partij": "party",
    "partijen": "parties",
    "navo": "alliance",
    "navo-top": "alliance summit",
    "top": "summit",
    "is": "is",
    "geen": "no",
    "rusland": "russia",
    "in": "in",
    "den": "den",
    "haag": "haag",
    "wil": "wants",
    "praten": "talk",
}


class WordTranslator:
    """Translates word by word from a dictionary; optionally mistreats placeholders."""

    def __init__(self, supports_placeholders: bool, placeholder_fate: str = "copy") -> None:
        self.supports_placeholders = supports_placeholders
        self.placeholder_fate = placeholder_fate  # copy | drop | double
        self.calls: list[list[str]] = []

    def translate_sentences(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(list(sentences))
        return [self._one(s) for s in sentences]

    def _one(self, sentence: str) -> str:
        out = []
        for word in sentence.rstrip(".").split():
            if PLACEHOLDER_PATTERN.fullmatch(word.split("-")[0]):
                if self.placeholder_fate == "drop":
                    continue
                if self.placeholder_fate == "double":
                    out.append(word)
                out.append(word.replace("-top", " summit"))
                continue
            out.append(WORDS.get(word.lower(), word))
        text = " ".join(out)
        text = text[:1].upper() + text[1:]
        return text + ("." if sentence.endswith(".") else "")


GLOSSARY = Glossary(
    [
        GlossaryEntry("vragende partij", "asking party"),
        GlossaryEntry("NAVO", "NATO", flags=("no-article",)),
        GlossaryEntry("Den Haag", "The Hague"),
        GlossaryEntry("NIS", "NIS", flags=("no-translate", "case-sensitive")),
    ]
)


def _enforce(translator: WordTranslator, *sentences: str, strategy: str = "auto") -> list[str]:
    results = Enforcer(GLOSSARY, strategy=strategy).enforce(list(sentences), translator)
    for result in results:
        assert result.verified, result
    return [r.output for r in results]


def test_placeholders_give_targets_articles_and_capitals() -> None:
    outputs = _enforce(
        WordTranslator(True),
        "Rusland is geen vragende partij.",
        "De vragende partij wil praten.",
        "Vragende partijen wil praten.",
        "Een vragende partij in Den Haag.",
        "De NAVO-top in de Den Haag.",
        "Rusland wil praten met de NAVO.",
        "De NAVO wil praten.",
        "Het is.",
    )
    assert outputs == [
        "Russia is no asking party.",
        "The asking party wants talk.",
        "Asking parties wants talk.",
        "An asking party in The Hague.",
        "The NATO summit in The Hague.",
        "Russia wants talk met NATO.",
        "NATO wants talk.",
        "The is.",
    ]


def test_doubled_placeholder_is_not_duplicated() -> None:
    results = Enforcer(GLOSSARY).enforce(
        ["De vragende partij wil praten."], WordTranslator(True, placeholder_fate="double")
    )
    assert results[0].output == "The asking party wants talk."
    assert [t.method for t in results[0].terms] == ["placeholder"]


def test_lost_placeholder_is_inserted_at_the_aligned_position() -> None:
    results = Enforcer(GLOSSARY).enforce(
        ["De vragende partij wil praten.", "Rusland wil praten met de NAVO in Den Haag."],
        WordTranslator(True, placeholder_fate="drop"),
    )
    assert results[0].output == "The asking party wants talk."
    # nothing the model wrote is lost, the terms are added around it
    assert results[1].output.split() == [
        "Russia",
        "wants",
        "talk",
        "NATO",
        "met",
        "The",
        "Hague",
        "the",
        "in.",
    ]
    assert all(t.method == "inserted" and t.verified for r in results for t in r.terms)


def test_models_without_placeholders_get_substitution() -> None:
    translator = WordTranslator(False)
    results = Enforcer(GLOSSARY).enforce(
        ["Rusland is geen vragende partij.", "De NAVO wil praten.", "Het is."], translator
    )
    assert [r.output for r in results] == [
        "Russia is no asking party.",
        "NATO wants talk.",  # a no-article term never gets "the" (issue 12)
        "The is.",
    ]
    assert not any(PLACEHOLDER_PATTERN.search(s) for call in translator.calls for s in call)
    assert [[t.method for t in r.terms] for r in results] == [["substituted"], ["substituted"], []]


def test_terms_already_right_are_kept_as_present() -> None:
    results = Enforcer(GLOSSARY).enforce(["Volgens de NIS."], WordTranslator(False))
    assert results[0].output == "Volgens the NIS."
    assert [(t.method, t.verified) for t in results[0].terms] == [("present", True)]


def test_unfindable_rendering_is_inserted_not_dropped() -> None:
    glossary = Glossary([GlossaryEntry("praten", "negotiate")])
    translator = WordTranslator(False)
    WORDS_BEFORE = dict(WORDS)
    try:
        WORDS["praten"] = "xyzzy"  # the alone-rendering differs from nothing in the output
        results = Enforcer(glossary).enforce(["Rusland wil praten"], translator)
    finally:
        WORDS.clear()
        WORDS.update(WORDS_BEFORE)
    assert "negotiate" in results[0].output and results[0].verified


def test_hybrid_translates_plainly_first() -> None:
    translator = WordTranslator(True)
    outputs = _enforce(translator, "Volgens de NIS.", "De vragende partij.", strategy="hybrid")
    assert outputs == ["Volgens the NIS.", "The asking party."]
    assert len(translator.calls) == 2  # plain pass, then masked pass for the one that missed


def test_summary_line() -> None:
    results = Enforcer(GLOSSARY).enforce(["De NAVO wil praten.", "Het is."], WordTranslator(True))
    line = Enforcer.summary(results)
    assert line == "glossary: 1 terms in 1 of 2 sentences, 1 verified (1 placeholder)"
    assert "\n" not in line
    assert results[0].to_dict()["terms"][0]["verified"] is True


def test_restore_rejects_mangled_output() -> None:
    matches = find_terms("de NAVO en Den Haag", GLOSSARY)
    assert restore("the ｟1｠ and ｟2｠", matches) == "NATO and The Hague"  # no-article
    assert restore("the ｟1｠ and", matches) is None
    assert restore("the ｟1｠ ｟1｠ and ｟2｠", matches) is None
    assert restore("the ｟1｠ and ｟2｠ ｟3｠", matches) is None
    assert restore("the ｟1｠ and ｟2", matches) is None


def test_substitute_and_count() -> None:
    assert substitute(
        "Russia is the questioning party.", "The questioning party.", "asking party"
    ) == ("Russia is the asking party.")
    assert substitute("Questioning parties lose.", "questioning parties", "asking parties") == (
        "Asking parties lose."
    )
    assert substitute("Nothing here.", "questioning party", "asking party") is None
    assert count_target("NATO, NATO-led, NATOs", "NATO") == 2
    assert count_target("Asking party and the asking party", "asking party") == 2


def test_build_enforcer_merges_and_skips_empty(tmp_path: object) -> None:
    enforcer = build_enforcer([])
    assert enforcer is not None and any(e.source == "vragende partij" for e in enforcer.entries)
    assert build_enforcer([], use_default=False) is None
    assert all(not e.fuzzy for e in enforcer.entries)


_FILLER = st.text(alphabet="bcdfgxz ,;:0123456789", max_size=12)
_TERMS = st.sampled_from(["vragende partij", "NAVO", "Den Haag", "NIS", "vragende partijen"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TERMS, _FILLER), max_size=6), _FILLER)
def test_mask_and_restore_lose_no_text(parts: list[tuple[str, str]], tail: str) -> None:
    # source = filler term filler term ... with word boundaries around every term
    source = ""
    expected = ""
    fillers = []
    for term, filler in parts:
        gap = f" {filler} "
        fillers.append(gap)
        source += gap + term
        target = find_terms(term, GLOSSARY)[0].target
        expected += gap + target
    source += " " + tail
    expected += " " + tail
    matches = find_terms(source, GLOSSARY)
    assert [m.text for m in matches] == [term for term, _ in parts]
    masked = mask(source, matches)
    assert unmask(masked, matches) == source
    restored = restore(masked, matches)  # a model that copies the masked text
    assert restored is not None
    assert restored.casefold() == expected.casefold()  # only a target's first letter may change
    for gap in fillers:
        assert gap in restored
    for match in matches:
        assert count_target(restored, match.target) >= 1


def test_restore_partial_handles_glued_repeated_and_unknown_placeholders() -> None:
    matches = find_terms("de NAVO en Den Haag", GLOSSARY)
    assert restore_partial("the｟1｠ and ｟2｠systems", matches) == (
        "NATO and The Hague systems",
        {0, 1},
    )
    assert restore_partial("｟1｠ and ｟1｠ and ｟7｠ ｟2｠.", matches) == (
        "NATO and and The Hague.",
        {0, 1},
    )
    assert restore_partial("｟1｠ met ｟2", matches) == ("NATO met", {0})
    assert restore_partial("｟1｠:｟2｠ talks with the ｟3｠, in ｟1｠.", matches) == (
        "NATO: The Hague talks with, in.",
        {0, 1},
    )


def test_placeholder_loops_are_cut() -> None:
    loop = (
        "｟1｠:｟2｠ isn't a ｟3｠ in talks with the ｟4｠ in with the ｟4｠ with the ｟4｠, ｟4｠."
    )
    assert (
        cut_placeholder_loop(loop, "Kremlin: bla")
        == "｟1｠:｟2｠ isn't a ｟3｠ in talks with the ｟4｠"
    )
    assert (
        cut_placeholder_loop(loop, "bla bla.")
        == "｟1｠:｟2｠ isn't a ｟3｠ in talks with the ｟4｠."
    )
    # twice is not a loop; a placeholder only after the loop's start keeps the output whole
    assert cut_placeholder_loop("｟1｠ and ｟1｠.", "x.") == "｟1｠ and ｟1｠."
    kept = "｟1｠ ｟1｠ ｟1｠ and ｟2｠."
    assert cut_placeholder_loop(kept, "x.") == kept


def test_split_compounds_mask() -> None:
    matches = find_terms("De NAVO-top en de NAVO", GLOSSARY)
    text = "De NAVO-top en de NAVO"
    assert mask(text, matches, split_compounds=False) == "De ｟1｠-top en de ｟2｠"
    assert mask(text, matches) == "De ｟1｠ top en de ｟2｠"
    news = load_glossary(default_glossary_path())
    text = "Navo-secretaris-generaal en luchtafweersystemen"
    assert (
        mask(text, find_terms(text, news), split_compounds=False) == "｟1｠ ｟2｠ en ｟3｠ systemen"
    )
