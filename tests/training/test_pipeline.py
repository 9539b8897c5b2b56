"""Train a tiny model end to end, export it, and load it the way users will."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from translate.training.config import AugmentConfig, ModelConfig, Recipe, TrainConfig
from translate.training.export import ATTRIBUTION, export_package

from .conftest import synthetic_pairs

pytest.importorskip("torch")


def micro_recipe(max_steps: int) -> Recipe:
    """A model small enough to learn the synthetic corpus in a few seconds."""
    return Recipe(
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
            max_positions=128,
        ),
        augment=AugmentConfig(concat_share=0.1, rounds=1),
        train=TrainConfig(
            batch_tokens=600,
            lr=5e-3,
            warmup_steps=10,
            max_steps=max_steps,
            checkpoint_every=10,
            validate_every=0,
            validate_sentences=4,
            max_length=64,
            log_every=10,
        ),
    )


def run(run_dir: Path, max_steps: int, resume: bool = False) -> tuple[dict, list[str]]:  # type: ignore[type-arg]
    from translate.training.train import prepare, train

    messages: list[str] = []
    if not resume:
        pairs = synthetic_pairs()
        prepare(pairs, micro_recipe(max_steps), run_dir, messages.append, valid=pairs[:4])
    else:
        recipe = Recipe.load(run_dir / "recipe.json")
        recipe.train.max_steps = max_steps
        recipe.save(run_dir / "recipe.json")
    result = train(run_dir, messages.append, resume=resume)
    return result.facts, messages


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run directory trained for 80 steps."""
    run_dir = tmp_path_factory.mktemp("run")
    run(run_dir, 80)
    return run_dir


