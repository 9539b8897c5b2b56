"""Dutch sentence splitting and exact layout reconstruction."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from translate.segment import segment, sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"Het Kremlin ziet ... oorlog. Dat is ..."',
            ['"Het Kremlin ziet ... oorlog.', 'Dat is ..."'],
        ),
        (
            "Dit is o.a. bekend. Ook dhr. Jansen en mevr. De Vries kwamen.",
            ["Dit is o.a. bekend.", "Ook dhr. Jansen en mevr. De Vries kwamen."],
        ),
        (
            "J.F. Kennedy werd in 1963 vermoord. W. Alexander is koning.",
            ["J.F. Kennedy werd in 1963 vermoord.", "W. Alexander is koning."],
        ),
        (
            "Het kost 3.5 euro, ca. 1.000 stuks. Zie nr. 5 en blz. 12. Dat is alles!",
            ["Het kost 3.5 euro, ca. 1.000 stuks.", "Zie nr. 5 en blz. 12.", "Dat is alles!"],
        ),
        (
            "Hij wachtte... Toen kwam ze. Waarom? Omdat het kon.",
            ["Hij wachtte...", "Toen kwam ze.", "Waarom?", "Omdat het kon."],
        ),
        (
            "Appels, peren enz. Daarna kwam de rest. 's Avonds gingen we weg.",
            ["Appels, peren enz.", "Daarna kwam de rest.", "'s Avonds gingen we weg."],
        ),
        (
            "Gebruik bijv. dit i.p.v. dat. (Zie hieronder.) Klaar.",
            ["Gebruik bijv. dit i.p.v. dat.", "(Zie hieronder.)", "Klaar."],
        ),
        (
            'Hij zei: "Ik kom." Daarna ging hij. "Kom je?", vroeg ze. "Ja!" riep hij.',
            ['Hij zei: "Ik kom."', "Daarna ging hij.", '"Kom je?", vroeg ze.', '"Ja!" riep hij.'],
        ),
        ("1. De eerste stap is klaar.", ["1. De eerste stap is klaar."]),
        ("Geen punt aan het eind", ["Geen punt aan het eind"]),
        (
            "Zie www.nos.nl of mail info@nos.nl. Dank u.",
            ["Zie www.nos.nl of mail info@nos.nl.", "Dank u."],
        ),
    ],
)
def test_dutch_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_lines_and_whitespace_go_to_separators() -> None:
    text = "  Hallo wereld. Dag!\n\n\tTweede regel.  \r\n"
    result = segment(text)
    assert result.sentences == ["Hallo wereld.", "Dag!", "Tweede regel."]
    assert result.separators == ["  ", " ", "\n\n\t", "  \r\n"]
    assert result.join(["A.", "B!", "C."]) == "  A. B!\n\n\tC.  \r\n"


def test_sentences_never_cross_lines() -> None:
    assert split_sentences("een zin zonder punt\nnog een") == ["een zin zonder punt", "nog een"]


def test_outputs_with_line_breaks_stay_on_one_line() -> None:
    result = segment("Eerste.\nTweede.")
    assert result.join(["One\nline", "Two"]) == "One line\nTwo"


def test_join_needs_one_output_per_sentence() -> None:
    with pytest.raises(ValueError, match="expected 2 outputs"):
        segment("Een. Twee.").join(["x"])


def test_blank_document_has_no_sentences() -> None:
    result = segment(" \n\n \t")
    assert result.sentences == []
    assert result.join([]) == " \n\n \t"


# text built from the characters the splitter cares about, so boundaries are exercised
_ALPHABET = st.sampled_from(
    [*"aAbZéÉ019 .!?…,;:'\"“”()[]«»-\n\t\r", "o.a.", "J.F.", "...", "enz.", "'s ", "\xa0"]
)
_TEXT = st.lists(_ALPHABET, max_size=80).map("".join) | st.text(max_size=80)


@given(_TEXT)
@settings(max_examples=400, deadline=None)
@example('"Het Kremlin ziet ... oorlog. Dat is ..."')
@example("a. \n\nB. ")
def test_joining_sentences_and_separators_gives_the_input_back(text: str) -> None:
    result = segment(text)
    assert len(result.separators) == len(result.sentences) + 1
    assert result.join(result.sentences) == text
    for sentence in result.sentences:
        assert sentence, "no empty sentences"
        assert sentence == sentence.strip(), "sentences carry no surrounding whitespace"
        assert "\n" not in sentence


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_every_nonblank_line_keeps_its_place(text: str) -> None:
    # translating every sentence to "X" keeps lines, blank lines and indentation
    result = segment(text)
    output = result.join(["X"] * len(result.sentences))
    assert output.count("\n") == text.count("\n")
    for before, after in zip(text.split("\n"), output.split("\n"), strict=True):
        assert bool(before.strip()) == bool(after.strip())
        assert (
            after[: len(after) - len(after.lstrip())]
            == before[: len(before) - len(before.lstrip())]
        )


@given(st.text(max_size=60).filter(lambda s: "\n" not in s))
@settings(max_examples=200, deadline=None)
def test_spans_are_ordered_and_disjoint(line: str) -> None:
    spans = sentence_spans(line)
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(line)
        position = end
