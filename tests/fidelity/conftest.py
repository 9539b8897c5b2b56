"""The fidelity test set and a tiny package trained without placeholders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def fidelity_rows() -> list[tuple[str, list[str]]]:
    """(Dutch sentence, expected English forms of its protected spans) from fidelity.tsv."""
    rows = []
    for line in (DATA / "fidelity.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, expected = line.split("\t")
            rows.append((source, expected.split(" | ")))
    return rows


def _tiny_corpus() -> list[tuple[str, str]]:
    names = ["Tom", "Maria", "Kees", "Anna", "Pieter", "Sophie"]
    things = [("een hond", "a dog"), ("de kat", "the cat"), ("een boek", "a book")]
    things += [("het huis", "the house"), ("de auto", "the car"), ("een fiets", "a bicycle")]
    pairs = [(f"{name} ziet {nl}.", f"{name} sees {en}.") for name in names for nl, en in things]
    pairs += [
        (f"{name} heeft {n} boeken.", f"{name} has {n} books.")
        for name in names
        for n in (2, 7, 12)
    ]
    pairs += [(f"Het is {year}.", f"It is {year}.") for year in range(1990, 2030)]
    return pairs


@pytest.fixture(scope="session")
def untrained_on_placeholders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Argos package directory whose model never saw a placeholder.

    Trained like tests/training's micro model (a few seconds of CPU), with the
    placeholder augmentation switched off; its metadata says so, as the
    protection layer reads it.
    """
    torch = pytest.importorskip("torch")
    from translate.training.config import AugmentConfig, ModelConfig, Recipe, TrainConfig
    from translate.training.export import build_package_dir
    from translate.training.train import prepare, train

    recipe = Recipe(
        model=ModelConfig(
            vocab_size=400,
            d_model=32,
            ffn_dim=64,
            heads=2,
            encoder_layers=1,
            decoder_layers=1,
            dropout=0.0,
            attention_dropout=0.0,
            relu_dropout=0.0,
            max_positions=512,
        ),
        augment=AugmentConfig(concat_share=0.1, rounds=1, placeholder_share=0.0),
        train=TrainConfig(
            batch_tokens=600,
            lr=5e-3,
            warmup_steps=10,
            max_steps=40,
            checkpoint_every=20,
            validate_every=0,
            validate_sentences=4,
            max_length=64,
            log_every=20,
        ),
    )
    run_dir = tmp_path_factory.mktemp("no-placeholders-run")
    pairs = _tiny_corpus()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny model: a second thread only adds contention
    try:
        prepare(pairs, recipe, run_dir, lambda message: None, valid=pairs[:4])
        train(run_dir, lambda message: None)
    finally:
        torch.set_num_threads(threads)
    package = build_package_dir(
        run_dir / "best",
        tmp_path_factory.mktemp("no-placeholders-pkg") / "translate-nl_en",
        "0.1",
        "tests/fidelity/conftest.py",
        None,
    )
    metadata_path = package / "metadata.json"
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    metadata["placeholders"] = False
    metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
    return package
