"""Corpus reading, cleaning and augmentation."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.errors import TrainingError
from translate.placeholders import PLACEHOLDER_PATTERN
from translate.training.config import AugmentConfig
from translate.training.corpus import (
    NOUN_PAIRS,
    aligned_spans,
    build_training_pairs,
    choose_placeholders,
    clean_pairs,
    concatenate,
    mask_with_placeholders,
    read_parallel,
    replace_names,
)

from .conftest import synthetic_pairs

NAME = st.sampled_from(
    ["Tom", "Maria", "NAVO", "Amsterdam", "Van", "Kim", "2020", "B52", "Jong-un"]
)
DUTCH = st.sampled_from(["ziet", "de", "hond", "is", "in", "met", "niet", "huis", "van"])
ENGLISH = st.sampled_from(["sees", "the", "dog", "is", "in", "with", "not", "house", "of"])


@st.composite
def name_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Sentences sharing some names, with words around them."""
    names = draw(st.lists(NAME, min_size=0, max_size=4))
    source_words: list[str] = []
    target_words: list[str] = []
    for name in names:
        source_words += [*draw(st.lists(DUTCH, max_size=3)), name]
        target_words += [name, *draw(st.lists(ENGLISH, max_size=3))]
    source_words += draw(st.lists(DUTCH, max_size=3))
    target_words += draw(st.lists(ENGLISH, max_size=3))
    end = draw(st.sampled_from([".", "?", "!", ""]))
    return " ".join(source_words) + end, " ".join(target_words) + end


@settings(max_examples=300, deadline=None)
@given(pair=name_pairs(), seed=st.integers(0, 2**32 - 1), shuffle=st.floats(0, 1))
def test_placeholders_agree_on_both_sides(pair: tuple[str, str], seed: int, shuffle: float) -> None:
    masked = mask_with_placeholders(pair, random.Random(seed), shuffle)
    if masked is None:
        assert aligned_spans(*pair) == []
        return
    source, target = masked
    source_ids = PLACEHOLDER_PATTERN.findall(source)
    target_ids = PLACEHOLDER_PATTERN.findall(target)
    assert source_ids, "a masked pair has at least one placeholder"
    # every placeholder in the source occurs exactly once in the target
    assert Counter(source_ids) == Counter(target_ids)
    assert max(Counter(source_ids).values()) == 1
    # nothing lost but the replaced spans: putting each span back gives the originals,
    # and each placeholder stands for the same name (or a dictionary noun pair)
    chosen = choose_placeholders(pair, random.Random(seed), shuffle)
    for side, original, on_source in ((source, pair[0], True), (target, pair[1], False)):
        rebuilt = side
        for span, token in chosen:
            start, end = (
                (span.source_start, span.source_end)
                if on_source
                else (span.target_start, span.target_end)
            )
            rebuilt = rebuilt.replace(token, original[start:end])
        assert rebuilt == original
    for span, _ in chosen:
        dutch = pair[0][span.source_start : span.source_end]
        english = pair[1][span.target_start : span.target_end]
        assert english in (dutch, NOUN_PAIRS.get(dutch))


def test_sequential_numbers_follow_source_order() -> None:
    pair = ("Tom en Maria wonen in Amsterdam.", "Tom and Maria live in Amsterdam.")
    masked = mask_with_placeholders(pair, random.Random(3), shuffle_share=0.0)
    assert masked is not None
    numbers = [int(n) for n in PLACEHOLDER_PATTERN.findall(masked[0])]
    assert numbers == list(range(1, len(numbers) + 1))


def test_shuffled_numbers_are_sometimes_out_of_order() -> None:
    pair = ("Tom en Maria wonen in Amsterdam.", "Tom and Maria live in Amsterdam.")
    firsts = set()
    for seed in range(40):
        masked = mask_with_placeholders(pair, random.Random(seed), shuffle_share=1.0)
        assert masked is not None
        firsts.add(PLACEHOLDER_PATTERN.findall(masked[0])[0])
    assert len(firsts) > 3


