"""The v2 recipe's parts on a tiny slice: warm start, format augmentation, reverse model,
tagged back-translation and the model card they produce (CPU, seconds)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.training.formats import format_copy

from .conftest import synthetic_pairs

pytest.importorskip("torch")


def corpus_folder(tmp_path: Path) -> Path:
    """The synthetic pairs as a public-domain corpus folder (named like the Bible corpus)."""
    folder = tmp_path / "data" / "bible"
    folder.mkdir(parents=True)
    pairs = synthetic_pairs()
    (folder / "bible.nl").write_text("".join(s + "\n" for s, _ in pairs), encoding="utf-8")
    (folder / "bible.en").write_text("".join(t + "\n" for _, t in pairs), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reverse_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny en→nl package trained through the CLI with --reverse."""
    tmp_path = tmp_path_factory.mktemp("reverse")
    folder = corpus_folder(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "models",
            "train",
            "--reverse",
            "--data",
            str(folder),
            "--tiny",
            "--max-steps",
            "150",
            "--run-dir",
            str(tmp_path / "run"),
            "--bundle",
            str(tmp_path / "en_nl"),
            "-o",
            str(tmp_path / "en_nl.argosmodel"),
            "--threads",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "en_nl"


def test_reverse_package_says_english_to_dutch(reverse_package: Path) -> None:
    metadata = json.loads((reverse_package / "metadata.json").read_text(encoding="utf-8"))
    assert (metadata["from_code"], metadata["to_code"]) == ("en", "nl")
    card = (reverse_package / "README.md").read_text(encoding="utf-8")
    assert card.startswith("# vertaal en→nl")
    assert "| bible | bible |" in card  # the data card
    assert "bible (public-domain): Statenvertaling and King James" in card
    recipe = json.loads((reverse_package.parent / "run" / "best" / "recipe.json").read_text())
    assert recipe["direction"] == "en-nl"
    assert recipe["facts"]["command"].startswith("vertaal ")  # this process's command line


def test_backtranslation_adds_tagged_pairs(
    reverse_package: Path, tmp_path: Path, runner: CliRunner
) -> None:
    import numpy as np

    from translate.training.spm import BT_TAG, load_processor

    folder = corpus_folder(tmp_path)
    mono = tmp_path / "wiki.en"
    mono.write_text("Tom sees a dog.\nAnna buys the car.\nMaria has a key.\n", encoding="utf-8")
    run_dir = tmp_path / "forward"
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--data",
            str(folder),
            "--tiny",
            "--prepare-only",
            "--mono",
            str(mono),
            "--mono-limit",
            "2",
            "--backtranslate-with",
            str(reverse_package),
            "--run-dir",
            str(run_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads((run_dir / "data-card.json").read_text(encoding="utf-8"))
    synthetic = [c for c in card["corpora"] if c["name"] == "backtranslation"]
    assert synthetic and synthetic[0]["read"] == 2
    assert synthetic[0]["kept"] + sum(synthetic[0]["dropped"].values()) == 2
    assert synthetic[0]["kept"] >= 1
    assert synthetic[0]["licences"] == {"CC-BY-SA-3.0": synthetic[0]["kept"]}
    processor = load_processor(run_dir / "sentencepiece.model")
    tag = processor.PieceToId(BT_TAG)
    assert tag != processor.unk_id()  # one piece, never split
    with np.load(run_dir / "data.npz") as data:
        assert tag in set(data["src"].tolist())  # the synthetic sources carry the tag


def test_mono_without_a_reverse_model_is_an_error(tmp_path: Path, runner: CliRunner) -> None:
    folder = corpus_folder(tmp_path)
    mono = tmp_path / "wiki.en"
    mono.write_text("Tom sees a dog.\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--data",
            str(folder),
            "--tiny",
            "--prepare-only",
            "--mono",
            str(mono),
            "--run-dir",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 1
    assert "--mono needs --backtranslate-with" in result.output


def test_warm_start_reads_the_ctranslate2_model_back(reverse_package: Path) -> None:
    """model.bin (int8) → training layout: every weight, within one int8 step of the original."""
    import numpy as np

    from translate.training.compact import load_compact
    from translate.training.warmstart import load_initial_weights

    original = load_compact(reverse_package.parent / "run" / "best")
    restored = load_initial_weights(reverse_package)
    assert restored.keys() == original.keys()
    for name, array in original.items():
        assert restored[name].shape == array.shape, name
        step = np.abs(array).max(axis=-1, keepdims=True) / 127 if array.ndim == 2 else 1e-6
        assert np.all(np.abs(restored[name] - array) <= step * 1.01 + 1e-6), name


def test_fine_tune_from_a_package_keeps_its_vocabulary(
    reverse_package: Path, tmp_path: Path, runner: CliRunner
) -> None:
    folder = corpus_folder(tmp_path)
    run_dir = tmp_path / "tuned"
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--reverse",
            "--data",
            str(folder),
            "--tiny",
            "--max-steps",
            "3",
            "--init-weights",
            str(reverse_package),
            "--sentencepiece",
            str(reverse_package / "sentencepiece.model"),
            "--run-dir",
            str(run_dir),
            "-o",
            str(tmp_path / "t.argosmodel"),
            "--threads",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"initialised from {reverse_package}" in result.output
    assert (run_dir / "sentencepiece.model").read_bytes() == (
        reverse_package / "sentencepiece.model"
    ).read_bytes()
    facts = json.loads((run_dir / "facts.json").read_text(encoding="utf-8"))
    assert facts["initialised_from"] == str(reverse_package)


def test_card_scores_come_from_the_engine_with_signatures(
    reverse_package: Path, tmp_path: Path
) -> None:
    """score_package decodes exactly as Engine does (same outputs) and returns signatures."""
    from translate.engine import Engine
    from translate.packages import load_package
    from translate.scoring.score import score_lines
    from translate.training.export import score_package

    sources = ["Tom sees a dog.", "Anna has the key.", "It is 2001."]
    references = ["Tom ziet een hond.", "Anna heeft de sleutel.", "Het is 2001."]
    (tmp_path / "src").write_text("\n".join(sources) + "\n", encoding="utf-8")
    (tmp_path / "ref").write_text("\n".join(references) + "\n", encoding="utf-8")
    result = score_package(reverse_package, tmp_path / "src", tmp_path / "ref")
    outputs = Engine.load(load_package(reverse_package)).translate_sentences(sources)
    expected, _ = score_lines(outputs, [references], metrics=["bleu", "chrf"])
    assert result["bleu"] == round(expected[0].score, 2)
    assert result["chrf"] == round(expected[1].score, 2)
    assert result["bleu_signature"].startswith("nrefs:1|")
    assert "version:" in result["chrf_signature"]


@pytest.mark.parametrize("seed", range(30))
def test_format_copies_are_consistent(seed: int) -> None:
    rng = random.Random(seed)
    pair = ("Tom kocht 1500 boeken in 2019.", "Tom bought 1500 books in 2019.")
    copy = format_copy(pair, rng)
    assert copy is not None
    source, target = copy
    assert source != pair[0]
    tags = re.findall(r"</?\w+[^>]*>", source)
    assert tags == re.findall(r"</?\w+[^>]*>", target)  # same inline tags on both sides
    for item in re.findall(r"https?://\S+|\S+@\S+|%\w|\{\w+\}", source):
        assert item in target  # copied items are identical
    dutch_number = re.search(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+", source)
    if dutch_number and "boeken" in source:
        english = dutch_number.group().replace(".", "_").replace(",", ".").replace("_", ",")
        assert english in target  # 1.500,25 ↔ 1,500.25


def test_format_copy_writes_dates_the_way_each_language_does() -> None:
    pair = ("Hij werd geboren in 1950.", "He was born in 1950.")
    dates = {format_copy(pair, random.Random(s), kinds=("date",)) for s in range(20)}
    months_nl = (
        "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    )
    for copy in dates:
        assert copy is not None
        assert re.search(rf"\d+ ({months_nl}) 1950", copy[0])
        assert re.search(r"[A-Z][a-z]+ \d+, 1950|\d+ [A-Z][a-z]+ 1950", copy[1])


def test_format_copy_needs_an_aligned_span() -> None:
    assert format_copy(("ik loop", "i walk"), random.Random(0)) is None
