"""``vertaal models train``: train an nl→en Transformer and export an Argos package."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from translate.training.config import Recipe, tiny_recipe

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


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
    "--max-minutes",
    type=click.FloatRange(0, 7 * 24 * 60),
    default=30.0,
    show_default=True,
    help="Wall-clock budget (0 = none).",
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
    "--batch-tokens", type=click.IntRange(100, 10_000_000), default=25000, show_default=True
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
    max_minutes: float,
    max_steps: int,
    max_epochs: int,
    resume: bool,
    seed: int,
    vocab_size: int,
    layers: tuple[int, int],
    d_model: int,
    ffn_dim: int,
    heads: int,
    batch_tokens: int,
    checkpoint_every: int,
    validate_every: int,
    threads: int,
    tiny: bool,
    export_only: Path | None,
    package_version: str,
    tests: tuple[tuple[str, Path, Path], ...],
    previous_stages: tuple[Path, ...],
) -> None:
    """Train a Dutch→English Transformer on CORPUS and export it as an Argos package.

    CORPUS is a TSV file (Dutch<TAB>English per line) or, with --target-file,
    the Dutch side of two line-aligned files.

    \b
    Examples:
      vertaal models train tatoeba.tsv -o nl_en.argosmodel --max-minutes 30 \\
          --valid-src flores.dev.nl --valid-ref flores.dev.en
      vertaal models train --resume --run-dir nl_en.run -o nl_en.argosmodel
      vertaal models train --export-only gpu-out/ -o nl_en.argosmodel
    """
    from translate.training.pipeline import TrainRequest, export_model_dir, train_package

    def log(message: str) -> None:
        click.echo(message, err=True)

    if output is None and bundle is None:
        raise click.UsageError("give -o OUT.argosmodel and/or --bundle DIR")
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
    if corpus is None and not resume:
        raise click.UsageError("give CORPUS (or --resume, or --export-only MODEL_DIR)")
    if run_dir is None:
        if output is None:
            raise click.UsageError("give --run-dir when training without -o")
        run_dir = output.with_suffix(".run")
    recipe = tiny_recipe() if tiny else Recipe()
    recipe.seed = seed
    recipe.train.seed = seed
    if not tiny:
        m = recipe.model
        m.vocab_size, m.d_model, m.ffn_dim, m.heads = vocab_size, d_model, ffn_dim, heads
        m.encoder_layers, m.decoder_layers = layers
        recipe.train.batch_tokens = batch_tokens
        recipe.train.checkpoint_every = checkpoint_every
        recipe.train.validate_every = validate_every
    recipe.train.max_minutes = max_minutes
    recipe.train.max_steps = max_steps
    recipe.train.max_epochs = max_epochs
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
    )
    facts = train_package(request, log)
    log(
        f"trained {facts['steps']} steps in {facts['train_seconds']} s"
        + (
            f", best chrF {facts['best_valid_chrf']}"
            if facts.get("best_valid_chrf") is not None
            else ""
        )
    )


def _command_line() -> str:
    return "vertaal " + " ".join(shlex.quote(a) for a in sys.argv[1:])
