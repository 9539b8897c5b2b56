"""``vertaal models train``: train an nl→en Transformer and export an Argos package."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from translate.training.config import Recipe, tiny_recipe
from translate.training.databuild import ALL_FAMILIES, DEFAULT_FAMILIES

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)

mono_limit_option = click.option(
    "--mono-limit",
    type=click.IntRange(0, 100_000_000),
    default=0,
    help="Use only the first N sentences of --mono (0 = all).",
)
"""Shared with ``vertaal models session pack``."""


MAX_LAYERS = 48


class LayersType(click.ParamType):  # type: ignore[type-arg]
    """``ENC,DEC`` (e.g. ``6,3``) or one number for both stacks."""

    name = "ENC,DEC"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        """Parse the layer counts."""
        if isinstance(value, tuple):
            return (int(value[0]), int(value[1]))
        parts = str(value).split(",")
        try:
            numbers = [int(p) for p in parts]
        except ValueError:
            self.fail(f"{value!r} is not ENC,DEC (e.g. 6,3)", param, ctx)
        if len(numbers) == 1:
            numbers *= 2
        if len(numbers) != 2 or min(numbers) < 1 or max(numbers) > MAX_LAYERS:
            self.fail(f"{value!r} is not ENC,DEC with numbers from 1 to {MAX_LAYERS}", param, ctx)
        return numbers[0], numbers[1]


@click.command("train")
@click.argument("corpus", required=False, type=EXISTING_FILE)
@click.option("--target-file", type=EXISTING_FILE, help="English side, if CORPUS is Dutch only.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .argosmodel to write.",
)
@click.option(
    "--bundle",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the unpacked package here.",
)
@click.option("--valid-src", type=EXISTING_FILE, help="Dutch validation sentences (chrF).")
@click.option("--valid-ref", type=EXISTING_FILE, help="English references for --valid-src.")
@click.option(
    "--run-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Checkpoints and prepared data (default: OUTPUT with .run).",
)
@click.option(
    "--data",
    "data_paths",
    type=click.Path(exists=True, path_type=Path),
    multiple=True,
    help="Corpus folder (NAME.nl, NAME.en, NAME.source.tsv) or Dutch<TAB>English file for the "
    "data build (cleaning, licence filter, weights, data card); repeatable, instead of CORPUS.",
)
@click.option(
    "--held-out",
    type=EXISTING_FILE,
    multiple=True,
    help="With --data: drop pairs sharing a sentence or 6-word sequence with this file "
    "(FLORES-200 dev/devtest); repeatable.",
)
@click.option(
    "--licences",
    default=",".join(DEFAULT_FAMILIES),
    show_default=True,
    help=f"With --data: licence families to keep, comma-separated, from {', '.join(ALL_FAMILIES)}.",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="CORPUS=W",
    help="With --data: draw CORPUS's pairs W times per epoch (overrides the built-in weight).",
)
@click.option(
    "--mono", type=EXISTING_FILE, help="English sentences to back-translate into extra data."
)
@mono_limit_option
@click.option(
    "--backtranslate-with",
    type=EXISTING_DIR,
    help="Unpacked en→nl package (from --reverse) that back-translates --mono.",
)
@click.option("--reverse", is_flag=True, help="Train English→Dutch (the back-translation model).")
@click.option(
    "--recipe",
    "recipe_file",
    type=EXISTING_FILE,
    help="Recipe JSON (model shape, augmentation, optimisation); the shape options are ignored.",
)
@click.option(
    "--init-weights",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Start from these weights: a training output directory, a CTranslate2 model or an "
    "unpacked package of the same shape (use its --sentencepiece too).",
)
@click.option(
    "--sentencepiece",
    type=EXISTING_FILE,
    help="Reuse this SentencePiece model instead of training a vocabulary.",
)
@click.option("--lr", type=click.FloatRange(0, 1, min_open=True), help="Peak learning rate.")
@click.option("--warmup", type=click.IntRange(0, 10_000_000), help="Warm-up steps.")
@click.option("--prepare-only", is_flag=True, help="Stop after the data build and tokenization.")
@click.option(
    "--max-minutes",
    type=click.FloatRange(0, 7 * 24 * 60),
    default=None,
    help="Wall-clock budget (0 = none; default: the recipe's, else 30).",
)
@click.option(
    "--max-steps",
    type=click.IntRange(0, 100_000_000),
    default=0,
    help="Stop after N steps (0 = none).",
)
@click.option(
    "--max-epochs",
    type=click.IntRange(0, 1_000_000),
    default=0,
    help="Stop after N epochs (0 = none).",
)
@click.option(
    "--resume", is_flag=True, help="Continue the run in --run-dir from its last checkpoint."
)
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=1234, show_default=True)
@click.option("--vocab-size", type=click.IntRange(400, 256_000), default=8000, show_default=True)
@click.option(
    "--layers",
    type=LayersType(),
    default="6,3",
    show_default=True,
    help="Encoder,decoder layers (1 to 48 each).",
)
@click.option("--d-model", type=click.IntRange(16, 8192), default=512, show_default=True)
@click.option("--ffn-dim", type=click.IntRange(16, 65_536), default=2048, show_default=True)
@click.option("--heads", type=click.IntRange(1, 128), default=8, show_default=True)
@click.option(
    "--batch-tokens", type=click.IntRange(100, 10_000_000), help="Tokens per batch [25000]."
)
@click.option(
    "--checkpoint-every", type=click.IntRange(0, 100_000_000), default=1000, show_default=True
)
@click.option(
    "--validate-every", type=click.IntRange(0, 100_000_000), default=500, show_default=True
)
@click.option(
    "--threads",
    type=click.IntRange(0, 256),
    default=0,
    help="CPU threads for PyTorch (0 = all cores; 1 is often faster on a busy machine).",
)
@click.option("--tiny", is_flag=True, help="A seconds-long toy recipe (tests, smoke runs).")
@click.option(
    "--export-only",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Skip training: export this model directory (e.g. scripts/train_bundled.sh output).",
)
@click.option("--package-version", default="1.0", show_default=True)
@click.option(
    "--previous-stage",
    "previous_stages",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    multiple=True,
    help="With --export-only: an earlier run the exported one continued from (model card); "
    "repeatable, oldest first.",
)
@click.option(
    "--test",
    "tests",
    type=(str, EXISTING_FILE, EXISTING_FILE),
    multiple=True,
    metavar="NAME SRC REF",
    help="Score the exported model on this test set (BLEU/chrF into the model card); repeatable.",
)
def train_command(
    corpus: Path | None,
    target_file: Path | None,
    output: Path | None,
    bundle: Path | None,
    valid_src: Path | None,
    valid_ref: Path | None,
    run_dir: Path | None,
    data_paths: tuple[Path, ...],
    held_out: tuple[Path, ...],
    licences: str,
    weights: tuple[str, ...],
    mono: Path | None,
    mono_limit: int,
    backtranslate_with: Path | None,
    reverse: bool,
    recipe_file: Path | None,
    init_weights: Path | None,
    sentencepiece: Path | None,
    lr: float | None,
    warmup: int | None,
    prepare_only: bool,
    max_minutes: float | None,
    max_steps: int,
    max_epochs: int,
    resume: bool,
    seed: int,
    vocab_size: int,
    layers: tuple[int, int],
    d_model: int,
    ffn_dim: int,
    heads: int,
    batch_tokens: int | None,
    checkpoint_every: int,
    validate_every: int,
    threads: int,
    tiny: bool,
    export_only: Path | None,
    package_version: str,
    tests: tuple[tuple[str, Path, Path], ...],
    previous_stages: tuple[Path, ...],
) -> None:
    """Train a Dutch→English Transformer and export it as an Argos package.

    The data is either CORPUS (a TSV file, Dutch<TAB>English per line, or with
    --target-file the Dutch side of two line-aligned files) or the data build
    over --data folders: cleaning, FLORES overlap removal (--held-out), licence
    filtering (--licences), corpus weights and a data card. --reverse trains the
    English→Dutch model whose package back-translates --mono into tagged
    synthetic pairs for the next run (--backtranslate-with). With --run-dir and
    neither -o nor --bundle it trains without exporting (the weights stay in
    RUN_DIR/best, for --export-only on a machine with CTranslate2).

    \b
    Examples:
      vertaal models train tatoeba.tsv -o nl_en.argosmodel --max-minutes 30 \\
          --valid-src flores.dev.nl --valid-ref flores.dev.en
      vertaal models train --data data/tatoeba/train.nl-en.tsv --data data/parallel/bible \\
          --held-out flores.dev.nl --recipe scripts/recipes/gpu-forward.json -o nl_en.argosmodel
      vertaal models train --resume --run-dir nl_en.run -o nl_en.argosmodel
      vertaal models train --resume --run-dir nl_en.run --max-minutes 3.5
      vertaal models train --export-only gpu-out/ -o nl_en.argosmodel
    """
    from translate.training.pipeline import (
        DataRequest,
        TrainRequest,
        export_model_dir,
        train_package,
    )

    def log(message: str) -> None:
        click.echo(message, err=True)

    export = output is not None or bundle is not None
    if not export and not prepare_only and (export_only is not None or run_dir is None):
        raise click.UsageError(
            "give -o OUT.argosmodel and/or --bundle DIR (or --run-dir alone to train "
            "without exporting)"
        )
    if export_only is not None:
        export_model_dir(
            export_only,
            output,
            bundle,
            package_version,
            _command_line(),
            log,
            tests,
            previous_stages,
        )
        return
    if heads and d_model % heads:
        raise click.BadParameter(f"--d-model {d_model} is not divisible by --heads {heads}")
    if corpus is None and not data_paths and not resume:
        raise click.UsageError("give CORPUS or --data (or --resume, or --export-only MODEL_DIR)")
    if run_dir is None:
        if output is None:
            raise click.UsageError("give --run-dir when training without -o")
        run_dir = output.with_suffix(".run")
    if recipe_file is not None:
        recipe = Recipe.load(recipe_file)
    else:
        recipe = tiny_recipe() if tiny else Recipe()
        if not tiny:
            m = recipe.model
            m.vocab_size, m.d_model, m.ffn_dim, m.heads = vocab_size, d_model, ffn_dim, heads
            m.encoder_layers, m.decoder_layers = layers
            recipe.train.checkpoint_every = checkpoint_every
            recipe.train.validate_every = validate_every
        recipe.seed = seed
        recipe.train.seed = seed
    _override_training(recipe, batch_tokens, lr, warmup, max_minutes, max_steps, max_epochs)
    data = None
    if data_paths:
        data = DataRequest(
            paths=data_paths,
            families=_families(licences),
            weights=_weights(weights),
            held_out=held_out,
            mono=mono,
            mono_limit=mono_limit,
            backtranslate_with=backtranslate_with,
        )
    elif mono is not None:
        raise click.UsageError("--mono works with the data build: give --data folders")
    request = TrainRequest(
        corpus=corpus,
        target_file=target_file,
        output=output or run_dir / "model.argosmodel",
        run_dir=run_dir,
        recipe=recipe,
        valid_source=valid_src,
        valid_reference=valid_ref,
        resume=resume,
        bundle_dir=bundle,
        package_version=package_version,
        command=_command_line(),
        tests=tests,
        threads=threads,
        data=data,
        reverse=reverse,
        init_weights=init_weights,
        sentencepiece=sentencepiece,
        prepare_only=prepare_only,
        export=export,
    )
    facts = train_package(request, log)
    if prepare_only:
        log(f"prepared {run_dir}")
        return
    log(
        f"trained {facts['steps']} steps in {facts['train_seconds']} s"
        + (
            f", best chrF {facts['best_valid_chrf']}"
            if facts.get("best_valid_chrf") is not None
            else ""
        )
    )


def _override_training(
    recipe: Recipe,
    batch_tokens: int | None,
    lr: float | None,
    warmup: int | None,
    max_minutes: float | None,
    max_steps: int,
    max_epochs: int,
) -> None:
    """Options given on the command line win over the recipe's values."""
    train = recipe.train
    if batch_tokens is not None:
        train.batch_tokens = batch_tokens
    if lr is not None:
        train.lr = lr
    if warmup is not None:
        train.warmup_steps = warmup
    if max_minutes is not None:
        train.max_minutes = max_minutes
    elif not train.max_minutes:
        train.max_minutes = 30.0
    train.max_steps = max_steps or train.max_steps
    train.max_epochs = max_epochs or train.max_epochs


def _families(text: str) -> tuple[str, ...]:
    families = tuple(part.strip() for part in text.split(",") if part.strip())
    for family in families:
        if family not in ALL_FAMILIES:
            raise click.BadParameter(
                f"unknown licence family {family!r}; choose from {', '.join(ALL_FAMILIES)}",
                param_hint="--licences",
            )
    return families


def _weights(items: tuple[str, ...]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(
                f"{item!r} is not CORPUS=WEIGHT (e.g. europarl-sample=4)", param_hint="--weight"
            ) from None
        if weights[name.strip()] < 0:
            raise click.BadParameter(
                f"{item!r}: a weight cannot be negative", param_hint="--weight"
            )
    return weights


def _command_line() -> str:
    return "vertaal " + " ".join(shlex.quote(a) for a in sys.argv[1:])