@pytest.fixture(scope="module")
def package(trained: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run exported as .argosmodel."""
    return export_package(trained / "best", tmp_path_factory.mktemp("pkg") / "nl_en.argosmodel")


def test_package_has_argos_layout(package: Path) -> None:
    with zipfile.ZipFile(package) as bundle:
        names = bundle.namelist()
        assert {n.split("/")[0] for n in names} == {"translate-nl_en"}
        for required in (
            "metadata.json",
            "model/model.bin",
            "model/config.json",
            "sentencepiece.model",
            "README.md",
        ):
            assert f"translate-nl_en/{required}" in names
        metadata = json.loads(bundle.read("translate-nl_en/metadata.json"))
        readme = bundle.read("translate-nl_en/README.md").decode()
    assert (metadata["from_code"], metadata["to_code"], metadata["placeholders"]) == (
        "nl",
        "en",
        True,
    )
    assert metadata["training"]["steps"] == 80
    assert ATTRIBUTION in readme


def test_package_loads_in_argostranslate_and_translates(package: Path, tmp_path: Path) -> None:
    import ctranslate2
    import sentencepiece
    from argostranslate.package import Package

    with zipfile.ZipFile(package) as bundle:
        bundle.extractall(tmp_path)
    root = tmp_path / "translate-nl_en"
    argos = Package(root)
    assert (argos.from_code, argos.to_code) == ("nl", "en")
    processor = sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(root / "model"), device="cpu", compute_type="int8")
    tokens = processor.Encode("Tom ziet een hond.", out_type=str)
    result = translator.translate_batch([tokens], beam_size=2, max_decoding_length=40)
    output = processor.Decode(result[0].hypotheses[0])
    assert output.strip()


def test_ctranslate2_scores_match_pytorch(trained: Path, tmp_path: Path) -> None:
    """The exported model computes what the PyTorch model computes (the weight mapping is right)."""
    import ctranslate2
    import torch

    from translate.training.compact import load_compact
    from translate.training.export import export_ctranslate2
    from translate.training.model import Transformer
    from translate.training.spm import load_processor

    best = trained / "best"
    export_ctranslate2(best, tmp_path / "ct2", quantization="float32")
    recipe = Recipe.load(trained / "recipe.json")
    model = Transformer(recipe.model)
    model.load_state_dict({k: torch.tensor(v) for k, v in load_compact(best).items()})
    model.eval()
    processor = load_processor(best / "sentencepiece.model")
    source, target = "Maria koopt de auto.", "Maria buys the car."
    source_ids, target_ids = processor.Encode(source), processor.Encode(target)
    with torch.no_grad():
        logits = model(torch.tensor([source_ids]), torch.tensor([[1, *target_ids]]))
        log_probs = logits.log_softmax(-1)[0]
    expected = [float(log_probs[i, t]) for i, t in enumerate([*target_ids, 2])]
    translator = ctranslate2.Translator(str(tmp_path / "ct2"), compute_type="float32")
    scored = translator.score_batch(
        [processor.Encode(source, out_type=str)], [processor.Encode(target, out_type=str)]
    )[0].log_probs
    assert scored == pytest.approx(expected, abs=1e-3)


def test_cached_greedy_agrees_with_teacher_forcing(trained: Path) -> None:
    """Each token the cached greedy decoder picks is the full model's argmax at that position."""
    import torch

    from translate.training.compact import load_compact
    from translate.training.model import Transformer
    from translate.training.spm import PAD_ID, load_processor

    recipe = Recipe.load(trained / "recipe.json")
    model = Transformer(recipe.model)
    model.load_state_dict({k: torch.tensor(v) for k, v in load_compact(trained / "best").items()})
    model.eval()
    processor = load_processor(trained / "sentencepiece.model")
    sentences = ["Tom ziet een hond.", "Het is 2001.", "Anna koopt de auto en Jan ziet de kat."]
    encoded = [processor.Encode(s) for s in sentences]
    width = max(map(len, encoded))
    batch = torch.full((len(encoded), width), PAD_ID, dtype=torch.long)
    for row, ids in enumerate(encoded):
        batch[row, : len(ids)] = torch.tensor(ids)
    outputs = model.greedy(batch, max_length=30)
    assert any(outputs)
    for ids, output in zip(encoded, outputs, strict=True):
        with torch.no_grad():
            logits = model(torch.tensor([ids]), torch.tensor([[1, *output]]))[0]
        logits[:, PAD_ID] = float("-inf")
        assert logits.argmax(-1).tolist()[: len(output)] == output


def test_model_card_lists_every_stage(trained: Path, tmp_path: Path) -> None:
    from translate.training.export import build_package_dir

    package = build_package_dir(
        trained / "best",
        tmp_path / "pkg",
        command="vertaal models train --export-only B --previous-stage A --bundle P",
        previous_stages=[trained / "best"],
    )
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "in 2 stages" in readme
    assert "TRAIN_INIT_WEIGHTS=OUT1" in readme
    metadata = json.loads((package / "metadata.json").read_text(encoding="utf-8"))
    assert len(metadata["training"]["stages"]) == 2


def test_compact_weights_round_trip_in_small_shards(tmp_path: Path) -> None:
    import numpy as np

    from translate.training.compact import MAX_SHARD_BYTES, load_compact, save_compact

    rng = np.random.default_rng(0)
    state = {
        "big.weight": rng.normal(size=(6000, 2048)).astype(np.float32),
        "other.weight": rng.normal(size=(4000, 1024)).astype(np.float32),
        "norm.bias": rng.normal(size=(2048,)).astype(np.float32),
    }
    shards = save_compact(state, tmp_path)
    assert len(shards) > 1
    assert sorted(tmp_path.iterdir()) == sorted(shards)  # no temporary file left behind
    assert all(p.stat().st_size < MAX_SHARD_BYTES + 4096 for p in shards)
    restored = load_compact(tmp_path)
    assert restored.keys() == state.keys()
    for name, array in state.items():
        # per-row int8: error at most half a step of that row's scale
        step = np.abs(array).max(axis=-1, keepdims=True) / 127 if array.ndim == 2 else 1e-2
        assert np.all(np.abs(restored[name] - array) <= step * 0.51 + 1e-3 * np.abs(array))


def test_ctrl_c_saves_and_resume_continues_at_that_step(tmp_path: Path) -> None:
    """Interrupt after 10 steps, resume to 20: same weights as 20 steps in one go."""
    import torch

    from translate.training.train import prepare, train

    pairs = synthetic_pairs()
    interrupted_dir, straight_dir = tmp_path / "interrupted", tmp_path / "straight"
    for run_dir in (interrupted_dir, straight_dir):
        prepare(pairs, micro_recipe(20), run_dir, lambda _: None, valid=pairs[:4])
    interrupted = False

    def interrupt_at_step_10(message: str) -> None:
        nonlocal interrupted
        if message.startswith("step 10 ") and not interrupted:
            interrupted = True
            raise KeyboardInterrupt

    result = train(interrupted_dir, interrupt_at_step_10)
    assert (result.stopped_because, result.step) == ("interrupted", 10)
    messages: list[str] = []
    resumed = train(interrupted_dir, messages.append, resume=True)
    assert any("resumed from step 10" in m for m in messages)
    assert resumed.step == 20

    train(straight_dir, lambda _: None)
    # same data order, same RNG state: the interruption is invisible in the weights
    a = torch.load(interrupted_dir / "checkpoint.pt", weights_only=False)["model"]
    b = torch.load(straight_dir / "checkpoint.pt", weights_only=False)["model"]
    assert all(torch.allclose(a[k], b[k], atol=1e-6) for k in a)


def test_model_card_keeps_hand_written_evaluation_only_for_the_same_model(
    trained: Path, tmp_path: Path
) -> None:
    from translate.training.export import (
        EVALUATION_BEGIN,
        EVALUATION_END,
        build_package_dir,
        model_digest,
        write_card,
    )

    package = build_package_dir(trained / "best", tmp_path / "pkg")
    readme = package / "README.md"
    section = "\n".join(
        [
            EVALUATION_BEGIN.format(digest=model_digest(package)),
            "## Evaluation",
            "",
            "Placeholder survival: 99.9% (measured by hand).",
            EVALUATION_END,
            "",
        ]
    )
    readme.write_text(readme.read_text(encoding="utf-8") + "\n" + section, encoding="utf-8")

    scores = {"FLORES-200 devtest BLEU": 1.5, "FLORES-200 devtest chrF": 20.25}
    write_card(package, trained / "best", "1.0", "cmd", scores)
    card = readme.read_text(encoding="utf-8")
    assert card.count("measured by hand") == 1
    assert card.index("| this model | 1.5 | 20.25 |") < card.index("measured by hand")
    assert "| Google | 33.1 | 61.3 |" in card
    assert card.index("measured by hand") < card.index("## Reproduce")

    # re-exporting the same weights gives the same model.bin: the section stays
    build_package_dir(trained / "best", package)
    assert "measured by hand" in readme.read_text(encoding="utf-8")

    # another model's card section is dropped, never shown for this model
    other = section.replace(model_digest(package), "0" * 64)
    readme.write_text(readme.read_text(encoding="utf-8").replace(section, other), encoding="utf-8")
    write_card(package, trained / "best", "1.0", "cmd", scores)
    assert "measured by hand" not in readme.read_text(encoding="utf-8")


def test_recipe_sets_the_packages_longest_piece() -> None:
    from translate.training.config import Recipe
    from translate.training.export import metadata

    assert "max_input_tokens" not in metadata(Recipe(), {}, "1.0", {})
    assert metadata(Recipe(max_input_tokens=32), {}, "1.0", {})["max_input_tokens"] == 32
    shipped = Recipe.load(Path(__file__).resolve().parents[2] / "scripts/recipes/gpu-forward.json")
    assert shipped.max_input_tokens == 32