def test_aligned_spans_merge_multiword_names_and_skip_non_identical() -> None:
    source = "De NAVO vergaderde in New York op 12 mei."
    target = "NATO met in New York on 12 May."
    texts = [
        (source[s.source_start : s.source_end], target[s.target_start : s.target_end])
        for s in aligned_spans(source, target)
    ]
    assert ("New York", "New York") in texts
    assert ("12", "12") in texts
    assert all(a != "NAVO" for a, _ in texts)


def test_dictionary_nouns_align() -> None:
    spans = aligned_spans("Ik zie de hond.", "I see the dog.")
    assert [
        (
            "Ik zie de hond."[s.source_start : s.source_end],
            "I see the dog."[s.target_start : s.target_end],
        )
        for s in spans
    ] == [("hond", "dog")]


def test_replace_names_keeps_the_rest() -> None:
    pair = ("Tom woont in Pyongyang.", "Tom lives in Pyongyang.")
    renamed = replace_names(pair, random.Random(1))
    assert renamed is not None
    source, target = renamed
    assert source.endswith(".") and " woont in " in source and " lives in " in target
    assert "Tom" not in source and "Tom" not in target
    assert source.split(" woont in ")[0] == target.split(" lives in ")[0]


def test_concatenate_joins_two_to_four_pairs() -> None:
    pairs = [(f"zin {i}.", f"sentence {i}.") for i in range(10)]
    joined = concatenate(pairs, 50, 4, random.Random(0))
    assert len(joined) == 50
    for source, target in joined:
        assert 2 <= source.count(".") <= 4
        assert source.count(".") == target.count(".")


def test_build_training_pairs_is_reproducible_and_keeps_originals() -> None:
    pairs = synthetic_pairs()
    first = build_training_pairs(pairs, AugmentConfig(), seed=7)
    assert first == build_training_pairs(pairs, AugmentConfig(), seed=7)
    assert set(pairs) <= set(first)
    assert any(PLACEHOLDER_PATTERN.search(s) for s, _ in first)
    assert len(first) > len(pairs)


def test_clean_pairs_drops_empty_duplicate_mismatched_and_placeholder_pairs() -> None:
    pairs = [
        ("Hallo.", "Hello."),
        ("Hallo.", "Hello."),
        ("  Hallo   daar. ", "Hello  there."),
        ("", "Empty."),
        ("Kort.", "This English side is far far far too long for the Dutch one."),
        ("Zie ｟1｠.", "See ｟1｠."),
    ]
    assert clean_pairs(pairs) == [("Hallo.", "Hello."), ("Hallo daar.", "Hello there.")]


def test_read_parallel_tsv_and_aligned_files(tmp_path: Path) -> None:
    tsv = tmp_path / "c.tsv"
    tsv.write_text("Hallo.\tHello.\textra\nDag.\tBye.\n", encoding="utf-8")
    assert read_parallel(tsv) == [("Hallo.", "Hello."), ("Dag.", "Bye.")]
    nl, en = tmp_path / "c.nl", tmp_path / "c.en"
    nl.write_text("Hallo.\nDag.\n", encoding="utf-8")
    en.write_text("Hello.\nBye.\n", encoding="utf-8")
    assert read_parallel(nl, en) == [("Hallo.", "Hello."), ("Dag.", "Bye.")]


def test_read_parallel_errors_name_file_and_line(tmp_path: Path) -> None:
    tsv = tmp_path / "bad.tsv"
    tsv.write_text("Hallo.\tHello.\nno tab here\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=r"bad\.tsv:2: expected Dutch<TAB>English"):
        read_parallel(tsv)
    binary = tmp_path / "bin.tsv"
    binary.write_bytes(b"ok\tok\n\xff\xfe\n")
    with pytest.raises(TrainingError) as caught:
        read_parallel(binary)
    assert caught.value.message == (
        f"{binary}:2: not valid utf-8 (byte 0xff at byte offset 6); convert the file to UTF-8"
    )
    nl, en = tmp_path / "a.nl", tmp_path / "a.en"
    nl.write_text("a\nb\n", encoding="utf-8")
    en.write_text("a\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="has 1 lines but"):
        read_parallel(nl, en)
