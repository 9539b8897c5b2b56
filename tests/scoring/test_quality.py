"""Length ratio and untranslated-line detection."""

from __future__ import annotations

from translate.scoring.quality import (
    SegmentFlag,
    flag_summary,
    length_stats,
    line_flags,
    number_problem,
    repetition,
    segment_flags,
    untranslated_reason,
)


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


# -- per-segment flags (no reference) -------------------------------------------------


def test_changed_and_missing_numbers_are_flagged_by_value() -> None:
    source = "De trein vertrekt om 14.35 uur van spoor 7 en kost €3,50."
    assert (
        number_problem(source, "The train leaves at 14:35 from platform 7 and costs €3.50.") is None
    )
    assert number_problem(source, "It leaves at 2:35 pm from platform 7 for 3.50 euros.") == (
        "source number 14:35 not in the output"
    )
    flags = segment_flags("Er waren 1.250.000 mensen.", "There were 1.250.000 people.")
    assert [flag.name for flag in flags] == ["number"]
    assert segment_flags("Er waren 1.250.000 mensen.", "There were 1,250,000 people.") == []


def test_repetition_length_confidence_and_lost_spans() -> None:
    loop = "the summit the summit the summit the summit of the top"
    assert repetition(loop) is not None and repetition("The summit begins tomorrow.") is None
    names = [f.name for f in segment_flags("De top begint morgen.", loop, confidence=-3.0)]
    assert names == ["repetition", "length", "confidence"]

    class Lost:
        text, target, kind, verified = "F-16's", "F-16s", "code", False

    flags = segment_flags("Zij kopen F-16's.", "They buy F1-6.", spans=[Lost()])
    assert flags[0].name == "protected" and "F-16s" in flags[0].reason
    assert all(flag.to_dict().keys() == {"name", "reason"} for flag in flags)


def test_flag_summary_counts_sentences_per_flag() -> None:
    lists = [
        [SegmentFlag("number", "x")],
        [],
        [SegmentFlag("repetition", "y"), SegmentFlag("number", "z")],
    ]
    assert flag_summary(lists) == "flags: 2 of 3 sentences flagged: 2 number, 1 repetition"
    assert flag_summary([[], []]) == "flags: none of 2 sentences flagged"
