"""The recipe: every number that decides what a training run produces.

A run writes its :class:`Recipe` as JSON next to its checkpoints, so a model
can be rebuilt, resumed or exported from that file alone.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.errors import TrainingError
from translate.fileio import atomic_write_text

TATOEBA_DESCRIPTION = "Tatoeba Dutch–English (manythings.org Anki export, 74,844 pairs)"


@dataclass
class ModelConfig:
    """Shape of the Transformer (pre-norm, tied embeddings, sinusoidal positions)."""

    vocab_size: int = 8000
    d_model: int = 512
    ffn_dim: int = 2048
    heads: int = 8
    encoder_layers: int = 6
    decoder_layers: int = 3
    dropout: float = 0.25
    attention_dropout: float = 0.1
    relu_dropout: float = 0.1
    max_positions: int = 1024


@dataclass
class AugmentConfig:
    """Shares of the corpus that get each augmentation (see :mod:`corpus`)."""

    concat_share: float = 0.5
    """Concatenated pairs added, as a share of the cleaned corpus size."""
    concat_max: int = 4
    placeholder_share: float = 0.2
    """Share of pairs (originals and concatenations) that get a placeholder copy."""
    placeholder_shuffle: float = 0.35
    """Share of placeholder copies numbered out of order (e.g. ｟3｠ first)."""
    name_share: float = 0.1
    """Share of pairs with copyable names that get a copy with invented names."""
    format_share: float = 0.0
    """Share of pairs that get a copy with a number, date, URL, e-mail, format placeholder
    or inline tag put in (see :mod:`formats`); 0 draws nothing (older recipes unchanged)."""
    rounds: int = 1
    """How many times concatenation and augmentation are drawn (bigger pool, more variety)."""


@dataclass
class TrainConfig:
    """Optimisation and bookkeeping."""

    batch_tokens: int = 25000
    lr: float = 7e-4
    warmup_steps: int = 800
    weight_decay: float = 0.01
    label_smoothing: float = 0.1
    clip_norm: float = 1.0
    max_steps: int = 0
    """0 = no step limit."""
    max_epochs: int = 0
    """0 = no epoch limit."""
    max_minutes: float = 0.0
    """0 = no wall-clock limit."""
    checkpoint_every: int = 1000
    validate_every: int = 500
    validate_sentences: int = 200
    max_length: int = 160
    """Pairs with more tokens on either side are left out of training."""
    seed: int = 1234
    log_every: int = 50
    average_last: int = 0
    """At the end, average the weights of the last N validations and keep the average
    if it validates better than the best single checkpoint (0 or 1 = no averaging)."""


@dataclass
class Recipe:
    """A complete training recipe: data, model, augmentations and optimisation."""

    model: ModelConfig = field(default_factory=ModelConfig)
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    seed: int = 1234
    min_clean_length: int = 1
    max_length_ratio: float = 3.0
    corpus: str = TATOEBA_DESCRIPTION
    """What the model was trained on, for the model card."""
    direction: str = "nl-en"
    """``nl-en``, or ``en-nl`` for the reverse (back-translation) model."""
    max_input_tokens: int = 0
    """Longest source (tokens) the exported package has decoded in one piece (its
    ``metadata.json``; longer sentences are cut at clause boundaries); 0 = the
    engine's default. A small model translates long sentences better in
    pieces: v2 gains 1.4 chrF on FLORES dev with 32."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipe:
        """Rebuild a recipe, rejecting unknown keys (a typo must not pass silently)."""
        try:
            return cls(
                model=ModelConfig(**data.get("model", {})),
                augment=AugmentConfig(**data.get("augment", {})),
                train=TrainConfig(**data.get("train", {})),
                **{k: v for k, v in data.items() if k not in {"model", "augment", "train"}},
            )
        except TypeError as error:
            raise TrainingError(f"invalid training recipe: {error}") from None

    def save(self, path: Path) -> None:
        """Write the recipe as JSON (atomically)."""
        write_json(path, self.to_dict())

    @classmethod
    def load(cls, path: Path) -> Recipe:
        """Read a recipe written by :meth:`save`."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise TrainingError(f"{path}: cannot read training recipe: {error}") from None
        return cls.from_dict(data)

    @classmethod
    def of_model(cls, model_dir: Path) -> Recipe:
        """The recipe in a training output directory (its ``recipe.json`` also holds ``facts``)."""
        path = model_dir / "recipe.json"
        if not path.exists():
            raise TrainingError(f"{model_dir}: no recipe.json; give a training output directory")
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("facts", None)
        return cls.from_dict(data)


def tiny_recipe() -> Recipe:
    """A recipe small enough to train in seconds on a CPU (tests, smoke runs)."""
    return Recipe(
        model=ModelConfig(
            vocab_size=400,
            d_model=64,
            ffn_dim=128,
            heads=4,
            encoder_layers=2,
            decoder_layers=1,
            dropout=0.1,
            max_positions=256,
        ),
        train=TrainConfig(
            batch_tokens=2000,
            lr=2e-3,
            warmup_steps=50,
            checkpoint_every=100,
            validate_every=100,
            validate_sentences=20,
            max_length=96,
        ),
    )


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON, atomically (temporary file, then rename)."""
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
