"""Length ratio and untranslated-line detection."""

from __future__ import annotations

from translate.scoring.quality import length_stats, line_flags, untranslated_reason


def test_copy_of_the_source_is_untranslated() -> None:
    source = "De NAVO-top begint morgen in Brussel."
    assert untranslated_reason(source, "  de navo-top begint  morgen in Brussel. ") == (
        "identical to the source"
    )


def test_mostly_dutch_output_is_untranslated() -> None:
    reason = untranslated_reason(None, "Het kabinet wil dat er meer geld naar defensie gaat.")
    assert reason is not None and reason.startswith("mostly Dutch")


def test_english_with_dutch_names_is_fine() -> None:
    assert untranslated_reason("Rutte in Den Haag.", "Rutte in The Hague.") is None
    assert untranslated_reason(None, "Minister De Jonge spoke in Den Haag on Monday.") is None
    assert untranslated_reason("NAVO", "NAVO") is None  # a one-word name may stay as is


def test_flags_short_long_and_untranslated_lines_in_order() -> None:
    hypotheses = [
        "Yes.",
        "This is a fine translation of the line.",
        "De oorlog gaat door in het oosten.",
    ]
    references = [
        ["Russia says it is not the asking party."],
        ["This is a good translation of the line."],
        ["The war continues in the east."],
    ]
    streams = [[ref[0] for ref in references]]
    flags = line_flags(hypotheses, streams)
    assert [(flag.line, flag.kind) for flag in flags] == [(1, "short"), (3, "untranslated")]


def test_length_ratio_uses_the_mean_of_the_references() -> None:
    stats = length_stats(["a b c d"], [["a b"], ["a b c d e f"]])
    assert stats.reference_words == 4 and stats.ratio == 1.0
