"""Train the bundled nl→en model: ``python -m translate.training.bundled DATA_DIR OUT_DIR``.

This is what ``scripts/train_bundled.sh`` runs on the GPU machine. It needs
only PyTorch, SentencePiece, sacrebleu, numpy and click (no CTranslate2): it
writes SentencePiece model, recipe (with training facts) and compact best
weights into ``OUT_DIR``; :func:`translate.training.export.export_package`
turns that directory into an Argos package afterwards, on any machine.

``DATA_DIR`` holds ``train.nl-en.tsv`` and, for validation, ``dev.nl`` and
``dev.en`` (FLORES-200 dev).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from translate.training.config import AugmentConfig, ModelConfig, Recipe, TrainConfig, tiny_recipe


def bundled_recipe(max_minutes: float) -> Recipe:
    """The recipe of the shipped model (GPU, ~6.5 minutes on one H200)."""
    return Recipe(
        model=ModelConfig(
            vocab_size=8000,
            d_model=512,
            ffn_dim=2048,
            heads=8,
            encoder_layers=6,
            decoder_layers=3,
            dropout=0.25,
            attention_dropout=0.1,
            relu_dropout=0.1,
        ),
        augment=AugmentConfig(rounds=4),
        train=TrainConfig(
            batch_tokens=25000,
            lr=7e-4,
            warmup_steps=600,
            max_minutes=max_minutes,
            checkpoint_every=0,
            validate_every=500,
            validate_sentences=200,
            max_length=160,
        ),
    )


def cpu_recipe(max_minutes: float) -> Recipe:
    """A small model a 2-core CPU trains in half an hour (the provisional bundled model)."""
    return Recipe(
        model=ModelConfig(
            vocab_size=8000,
            d_model=256,
            ffn_dim=1024,
            heads=4,
            encoder_layers=3,
            decoder_layers=2,
            dropout=0.1,
            max_positions=512,
        ),
        augment=AugmentConfig(rounds=1),
        train=TrainConfig(
            batch_tokens=4000,
            lr=1e-3,
            warmup_steps=300,
            max_minutes=max_minutes,
            checkpoint_every=200,
            validate_every=400,
            validate_sentences=60,
            max_length=128,
        ),
    )


def main(argv: list[str] | None = None) -> int:
    """Prepare data and train; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--minutes", type=float, default=6.5, help="wall-clock training budget")
    parser.add_argument("--run-dir", type=Path, default=None, help="work directory (checkpoints)")
    parser.add_argument("--size", choices=["gpu", "cpu", "tiny"], default="gpu")
    parser.add_argument("--limit-pairs", type=int, default=0, help="use only the first N pairs")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument(
        "--init-weights", type=Path, default=None, help="start from an earlier run's weight shards"
    )
    parser.add_argument("--lr", type=float, default=None, help="override the recipe's peak rate")
    parser.add_argument("--warmup", type=int, default=None, help="override the warm-up steps")
    parser.add_argument("--batch-tokens", type=int, default=None, help="override the batch size")
    parser.add_argument("--prepare-only", action="store_true", help="stop after preparing data")
    parser.add_argument("--threads", type=int, default=min(8, os.cpu_count() or 1))
    args = parser.parse_args(argv)

    from translate.errors import VertaalError
    from translate.training.corpus import clean_pairs, read_parallel

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    started = time.monotonic()
    recipes = {"gpu": bundled_recipe, "cpu": cpu_recipe}
    recipe = recipes[args.size](args.minutes) if args.size in recipes else tiny_recipe()
    if args.size == "tiny":
        recipe.train.max_minutes = args.minutes
    if args.lr is not None:
        recipe.train.lr = args.lr
    if args.warmup is not None:
        recipe.train.warmup_steps = args.warmup
    if args.batch_tokens is not None:
        recipe.train.batch_tokens = args.batch_tokens
    run_dir = args.run_dir or args.out_dir / "run"
    try:
        import torch

        from translate.training.train import prepare, train

        torch.set_num_threads(args.threads)
        pairs = clean_pairs(read_parallel(args.data_dir / "train.nl-en.tsv"))
        if args.limit_pairs:
            pairs = pairs[: args.limit_pairs]
        valid: list[tuple[str, str]] = []
        if (args.data_dir / "dev.nl").exists():
            valid = read_parallel(args.data_dir / "dev.nl", args.data_dir / "dev.en")
        if not args.resume:
            prepare(pairs, recipe, run_dir, log, valid, threads=args.threads)
        log(f"data ready after {time.monotonic() - started:.1f}s")
        if args.prepare_only:
            return 0
        train(
            run_dir,
            log,
            resume=args.resume,
            output_dir=args.out_dir,
            init_weights=args.init_weights,
        )
    except VertaalError as error:
        print(f"error: {error.format_message()}", file=sys.stderr)
        return 1
    log(f"finished after {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
