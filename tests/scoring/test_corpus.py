"""Corpus discovery and alignment checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.errors import ScoringError
from translate.scoring.corpus import available_corpora, load_corpus

from .conftest import NOS, write_corpus


def test_default_corpus_is_the_nos_article() -> None:
    corpus = load_corpus(None)
    assert corpus.name == "nos-article"
    assert len(corpus.segments) == 13
    assert [path.name for path in corpus.reference_paths] == ["ref-a.en.txt", "ref-b.en.txt"]
    assert corpus.reference_names == ["a", "b"]
    assert all(len(stream) == 13 for stream in corpus.references)
    # the document keeps its paragraph layout; segments are its non-empty lines
    assert "\n\n" in corpus.source_text
    assert corpus.segments[0].startswith("Kremlin: Rusland")


def test_corpus_by_path_and_by_source_file(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "mini", ["Hallo.", "Dag."], {"x": ["Hello.", "Bye."]})
    assert load_corpus(root).segments == ("Hallo.", "Dag.")
    assert load_corpus(root / "source.nl.txt").name == "mini"


def test_corpora_are_found_by_name_in_env_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "extra" / "mini", ["Hallo."], {"a": ["Hello."]})
    monkeypatch.setenv("VERTAAL_CORPORA", str(tmp_path / "extra"))
    monkeypatch.chdir(tmp_path)
    assert set(available_corpora()) >= {"mini", "nos-article"}
    assert load_corpus("mini").references == (("Hello.",),)


def test_unknown_corpus_lists_the_available_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        ScoringError, match=r"no corpus named or at 'nope' \(available: .*nos-article"
    ):
        load_corpus("nope")


def test_misaligned_reference_names_file_and_line(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "bad", ["Een.", "Twee.", "Drie."], {"a": ["One.", "Two."]})
    with pytest.raises(ScoringError) as caught:
        load_corpus(root)
    message = caught.value.message
    assert message.startswith(f"{root / 'ref-a.en.txt'}:2: reference has 2 lines but ")
    assert "has 3 non-empty lines" in message and "\n" not in message


def test_blank_line_inside_reference_is_rejected(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "bad", ["Een.", "Twee."], {"a": ["One.", "", "Two."]})
    with pytest.raises(ScoringError, match=r"ref-a\.en\.txt:2: blank line in reference"):
        load_corpus(root)


def test_corpus_without_references(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "bare", ["Een."], {})
    with pytest.raises(ScoringError, match="corpus has no references"):
        load_corpus(root)


def test_shipped_references_are_aligned_line_by_line() -> None:
    # every reference line translates its source line: names in the line must agree
    corpus = load_corpus(NOS)
    for number, (source, a, b) in enumerate(
        zip(corpus.segments, *corpus.references, strict=True), 1
    ):
        for name in ("Rutte", "Peskov", "NIS", "Zelensky", "Washington", "Odesa"):
            assert (name in source) == (name in a) == (name in b), (number, name)
