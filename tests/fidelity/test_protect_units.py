"""Number, ordinal and month conversion, and the number check, on their own."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from translate.protect import (
    english_month,
    english_number,
    english_ordinal_suffix,
    find_spans,
    output_numbers,
    source_numbers,
)


@given(
    st.decimals(min_value=Decimal("1000"), max_value=Decimal("999999999"), places=2),
    st.sampled_from([0, 1, 2]),
)
def test_dutch_numbers_become_the_same_english_numbers(value: Decimal, decimals: int) -> None:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    dutch = format_decimal(value, format=pattern, locale="nl")
    english = format_decimal(value, format=pattern, locale="en")
    assert english_number(dutch) == english
    sentence = f"Het kost {dutch} euro."
    assert [span.target for span in find_spans(sentence)] == [english]
    # the number check sees the same value on both sides
    assert source_numbers(sentence) == output_numbers(f"It costs {english} euros.")


def test_integers_without_separators_stay_and_bad_groups_are_not_numbers() -> None:
    assert english_number("1500") == "1500" and english_number("007") == "007"
    assert english_number("1.5") is None  # not Dutch notation: left to the model
    assert find_spans("Versie 1.5 is uit.") == []


def test_ordinals_and_months() -> None:
    suffixes = {n: english_ordinal_suffix(str(n)) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)}
    assert suffixes == {
        1: "st", 2: "nd", 3: "rd", 4: "th", 11: "th", 12: "th", 13: "th",
        21: "st", 22: "nd", 101: "st",
    }  # fmt: skip
    months = "januari februari maart april mei juni juli augustus september oktober"
    assert [english_month(m) for m in months.split()][:3] == ["January", "February", "March"]
    assert english_month("December") == "December"


def test_spans_do_not_swallow_words_around_them() -> None:
    spans = find_spans("De COVID-19-pandemie trof 50-jarige mannen in 24/7 zorg (1894-1895).")
    assert [(s.text, s.kind) for s in spans] == [
        ("COVID-19", "code"),
        ("50", "number"),
        ("24/7", "number"),
        ("1894-1895", "number"),
    ]
    assert find_spans("Hij zei dat het mooi weer is.") == []
